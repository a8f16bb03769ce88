import type { Actor } from '../../core/actor.js';
import { HttpError, notFound } from '../../core/errors.js';
import { errorResponses } from '../../core/http/error-reply.js';
import {
  type ConnectionTestResult,
  type DriverCommand,
  type DriverOptions,
  PrinterCommandError,
  type PrinterConnection,
  type PrinterDriver,
  UnsupportedCommandError,
} from '../../printers/driver.js';
import type { DriverRegistry } from '../../printers/driver-registry.js';
import type { FleetSupervisor } from '../../printers/fleet-supervisor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { TestConnectionReply } from './schemas.js';

/** Print control every protocol offers. */
export type PrintControl = 'pause' | 'resume' | 'stop';
type ControllablePrinter = { id: number; name: string; api_type: string | null; is_active: boolean };

/** What a route that sends a printer command can answer besides its result (see `run` and `commandRefusal`). */
export const COMMAND_ERRORS = errorResponses(400, 404, 409, 501, 502, 504);

/** Sends commands to connected printers and turns every way that can fail into a clear HTTP answer. */
export class PrinterCommands {
  constructor(
    private readonly fleet: FleetSupervisor,
    private readonly registry: DriverRegistry,
    private readonly driverOptions: () => DriverOptions,
    private readonly audit: AuditLog,
  ) {}

  /** Pauses, resumes or stops the current print, and records who did it. */
  async control(printer: ControllablePrinter, command: PrintControl, actor: Actor): Promise<void> {
    await this.run(printer, command, (driver) => driver[command]());
    await this.audit.record({ action: command, entityType: 'printer', entityId: printer.id, details: { name: printer.name }, actor });
  }

  async run(printer: ControllablePrinter, command: DriverCommand, send: (driver: PrinterDriver) => Promise<void>): Promise<void> {
    if (!printer.api_type) throw new HttpError(409, 'printer_not_configured', `${printer.name} has no printer connection configured`);
    if (!printer.is_active) throw new HttpError(409, 'printer_disabled', `${printer.name} is disabled; enable it to control it`);
    if (!this.fleet.isManaged(printer.id))
      throw new HttpError(501, 'protocol_unsupported', `${printer.api_type} printers cannot be controlled in this version`);
    const driver = this.fleet.driverFor(printer.id);
    if (!driver) throw new HttpError(409, 'printer_offline', `${printer.name} is offline`);
    if (!driver.supports.has(command))
      throw new HttpError(501, 'command_unsupported', new UnsupportedCommandError(command, printer.api_type).message);
    try {
      await send(driver);
    } catch (error) {
      if (error instanceof UnsupportedCommandError) throw new HttpError(501, 'command_unsupported', error.message);
      if (error instanceof PrinterCommandError) throw commandRefusal(error);
      throw new HttpError(
        502,
        'command_failed',
        `${printer.name} did not take the command: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /**
   * Tries a connection without saving anything and answers in the shape every test-connection route
   * returns (printers, bambu, setup). Unknown protocols answer 501; a driver that throws is a failed test.
   */
  async test(connection: PrinterConnection): Promise<TestConnectionReply> {
    const module = this.registry[connection.apiType];
    if (!module)
      throw new HttpError(501, 'protocol_unsupported', `Testing ${connection.apiType} printers is not available in this version`);
    let result: ConnectionTestResult;
    try {
      result = await module.test(connection, this.driverOptions());
    } catch (error) {
      result = { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    return { success: result.ok, message: result.message, ...(result.info ? { info: result.info } : {}) };
  }
}

/** A driver's refusal as an HTTP answer: its own status where a client can act on it, else 502. */
function commandRefusal(error: PrinterCommandError): HttpError {
  switch (error.status) {
    case 400:
      return new HttpError(400, 'command_invalid', error.message);
    case 409:
      return new HttpError(409, 'command_refused', error.message);
    case 504:
      return new HttpError(504, 'printer_timeout', error.message);
    default:
      return new HttpError(502, 'command_failed', error.message);
  }
}

export function assertFound<T>(value: T | undefined | null, what = 'Printer'): T {
  if (value === undefined || value === null) throw notFound('not_found', `${what} not found`);
  return value;
}
