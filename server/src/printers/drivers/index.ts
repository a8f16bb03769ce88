import type { DriverRegistry } from '../driver-registry.js';
import { BAMBU_MQTT_PORT, BambuDriver, testBambuConnection } from './bambu/index.js';
import { MoonrakerDriver, testMoonrakerConnection } from './moonraker/index.js';
import { PRUSALINK_DEFAULT_PORT, PrusaLinkDriver, testPrusaLinkConnection } from './prusalink/index.js';
import { SdcpDriver, testSdcpConnection } from './sdcp/index.js';

/** Every protocol ODIN can talk to, by api_type. */
export const DRIVERS: DriverRegistry = {
  bambu: {
    defaultPort: BAMBU_MQTT_PORT,
    create: (connection, options) => new BambuDriver(connection, options),
    test: (connection, options) => testBambuConnection(connection, options),
  },
  moonraker: {
    defaultPort: 7125,
    create: (connection, options) => new MoonrakerDriver(connection, options),
    test: (connection, options) => testMoonrakerConnection(connection, options),
  },
  prusalink: {
    defaultPort: PRUSALINK_DEFAULT_PORT,
    create: (connection, options) => new PrusaLinkDriver(connection, options),
    test: (connection, options) => testPrusaLinkConnection(connection, options),
  },
  elegoo: {
    defaultPort: 3030,
    create: (connection, options) => new SdcpDriver(connection, options),
    test: (connection, options) => testSdcpConnection(connection, options),
  },
};
