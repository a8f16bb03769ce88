// Strings of the auth pages. Add a key here and the same key in ../de/auth.ts.
export default {
  title: 'Log in',
  login: {
    title: 'Log in',
    subtitle: 'Welcome back. Log in to see your farm.',
    username: 'Username',
    password: 'Password',
    submit: 'Log in',
    submitting: 'Logging in…',
    forgot: 'Forgot your password? An admin can set a new one under Settings → Users.',
    support: 'Get help',
    serverUnreachable:
      'The ODIN server is not answering right now. You can still try to log in; if it fails, check that the server is running.',
  },
  password: {
    show: 'Show password',
    hide: 'Hide password',
  },
  policy: {
    intro: 'Your password needs:',
    length: 'at least 8 characters',
    upper: 'an upper-case letter (A–Z)',
    lower: 'a lower-case letter (a–z)',
    digit: 'a digit (0–9)',
    met: 'done',
    missing: 'still missing',
    tooLong: 'That is too long: at most 72 bytes (fewer if you use accents or emoji).',
  },
  errors: {
    credentials: 'Wrong username or password. Check both (capital letters count) and try again.',
    disabled: 'This account has been disabled. Ask an admin of your farm to enable it again.',
    locked: {
      one: 'This account is locked for 1 more minute after too many wrong passwords. Wait, then try again with the right password.',
      other:
        'This account is locked for {count} more minutes after too many wrong passwords. Wait, then try again with the right password.',
    },
    rateLimited: {
      one: 'Too many failed logins from your network. Wait 1 minute, then try again.',
      other: 'Too many failed logins from your network. Wait {count} minutes, then try again.',
    },
    incomplete: 'Enter both your username and your password.',
  },
};
