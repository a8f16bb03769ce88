import type { Insertable, Kysely } from 'kysely';

import { Repository } from '../../core/database/repository.js';
import type { AmsTelemetryTable, DB, HmsErrorHistoryTable, PrinterTelemetryTable } from '../../core/database/schema.js';

export interface TemperatureSample {
  recorded_at: string;
  bed_temp: number | null;
  nozzle_temp: number | null;
  bed_target: number | null;
  nozzle_target: number | null;
  fan_speed: number | null;
}

export interface HmsHistoryEntry {
  id: number;
  code: string;
  message: string | null;
  severity: string | null;
  source: string | null;
  occurred_at: string;
  cleared_at: string | null;
}

export interface AmsSample {
  ams_unit: number;
  humidity: number | null;
  humidity_index: number | null;
  temperature: number | null;
  recorded_at: string;
}

/** Rows a chart may ask for at most, whatever the time window. */
const TEMPERATURE_LIMIT = 10_000;
const AMS_LIMIT = 20_000;

/**
 * The history tables the live state forgets: printer_telemetry (temperatures while printing),
 * hms_error_history (when each health message appeared and cleared) and ams_telemetry (AMS humidity
 * and temperature over time).
 */
export class PrinterHistoryRepository extends Repository {
  async insertTemperatures(rows: Insertable<PrinterTelemetryTable>[], db: Kysely<DB> = this.db): Promise<void> {
    if (rows.length === 0) return;
    await db.insertInto('printer_telemetry').values(rows).execute();
  }

  /** Oldest first. */
  temperaturesSince(printerId: number, since: string): Promise<TemperatureSample[]> {
    return this.db
      .selectFrom('printer_telemetry')
      .select(['recorded_at', 'bed_temp', 'nozzle_temp', 'bed_target', 'nozzle_target', 'fan_speed'])
      .where('printer_id', '=', printerId)
      .where('recorded_at', '>=', since)
      .orderBy('recorded_at')
      .limit(TEMPERATURE_LIMIT)
      .execute();
  }

  /** Every message not cleared yet, across all printers. */
  openHms(): Promise<{ printer_id: number; code: string; message: string | null; severity: string | null }[]> {
    return this.db
      .selectFrom('hms_error_history')
      .select(['printer_id', 'code', 'message', 'severity'])
      .where('cleared_at', 'is', null)
      .execute();
  }

  async insertHms(rows: Insertable<HmsErrorHistoryTable>[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.insertInto('hms_error_history').values(rows).execute();
  }

  /** Marks the printer's open messages with these codes cleared. */
  async clearHms(printerId: number, codes: string[], at: string): Promise<void> {
    if (codes.length === 0) return;
    await this.db
      .updateTable('hms_error_history')
      .set({ cleared_at: at })
      .where('printer_id', '=', printerId)
      .where('code', 'in', codes)
      .where('cleared_at', 'is', null)
      .execute();
  }

  /** Newest first. */
  hmsHistory(printerId: number, limit: number): Promise<HmsHistoryEntry[]> {
    return this.db
      .selectFrom('hms_error_history')
      .select(['id', 'code', 'message', 'severity', 'source', 'occurred_at', 'cleared_at'])
      .where('printer_id', '=', printerId)
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  async insertAms(rows: Insertable<AmsTelemetryTable>[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.insertInto('ams_telemetry').values(rows).execute();
  }

  /** Oldest first. */
  amsSince(printerId: number, since: string): Promise<AmsSample[]> {
    return this.db
      .selectFrom('ams_telemetry')
      .select(['ams_unit', 'humidity', 'humidity_index', 'temperature', 'recorded_at'])
      .where('printer_id', '=', printerId)
      .where('recorded_at', '>=', since)
      .orderBy('recorded_at')
      .limit(AMS_LIMIT)
      .execute();
  }
}
