export { BAMBU_FTPS_PORT, BAMBU_MQTT_PORT, BambuDriver, bambuCredentials, type BambuDriverOptions, type BambuStartOptions } from './bambu-driver.js';
export { describeHms, describePrintError, type CodeDescription } from './hms-codes.js';
export { testBambuConnection } from './test-connection.js';
