export { PRUSALINK_DEFAULT_PORT } from './http-client.js';
export type * from './messages.js';
export { PRUSALINK_CREDENTIALS_REFUSED, PrusaLinkDriver, testPrusaLinkConnection } from './prusalink-driver.js';
