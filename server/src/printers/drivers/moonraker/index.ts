export { MoonrakerDriver, type MoonrakerDriverOptions } from './moonraker-driver.js';
export { testMoonrakerConnection } from './test-connection.js';
