import type { Kysely } from 'kysely';

import type { DB } from '../../core/database/schema.js';
import { HttpError } from '../../core/errors.js';
import type { LiveStates } from '../../printers/live-states.js';
import type { AmsTray } from '../../printers/state.js';
import type { SlotDto } from '../printers/schemas.js';
import { type PrintersService, toSlotDto } from '../printers/service.js';
import { materialOf } from './filament-types.js';

/** AMS sync, slot matching and the history tables behind the Bambu/AMS routes. */
export class BambuService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly printers: PrintersService,
    private readonly live: LiveStates,
  ) {}

  /**
   * Copies every reported AMS tray into slot `tray_id + 1` (AMS 1 → slots 1–4, AMS 2 → 5–8 …),
   * growing the printer's slot count when it has more trays than slots. Slots whose spool was
   * confirmed by hand keep their assignment; an empty tray clears the slot.
   */
  async syncAms(printerId: number): Promise<{ synced: number; slots: SlotDto[] }> {
    const printer = await this.printers.get(printerId);
    const state = this.live.get(printerId);
    if (!state.online) throw new HttpError(409, 'printer_offline', `${printer.name} is offline; its AMS cannot be read`);
    const trays: AmsTray[] = (state.ams ?? []).flatMap((unit) => unit.trays);
    if (trays.length === 0) throw new HttpError(409, 'ams_not_reported', `${printer.name} reports no AMS trays`);
    const needed = Math.min(16, Math.max(printer.slot_count, ...trays.map((t) => t.tray_id + 1)));
    if (needed > printer.slot_count) await this.printers.update(printerId, { slot_count: needed });
    const now = new Date().toISOString();
    let synced = 0;
    await this.db.transaction().execute(async (trx) => {
      for (const tray of trays) {
        const slot = tray.tray_id + 1;
        if (slot > needed) continue;
        const color = tray.color ? `#${tray.color.replace(/^#/, '').toUpperCase()}` : null;
        await trx
          .updateTable('filament_slots')
          .set(
            tray.empty
              ? { filament_type: null, color_hex: null, color: null, assigned_spool_id: null, spool_confirmed: false, loaded_at: null }
              : {
                  filament_type: materialOf(tray.type) === null ? null : (tray.type ?? '').toUpperCase(),
                  color_hex: color,
                  loaded_at: now,
                },
          )
          .where('printer_id', '=', printerId)
          .where('slot_number', '=', slot)
          .execute();
        synced++;
      }
    });
    return { synced, slots: await this.printers.slots(printerId) };
  }

  async unmatchedSlots(printerId: number): Promise<SlotDto[]> {
    await this.printers.get(printerId);
    const rows = await this.db
      .selectFrom('filament_slots')
      .selectAll()
      .where('printer_id', '=', printerId)
      .where('filament_type', 'is not', null)
      .where('spool_confirmed', '=', false)
      .where('assigned_spool_id', 'is', null)
      .orderBy('slot_number')
      .execute();
    return rows.map(toSlotDto);
  }

  async recordLights(printerId: number, on: boolean): Promise<void> {
    const now = new Date().toISOString();
    await this.db.updateTable('printers').set({ lights_on: on, lights_toggled_at: now }).where('id', '=', printerId).execute();
  }

  async hmsHistory(printerId: number, limit: number) {
    await this.printers.get(printerId);
    return this.db
      .selectFrom('hms_error_history')
      .select(['id', 'code', 'message', 'severity', 'source', 'occurred_at', 'cleared_at'])
      .where('printer_id', '=', printerId)
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  async amsEnvironment(printerId: number, since: string) {
    await this.printers.get(printerId);
    return this.db
      .selectFrom('ams_telemetry')
      .select(['ams_unit', 'humidity', 'humidity_index', 'temperature', 'recorded_at'])
      .where('printer_id', '=', printerId)
      .where('recorded_at', '>=', since)
      .orderBy('recorded_at')
      .limit(20_000)
      .execute();
  }
}
