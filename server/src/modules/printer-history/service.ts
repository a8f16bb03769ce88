import type { PrintersService } from '../printers/service.js';
import type { AmsSample, HmsHistoryEntry, PrinterHistoryRepository, TemperatureSample } from './repository.js';

/** A printer's recorded history for charts and the health log; 404 for an unknown printer. */
export class PrinterHistoryService {
  constructor(
    private readonly history: PrinterHistoryRepository,
    private readonly printers: PrintersService,
  ) {}

  async telemetry(printerId: number, since: string): Promise<TemperatureSample[]> {
    await this.printers.assertExists(printerId);
    return this.history.temperaturesSince(printerId, since);
  }

  async hmsHistory(printerId: number, limit: number): Promise<HmsHistoryEntry[]> {
    await this.printers.assertExists(printerId);
    return this.history.hmsHistory(printerId, limit);
  }

  async amsEnvironment(printerId: number, since: string): Promise<AmsSample[]> {
    await this.printers.assertExists(printerId);
    return this.history.amsSince(printerId, since);
  }
}
