import type { Actor } from '../../core/actor.js';
import { HttpError } from '../../core/errors.js';
import type { LiveStates } from '../../printers/live-states.js';
import type { AmsTray } from '../../printers/state.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { PrinterCommands } from '../printers/commands.js';
import type { FilamentSlotsRepository } from '../printers/filament-slots-repository.js';
import type { SlotDto } from '../printers/schemas.js';
import { type PrintersService, toSlotDto } from '../printers/service.js';
import type { SlotMatcher } from '../spools/slot-matcher.js';

/** AMS sync, slot matching and the chamber light behind the Bambu/AMS routes. */
export class BambuService {
  constructor(
    private readonly printers: PrintersService,
    private readonly slots: FilamentSlotsRepository,
    private readonly commands: PrinterCommands,
    private readonly live: LiveStates,
    private readonly audit: AuditLog,
    private readonly matcher: SlotMatcher,
  ) {}

  /**
   * Copies every reported AMS tray into its slot now (AMS 1 → slots 1–4, AMS 2 → 5–8 …, the external
   * spool → 0), growing the printer's slot count when it has more trays than slots, and matches the
   * trays to spools (see SlotMatcher); an empty tray clears the slot.
   */
  async syncAms(printerId: number, actor: Actor): Promise<{ synced: number; slots: SlotDto[] }> {
    const printer = await this.printers.get(printerId);
    const state = this.live.get(printerId);
    if (!state.online) throw new HttpError(409, 'printer_offline', `${printer.name} is offline; its AMS cannot be read`);
    const trays: AmsTray[] = (state.ams ?? []).flatMap((unit) => unit.trays);
    if (trays.length === 0) throw new HttpError(409, 'ams_not_reported', `${printer.name} reports no AMS trays`);
    const needed = Math.min(16, Math.max(printer.slot_count, ...trays.map((t) => (t.tray_id < 16 ? t.tray_id + 1 : 0))));
    if (needed > printer.slot_count) await this.printers.growSlots(printerId, needed);
    // The slot matcher follows the AMS on its own; this runs it now and waits for it.
    await this.matcher.syncNow(printerId);
    const synced = trays.length;
    const result = { synced, slots: await this.printers.slots(printerId) };
    await this.audit.record({ action: 'sync_ams', entityType: 'printer', entityId: printerId, details: { synced }, actor });
    return result;
  }

  async unmatchedSlots(printerId: number): Promise<SlotDto[]> {
    await this.printers.assertExists(printerId);
    return (await this.slots.unmatched(printerId)).map(toSlotDto);
  }

  /** Switches the chamber light (toggles when `on` is undefined); returns the new setting. */
  async setLights(printerId: number, on: boolean | undefined, actor: Actor): Promise<{ on: boolean; printerName: string }> {
    const printer = await this.printers.get(printerId);
    const next = on ?? !(this.live.get(printer.id).lights_on ?? printer.lights_on ?? false);
    await this.commands.run(printer, 'setLight', (driver) => driver.setLight(next));
    await this.printers.recordLights(printer.id, next);
    await this.audit.record({
      action: next ? 'lights_on' : 'lights_off',
      entityType: 'printer',
      entityId: printer.id,
      details: { name: printer.name },
      actor,
    });
    return { on: next, printerName: printer.name };
  }
}
