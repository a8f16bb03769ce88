export {
  BAMBU_FTPS_PORT,
  BAMBU_MQTT_PORT,
  bambuCredentials,
  BambuDriver,
  type BambuDriverOptions,
  type BambuStartOptions,
} from './bambu-driver.js';
export { type CodeDescription, describeHms, describePrintError } from './hms-codes.js';
export { testBambuConnection } from './test-connection.js';
