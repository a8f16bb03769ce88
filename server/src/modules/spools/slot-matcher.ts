import type { Kysely } from 'kysely';
import { type Static, Type } from 'typebox';

import type { Actor } from '../../core/actor.js';
import type { DB } from '../../core/database/schema.js';
import { conflict, notFound } from '../../core/errors.js';
import type { OdinBus, SpoolUsedEvent } from '../../events.js';
import type { LiveStates } from '../../printers/live-states.js';
import type { AmsTray, PrinterState } from '../../printers/state.js';
import type { AuditLog } from '../audit/audit-log.js';
import { materialOf } from '../bambu/filament-types.js';
import type { FilamentsRepository } from '../filaments/repository.js';
import type { FilamentSlotsRepository, SlotChanges, SlotRecord } from '../printers/filament-slots-repository.js';
import { type SlotDto, SlotSchema } from '../printers/schemas.js';
import { toSlotDto } from '../printers/service.js';
import { colourDistance, colourName, DEFAULT_MAX_COLOUR_DISTANCE, parseColour } from './colour.js';
import type { SpoolRecord, SpoolsRepository } from './repository.js';
import { SpoolSchema } from './schemas.js';
import type { SpoolsService } from './service.js';

interface Logger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** What a printer reports about one of its slots. */
export interface ReportedSlot {
  slot_number: number;
  empty: boolean;
  material: string | null;
  filament_type: string | null;
  /** #RRGGBB, for matching. */
  color_hex: string | null;
  /** The colour as the slot keeps it: Bambu's 8-digit #RRGGBBAA (the contract keeps tray alpha). */
  slot_color: string | null;
  remaining_percent: number | null;
  tag_uid: string | null;
  tray_uuid: string | null;
  vendor_filament_id: string | null;
}

/**
 * Slot numbers for Bambu trays: AMS units 0–3 → 1–16 (as the printer numbers them, plus one),
 * AMS HT units (ids 128–135, one tray each) → 17–24, the external spool → 0. Fixed, so a spool's
 * slot does not change when an AMS is added or removed.
 */
export function slotOfTray(trayId: number): number | null {
  if (trayId >= 0 && trayId < 16) return trayId + 1;
  if (trayId >= 128 && trayId < 136) return 17 + (trayId - 128);
  if (trayId === 254 || trayId === 255) return 0;
  return null;
}

function reportedOf(tray: AmsTray): ReportedSlot | null {
  const slot = slotOfTray(tray.tray_id);
  if (slot === null) return null;
  return {
    slot_number: slot,
    empty: tray.empty,
    material: materialOf(tray.type),
    filament_type: tray.type ? tray.type.toUpperCase() : null,
    color_hex: tray.color ? parseColour(tray.color) : null,
    slot_color: tray.color ? `#${tray.color.replace(/^#/, '').toUpperCase()}` : null,
    remaining_percent: tray.remain,
    tag_uid: tray.tag_uid,
    tray_uuid: tray.tray_uuid,
    vendor_filament_id: tray.filament_id,
  };
}

/** Every slot the printer's state reports (AMS units, AMS HT, the external spool). */
export function reportedSlots(state: Pick<PrinterState, 'ams' | 'external_tray'>): ReportedSlot[] {
  const trays = [...(state.ams ?? []).flatMap((unit) => unit.trays), ...(state.external_tray ? [state.external_tray] : [])];
  return trays.map(reportedOf).filter((slot): slot is ReportedSlot => slot !== null);
}

export const NeedsAttentionSchema = Type.Intersect([
  SlotSchema,
  Type.Object({
    reason: Type.String({ description: 'unmatched, suggested, mismatch or rfid_conflict' }),
    candidates: Type.Array(Type.Intersect([SpoolSchema, Type.Object({ colour_distance: Type.Union([Type.Number(), Type.Null()]) })])),
  }),
]);
export type NeedsAttentionDto = Static<typeof NeedsAttentionSchema>;

/** A new RFID spool's weights: Bambu sells 1 kg of filament on a 250 g reusable spool. */
const RFID_SPOOL = { initial: 1000, spool: 250 } as const;

