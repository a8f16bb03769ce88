// What the web app says when the server refuses, by the reply's code (api/error-text.ts). Pages
// add their own wording for codes only they meet. Add a key here and the same key in ../de/errors.ts.
export default {
  network: 'Cannot reach the ODIN server. Check your network connection and that the server is running.',
  server: 'The server had a problem (HTTP {status}). Try again in a moment.',
  encryptionKey:
    'The server cannot read a stored printer password: its ENCRYPTION_KEY is not the one they were saved with. An admin needs to restore the key.',
  session: 'Your session has ended. Log in again.',
  forbidden: 'Your role may not do this. Ask an admin if you need it.',
  printerNotFound: 'This printer no longer exists.',
  printerOffline: 'The printer is offline. Check that it is switched on and reachable from the server.',
  printerDisabled: 'The printer is disabled. Enable it in its settings to control it.',
  printerNotConfigured: 'This printer has no connection set up. Add one in its settings.',
  unsupported: 'This printer cannot do that.',
  commandRefused: 'The printer refused: {detail}',
  printerTimeout: 'The printer did not answer in time. Check it and try again.',
  commandFailed: 'The command did not reach the printer: {detail}',
  fileEmpty: 'The file is empty.',
  fileTooLarge: 'The file is too large.',
  imageType: 'This kind of image is not accepted here.',
  unsafeSvg: 'This SVG contains scripts or links to other files, which are not allowed.',
};
