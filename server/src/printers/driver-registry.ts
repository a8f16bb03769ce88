import type { ApiType, ConnectionTestResult, DriverOptions, PrinterConnection, PrinterDriver } from './driver.js';

/** How to build and test drivers for one protocol. */
export interface DriverModule {
  /** Port used when api_host names none. */
  defaultPort: number;
  create(connection: PrinterConnection, options: DriverOptions): PrinterDriver;
  test(connection: PrinterConnection, options: DriverOptions): Promise<ConnectionTestResult>;
}

export type DriverRegistry = Partial<Record<ApiType, DriverModule>>;