/**
 * Keeps filament_slots in step with what printers report, and matches each loaded slot to a spool:
 * RFID trays by their tag (a spool is created the first time a tag is seen, never twice), untagged
 * trays by material and perceptual colour distance, suggested until an operator confirms. Work is
 * queued per printer, so two reports of one printer never reconcile at the same time.
 */
export class SlotMatcher {
  readonly #queues = new Map<number, Promise<void>>();
  readonly #unsubscribe: (() => void)[] = [];

  constructor(
    private readonly deps: {
      spools: SpoolsRepository;
      spoolsService: SpoolsService;
      filaments: FilamentsRepository;
      slots: FilamentSlotsRepository;
      live: LiveStates;
      audit: AuditLog;
      /** 404 unless the printer exists. */
      assertPrinter: (printerId: number) => Promise<void>;
      bus: OdinBus;
      logger: Logger;
      maxColourDistance?: number;
    },
  ) {}

  start(): void {
    this.#unsubscribe.push(
      this.deps.bus.on('printer_state', ({ printerId, patch, state }) => {
        if (!('ams' in patch) && !('external_tray' in patch)) return;
        if (state.ams === null && state.external_tray === null) return;
        this.#enqueue(printerId, () => this.reconcile(printerId, reportedSlots(state)));
      }),
    );
  }

  /** Reconciles a printer's slots from its live state now, after any queued work for it (the sync-ams button). */
  async syncNow(printerId: number): Promise<void> {
    this.#enqueue(printerId, () => this.reconcile(printerId, reportedSlots(this.deps.live.get(printerId)), true));
    await this.#queues.get(printerId);
  }

  /** Waits for the queued work (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#queues.size > 0) await Promise.all([...this.#queues.values()]);
  }

  async stop(): Promise<void> {
    for (const off of this.#unsubscribe.splice(0)) off();
    await this.idle();
  }

  #enqueue(printerId: number, work: () => Promise<void>): void {
    const previous = this.#queues.get(printerId) ?? Promise.resolve();
    const next = previous
      .then(work)
      .catch((err: unknown) => this.deps.logger.error({ err, printerId }, 'matching filament slots to spools failed'))
      .finally(() => {
        if (this.#queues.get(printerId) === next) this.#queues.delete(printerId);
      });
    this.#queues.set(printerId, next);
  }

  /**
   * Brings the printer's slots in line with a report. `rematch` also looks again for spools for
   * slots still waiting for one (spools may have been added since the tray was reported).
   */
  async reconcile(printerId: number, reported: ReportedSlot[], rematch = false): Promise<void> {
    const { slots } = this.deps;
    const existing = new Map((await slots.forPrinter(printerId)).map((s) => [s.slot_number, s]));
    // An empty tray needs no row of its own (the external spool holder is usually empty).
    const missing = reported.filter((r) => !r.empty && !existing.has(r.slot_number)).map((r) => r.slot_number);
    if (missing.length > 0) {
      await slots.addEmpty(printerId, missing);
      for (const row of await slots.forPrinter(printerId)) existing.set(row.slot_number, row);
    }
    for (const report of reported) {
      const slot = existing.get(report.slot_number);
      if (!slot) continue;
      const waiting = rematch && !report.empty && (slot.attention === 'unmatched' || slot.attention === 'rfid_conflict');
      if (!waiting && !this.#changed(slot, report)) continue;
      await this.#reconcileSlot(printerId, slot, report);
    }
  }

  #changed(slot: SlotRecord, report: ReportedSlot): boolean {
    if (slot.source !== 'printer') return true;
    if (report.empty) return slot.filament_type !== null || slot.assigned_spool_id !== null;
    return (
      slot.filament_type !== report.filament_type ||
      slot.color_hex !== report.slot_color ||
      slot.remaining_percent !== report.remaining_percent ||
      slot.rfid_tag !== (report.tray_uuid ?? report.tag_uid)
    );
  }

  async #reconcileSlot(printerId: number, slot: SlotRecord, report: ReportedSlot): Promise<void> {
    const { slots, spools } = this.deps;
    const now = new Date().toISOString();
    const base: SlotChanges = {
      filament_type: report.empty ? null : report.filament_type,
      color_hex: report.empty ? null : report.slot_color,
      color: report.empty || !report.color_hex ? null : colourName(report.color_hex),
      remaining_percent: report.empty ? null : report.remaining_percent,
      rfid_tag: report.empty ? null : (report.tray_uuid ?? report.tag_uid),
      reported_at: now,
      source: 'printer',
    };
    const loadedBefore = slot.filament_type !== null;
    if (report.empty) {
      await spools.transaction(async (trx) => {
        await spools.vacateSlot(printerId, slot.slot_number, null, now, trx);
        await slots.update(
          printerId,
          slot.slot_number,
          { ...base, assigned_spool_id: null, spool_confirmed: false, attention: null, loaded_at: null },
          trx,
        );
      });
      return;
    }
    const loadedAt = loadedBefore && slot.filament_type === report.filament_type ? slot.loaded_at : now;
    if (report.tag_uid !== null || report.tray_uuid !== null) {
      await this.#matchTagged(printerId, slot, report, { ...base, loaded_at: loadedAt ?? now }, now);
      return;
    }
    await this.#matchUntagged(printerId, slot, report, { ...base, loaded_at: loadedAt ?? now }, now);
  }

  async #matchTagged(printerId: number, slot: SlotRecord, report: ReportedSlot, base: SlotChanges, now: string): Promise<void> {
    const { slots, spools, live } = this.deps;
    let used: SpoolUsedEvent | null = null;
    await spools.transaction(async (trx) => {
      let spool = await spools.findByTray(report.tag_uid, report.tray_uuid, trx);
      if (spool && spool.location_printer_id !== null && spool.location_printer_id !== printerId) {
        // The same tag in another printer that still reports it: two places at once cannot both be true.
        const located = spool;
        const elsewhere = reportedSlots(live.get(spool.location_printer_id));
        const stillThere = elsewhere.some(
          (r) =>
            r.slot_number === located.location_slot &&
            ((report.tray_uuid !== null && r.tray_uuid === report.tray_uuid) || (report.tag_uid !== null && r.tag_uid === report.tag_uid)),
        );
        if (stillThere && live.get(spool.location_printer_id).online) {
          this.deps.logger.warn(
            { printerId, spoolId: spool.id, other: spool.location_printer_id },
            'an RFID tag is reported by two printers at once',
          );
          await slots.update(
            printerId,
            slot.slot_number,
            { ...base, assigned_spool_id: null, spool_confirmed: false, attention: 'rfid_conflict' },
            trx,
          );
          return;
        }
      }
      if (!spool) spool = await this.#createTaggedSpool(report, now, trx);
      const changes: Parameters<SpoolsRepository['update']>[1] = { updated_at: now };
      if (spool.location_printer_id !== printerId || spool.location_slot !== slot.slot_number) {
        // It moved: the slot it was in (if that still says so) is no longer its place.
        if (spool.location_printer_id !== null && spool.location_slot !== null) {
          const old = (await slots.forPrinter(spool.location_printer_id, trx)).find((s) => s.slot_number === spool.location_slot);
          if (old?.assigned_spool_id === spool.id)
            await slots.update(spool.location_printer_id, spool.location_slot, { assigned_spool_id: null, spool_confirmed: false }, trx);
        }
        Object.assign(changes, { location_printer_id: printerId, location_slot: slot.slot_number, storage_location: null });
      }
      await spools.vacateSlot(printerId, slot.slot_number, spool.id, now, trx);
      if (report.remaining_percent !== null) {
        const remaining = (report.remaining_percent / 100) * spool.initial_weight_g;
        const drawn = spool.remaining_weight_g - remaining;
        // The AMS estimates in whole percent: record only a real step down, not a wobble.
        if (Math.abs(drawn) >= spool.initial_weight_g / 100 - 0.001) {
          Object.assign(changes, {
            remaining_weight_g: remaining,
            ...(drawn > 0 ? { last_used_at: now } : {}),
            ...(remaining <= 0 ? { status: 'empty' } : {}),
          });
          if (drawn > 0) {
            await spools.addUsage(
              {
                spool_id: spool.id,
                printer_id: printerId,
                weight_used_g: drawn,
                kind: 'rfid',
                remaining_after_g: remaining,
                used_at: now,
                user_id: null,
                notes: null,
              },
              trx,
            );
            used = {
              spoolId: spool.id,
              spoolmanSpoolId: spool.spoolman_spool_id,
              grams: drawn,
              remainingG: remaining,
              material: report.material,
              printerId,
              kind: 'rfid',
            };
          }
        }
      }
      if (spool.rfid_uuid === null && report.tray_uuid !== null) changes.rfid_uuid = report.tray_uuid;
      await spools.update(spool.id, changes, trx);
      await slots.update(
        printerId,
        slot.slot_number,
        { ...base, assigned_spool_id: spool.id, spool_confirmed: true, attention: null },
        trx,
      );
    });
    if (used) this.deps.bus.emit('spool_used', used);
  }

  async #createTaggedSpool(report: ReportedSlot, now: string, trx: Kysely<DB>): Promise<SpoolRecord> {
    const { filaments, spoolsService } = this.deps;
    const material = report.material ?? report.filament_type ?? 'PLA';
    // Bambu's own presets start with GF; a tagged spool is Bambu Lab filament.
    const brand = 'Bambu Lab';
    const match = { bambu_filament_id: report.vendor_filament_id, brand, material, color_hex: report.color_hex };
    let filament = await filaments.findMatch(match, trx);
    if (!filament) {
      filament = await filaments.insert(
        {
          brand,
          name: `${report.filament_type ?? material}${report.color_hex ? ` ${colourName(report.color_hex)}` : ''}`,
          material,
          color_hex: report.color_hex,
          bambu_filament_id: report.vendor_filament_id,
          net_weight_g: RFID_SPOOL.initial,
          spool_weight_g: RFID_SPOOL.spool,
          is_custom: false,
          created_at: now,
          updated_at: now,
        },
        trx,
      );
    }
    const remaining = report.remaining_percent === null ? RFID_SPOOL.initial : (report.remaining_percent / 100) * RFID_SPOOL.initial;
    return spoolsService.insertWithFreshCode(
      {
        filament_id: filament.id,
        rfid_tag: report.tag_uid,
        rfid_uuid: report.tray_uuid,
        color_hex: report.color_hex,
        initial_weight_g: RFID_SPOOL.initial,
        remaining_weight_g: remaining,
        spool_weight_g: RFID_SPOOL.spool,
        status: remaining <= 0 ? 'empty' : 'active',
        vendor: brand,
        source: 'rfid',
        created_at: now,
        updated_at: now,
      },
      trx,
    );
  }

  async #matchUntagged(printerId: number, slot: SlotRecord, report: ReportedSlot, base: SlotChanges, now: string): Promise<void> {
    const { slots, spools } = this.deps;
    await spools.transaction(async (trx) => {
      const current = slot.assigned_spool_id === null ? undefined : await spools.find(slot.assigned_spool_id, trx);
      if (current && current.status === 'active' && (await this.#fits(current, report, trx))) {
        // Still the spool it was; only a suggestion stays a suggestion.
        await slots.update(printerId, slot.slot_number, { ...base, attention: slot.spool_confirmed ? null : 'suggested' }, trx);
        return;
      }
      if (current && current.location_printer_id === printerId && current.location_slot === slot.slot_number)
        await spools.update(current.id, { location_printer_id: null, location_slot: null, updated_at: now }, trx);
      const best = await this.#bestCandidate(report, trx);
      await slots.update(
        printerId,
        slot.slot_number,
        best
          ? { ...base, assigned_spool_id: best.spool.id, spool_confirmed: false, attention: current ? 'mismatch' : 'suggested' }
          : { ...base, assigned_spool_id: null, spool_confirmed: false, attention: current ? 'mismatch' : 'unmatched' },
        trx,
      );
    });
  }

  async #fits(spool: SpoolRecord, report: ReportedSlot, db: Kysely<DB>): Promise<boolean> {
    const filament = await this.deps.filaments.find(spool.filament_id, db);
    if (!filament) return false;
    if (report.material !== null && filament.material !== report.material) return false;
    const colour = spool.color_hex ?? filament.color_hex;
    if (report.color_hex === null || colour === null) return true;
    return colourDistance(colour, report.color_hex) <= (this.deps.maxColourDistance ?? DEFAULT_MAX_COLOUR_DISTANCE);
  }

  /** The nearest active, untagged spool of the material that is not in another printer. */
  async #bestCandidate(report: ReportedSlot, db: Kysely<DB>): Promise<{ spool: SpoolRecord; distance: number | null } | null> {
    const ranked = await this.#rank(report, db);
    return (
      ranked.find(
        (c) =>
          c.spool.location_printer_id === null &&
          (c.distance === null || c.distance <= (this.deps.maxColourDistance ?? DEFAULT_MAX_COLOUR_DISTANCE)),
      ) ?? null
    );
  }

  async #rank(
    report: { material: string | null; color_hex: string | null },
    db?: Kysely<DB>,
  ): Promise<{ spool: SpoolRecord; distance: number | null }[]> {
    if (report.material === null) return [];
    const candidates = await this.deps.spools.candidates(report.material, db);
    const scored = candidates.map((spool) => {
      const colour = spool.color_hex ?? spool.filament_color_hex;
      return { spool, distance: report.color_hex && colour ? colourDistance(colour, report.color_hex) : null };
    });
    return scored.sort((a, b) => (a.distance ?? 1000) - (b.distance ?? 1000));
  }

  // ---- operator actions ---------------------------------------------------------------------------

  async slot(printerId: number, slotNumber: number): Promise<SlotDto> {
    const row = (await this.deps.slots.forPrinter(printerId)).find((s) => s.slot_number === slotNumber);
    if (!row) throw notFound('slot_not_found', `Printer ${printerId} has no slot ${slotNumber}`);
    return toSlotDto(row);
  }

  /** The operator agrees with ODIN's suggestion: the spool is now where the slot is. */
  async confirm(printerId: number, slotNumber: number, actor: Actor): Promise<SlotDto> {
    const slot = await this.slot(printerId, slotNumber);
    if (slot.assigned_spool_id === null) throw conflict('spool_not_loaded', `Slot ${slotNumber} has no spool to confirm; assign one`);
    const spoolId = slot.assigned_spool_id;
    const now = new Date().toISOString();
    await this.deps.spools.transaction(async (trx) => {
      await this.deps.spools.vacateSlot(printerId, slotNumber, spoolId, now, trx);
      await this.deps.spools.update(
        spoolId,
        { location_printer_id: printerId, location_slot: slotNumber, storage_location: null, updated_at: now },
        trx,
      );
      await this.deps.slots.update(printerId, slotNumber, { spool_confirmed: true, attention: null }, trx);
    });
    await this.deps.audit.record({
      action: 'confirm_slot',
      entityType: 'printer',
      entityId: printerId,
      details: { slot: slotNumber, spool_id: spoolId },
      actor,
    });
    return this.slot(printerId, slotNumber);
  }

  async needsAttention(printerId: number): Promise<NeedsAttentionDto[]> {
    await this.deps.assertPrinter(printerId);
    const rows = await this.deps.slots.forPrinter(printerId);
    const result: NeedsAttentionDto[] = [];
    for (const row of rows) {
      const loaded = row.filament_type !== null;
      const reason =
        row.attention ??
        (loaded && (row.assigned_spool_id === null || !row.spool_confirmed)
          ? row.assigned_spool_id === null
            ? 'unmatched'
            : 'suggested'
          : null);
      if (reason === null) continue;
      const ranked = await this.#rank({
        material: materialOf(row.filament_type),
        color_hex: row.color_hex ? parseColour(row.color_hex) : null,
      });
      const ids = ranked.slice(0, 5).map((c) => c.spool.id);
      const dtos = new Map((await this.deps.spoolsService.many(ids)).map((s) => [s.id, s]));
      result.push({
        ...toSlotDto(row),
        reason,
        candidates: ranked
          .slice(0, 5)
          .filter((c) => dtos.has(c.spool.id))
          .flatMap((c) => {
            const dto = dtos.get(c.spool.id);
            return dto ? [{ ...dto, colour_distance: c.distance === null ? null : Math.round(c.distance * 10) / 10 }] : [];
          }),
      });
    }
    return result;
  }
}
