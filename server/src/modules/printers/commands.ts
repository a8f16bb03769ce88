import { HttpError, notFound } from '../../core/errors.js';
import type { DriverOptions } from '../../printers/driver.js';
import {
  type ConnectionTestResult,
  type DriverCommand,
  PrinterCommandError,
  type PrinterConnection,
  type PrinterDriver,
  UnsupportedCommandError,
} from '../../printers/driver.js';
import type { DriverRegistry } from '../../printers/driver-registry.js';
import type { FleetSupervisor } from '../../printers/fleet-supervisor.js';
import type { TestConnectionReply } from './schemas.js';

/** Sends commands to connected printers and turns every way that can fail into a clear HTTP answer. */
export class PrinterCommands {
  constructor(
    private readonly fleet: FleetSupervisor,
    private readonly registry: DriverRegistry,
    private readonly driverOptions: () => DriverOptions,
  ) {}

  async run(
    printer: { id: number; name: string; api_type: string | null; is_active: boolean },
    command: DriverCommand,
    send: (driver: PrinterDriver) => Promise<void>,
  ): Promise<void> {
    if (!printer.api_type) throw new HttpError(409, `${printer.name} has no printer connection configured`);
    if (!printer.is_active) throw new HttpError(409, `${printer.name} is disabled; enable it to control it`);
    if (!this.fleet.isManaged(printer.id)) throw new HttpError(501, `${printer.api_type} printers cannot be controlled in this version`);
    const driver = this.fleet.driverFor(printer.id);
    if (!driver) throw new HttpError(409, `${printer.name} is offline`);
    if (!driver.supports.has(command)) throw new HttpError(501, new UnsupportedCommandError(command, printer.api_type).message);
    try {
      await send(driver);
    } catch (error) {
      if (error instanceof UnsupportedCommandError) throw new HttpError(501, error.message);
      if (error instanceof PrinterCommandError)
        throw new HttpError([400, 409, 504].includes(error.status) ? error.status : 502, error.message);
      throw new HttpError(502, `${printer.name} did not take the command: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Tries a connection without saving anything and answers in the shape every test-connection route
   * returns (printers, bambu, setup). Unknown protocols answer 501; a driver that throws is a failed test.
   */
  async test(connection: PrinterConnection): Promise<TestConnectionReply> {
    const module = this.registry[connection.apiType];
    if (!module) throw new HttpError(501, `Testing ${connection.apiType} printers is not available in this version`);
    let result: ConnectionTestResult;
    try {
      result = await module.test(connection, this.driverOptions());
    } catch (error) {
      result = { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    return { success: result.ok, message: result.message, ...(result.info ? { info: result.info } : {}) };
  }
}

export function assertFound<T>(value: T | undefined | null, what = 'Printer'): T {
  if (value === undefined || value === null) throw notFound(`${what} not found`);
  return value;
}
