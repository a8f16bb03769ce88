export { PrusaLinkDriver, testPrusaLinkConnection, PRUSALINK_CREDENTIALS_REFUSED } from './prusalink-driver.js';
export { PRUSALINK_DEFAULT_PORT } from './http-client.js';
export type * from './messages.js';
