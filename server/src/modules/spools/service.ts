import type { Kysely } from 'kysely';

import type { Actor } from '../../core/actor.js';
import { isUniqueViolation } from '../../core/database/errors.js';
import type { DB } from '../../core/database/schema.js';
import { badRequest, conflict, notFound } from '../../core/errors.js';
import type { OdinBus } from '../../events.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { FilamentsService } from '../filaments/service.js';
import { colourOrFail } from '../filaments/service.js';
import type { FilamentSlotsRepository } from '../printers/filament-slots-repository.js';
import type { PrintersService } from '../printers/service.js';
import { newSpoolCode, normaliseSpoolCode } from './qr-code.js';
import type { SpoolChanges, SpoolListRecord, SpoolRecord, SpoolsRepository, UsageRecord } from './repository.js';
import type { CreateSpoolInput, SpoolDto, SpoolQueryInput, SpoolStatus, UpdateSpoolInput, UsageDto } from './schemas.js';
import { SPOOL_STATUSES } from './schemas.js';

const round1 = (n: number) => Math.round(n * 10) / 10;

export function toSpoolDto(row: SpoolListRecord): SpoolDto {
  const initial = row.initial_weight_g;
  const status = (SPOOL_STATUSES as readonly string[]).includes(row.status) ? (row.status as SpoolStatus) : 'active';
  return {
    id: row.id,
    filament_id: row.filament_id,
    qr_code: row.qr_code,
    rfid_tag: row.rfid_tag,
    color_hex: row.color_hex ?? row.filament_color_hex,
    initial_weight_g: initial,
    remaining_weight_g: round1(row.remaining_weight_g),
    remaining_percent: initial > 0 ? Math.max(0, Math.min(100, round1((row.remaining_weight_g / initial) * 100))) : 0,
    spool_weight_g: row.spool_weight_g,
    price: row.price,
    cost_per_gram: row.price !== null && initial > 0 ? Math.round((row.price / initial) * 10000) / 10000 : row.filament_cost_per_gram,
    purchase_date: row.purchase_date,
    vendor: row.vendor,
    lot_number: row.lot_number,
    status,
    location_printer_id: row.location_printer_id,
    location_printer_name: row.location_printer_name,
    location_slot: row.location_slot,
    storage_location: row.storage_location,
    notes: row.notes,
    spoolman_spool_id: row.spoolman_spool_id,
    source: row.source,
    filament_brand: row.filament_brand,
    filament_name: row.filament_name,
    material: row.material,
    last_weighed_at: row.last_weighed_at,
    last_used_at: row.last_used_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function toUsageDto(row: UsageRecord): UsageDto {
  return {
    ...row,
    weight_used_g: round1(row.weight_used_g),
    remaining_after_g: row.remaining_after_g === null ? null : round1(row.remaining_after_g),
  };
}

/** Spools: the stock itself, where each one is, and what was drawn from it. */
export class SpoolsService {
  constructor(
    private readonly spools: SpoolsRepository,
    private readonly filaments: FilamentsService,
    private readonly printers: PrintersService,
    private readonly slots: FilamentSlotsRepository,
    private readonly audit: AuditLog,
    private readonly bus: OdinBus,
  ) {}

  async list(query: SpoolQueryInput = {}): Promise<SpoolDto[]> {
    const rows = await this.spools.list({
      status: query.status === 'all' ? undefined : query.status,
      // Without a status filter, archived spools are history, not stock: hidden.
      hideArchived: query.status === undefined,
      material: query.material,
      filament_id: query.filament_id,
      printer_id: query.printer_id,
      in_storage: query.in_storage,
      search: query.search,
      limit: query.limit,
      offset: query.offset,
    });
    return rows.map(toSpoolDto);
  }

  /** These spools (any status), in id order; ids that do not exist are left out. */
  async many(ids: readonly number[]): Promise<SpoolDto[]> {
    return (await this.spools.list({ ids })).map(toSpoolDto);
  }

  async get(id: number, db?: Kysely<DB>): Promise<SpoolDto> {
    const [row] = await this.spools.list({ ids: [id] }, db);
    if (!row) throw notFound('spool_not_found', `Spool ${id} does not exist`);
    return toSpoolDto(row);
  }

  async detail(id: number): Promise<SpoolDto & { usage: UsageDto[] }> {
    const spool = await this.get(id);
    return { ...spool, usage: (await this.spools.usage(id)).map(toUsageDto) };
  }

  /** Every use of every spool, newest first, for the CSV export. */
  usageHistory() {
    return this.spools.allUsage();
  }

  async byQr(qrCode: string): Promise<SpoolDto> {
    const row = await this.spools.findByQr(normaliseSpoolCode(qrCode));
    if (!row) throw notFound('spool_qr_not_found', `No spool has the code ${normaliseSpoolCode(qrCode)}`);
    return this.get(row.id);
  }

  async record(id: number, db?: Kysely<DB>): Promise<SpoolRecord> {
    const row = await this.spools.find(id, db);
    if (!row) throw notFound('spool_not_found', `Spool ${id} does not exist`);
    return row;
  }

  /** Creates one spool, or `quantity` identical ones (each with its own code), in one transaction. */
  async create(input: CreateSpoolInput, actor: Actor): Promise<SpoolDto[]> {
    const filament = await this.filaments.record(input.filament_id);
    const initial = input.initial_weight_g ?? filament.net_weight_g ?? 1000;
    const remaining = input.remaining_weight_g ?? initial;
    if (remaining > initial * 1.2)
      throw badRequest('spool_weight_invalid', `Remaining weight ${remaining} g is more than the spool's initial ${initial} g`);
    const colour = colourOrFail(input.color_hex) ?? null;
    const quantity = input.quantity ?? 1;
    if (input.rfid_tag && quantity > 1)
      throw badRequest('rfid_tag_taken', 'An RFID tag belongs to one spool; bulk add cannot give it to several');
    const now = new Date().toISOString();
    const ids = await this.spools.transaction(async (trx) => {
      const created: number[] = [];
      for (let i = 0; i < quantity; i++) {
        const row = await this.insertWithFreshCode(
          {
            filament_id: filament.id,
            rfid_tag: input.rfid_tag ?? null,
            color_hex: colour,
            initial_weight_g: initial,
            remaining_weight_g: remaining,
            spool_weight_g: input.spool_weight_g ?? filament.spool_weight_g ?? 250,
            price: input.price ?? null,
            purchase_date: input.purchase_date ?? null,
            vendor: input.vendor ?? null,
            lot_number: input.lot_number ?? null,
            status: remaining <= 0 ? 'empty' : 'active',
            storage_location: input.storage_location ?? null,
            notes: input.notes ?? null,
            spoolman_spool_id: input.spoolman_spool_id ?? null,
            source: 'manual',
            created_at: now,
            updated_at: now,
          },
          trx,
        );
        created.push(row.id);
      }
      return created;
    });
    await this.audit.record({
      action: 'create',
      entityType: 'spool',
      entityId: ids[0] ?? null,
      details: { quantity, filament: `${filament.brand} ${filament.name}` },
      actor,
    });
    return this.many(ids);
  }

  /** Inserts with a new QR code, drawing again on the (rare) collision; a taken RFID tag is a 409. */
  async insertWithFreshCode(values: Omit<Parameters<SpoolsRepository['insert']>[0], 'qr_code'>, db: Kysely<DB>): Promise<SpoolRecord> {
    for (let attempt = 0; ; attempt++) {
      try {
        // A savepoint would be needed to retry inside a PostgreSQL transaction after a failed insert;
        // the tag is checked first instead, so the only retryable violation is the code.
        if (attempt === 0 && values.rfid_tag && (await this.spools.findByRfid(values.rfid_tag, db)))
          throw conflict('rfid_tag_taken', `Another spool carries RFID tag ${values.rfid_tag}`);
        return await this.spools.insert({ ...values, qr_code: newSpoolCode() }, db);
      } catch (err) {
        if (!isUniqueViolation(err) || attempt >= 3) throw err;
      }
    }
  }

  async update(id: number, input: UpdateSpoolInput, actor: Actor): Promise<SpoolDto> {
    const current = await this.record(id);
    const changes: SpoolChanges = { updated_at: new Date().toISOString() };
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue;
      if (key === 'color_hex') changes.color_hex = colourOrFail(value as string | null) ?? null;
      else Object.assign(changes, { [key]: value });
    }
    if (input.filament_id !== undefined) await this.filaments.record(input.filament_id);
    const initial = changes.initial_weight_g ?? current.initial_weight_g;
    const remaining = changes.remaining_weight_g ?? current.remaining_weight_g;
    if (remaining > initial * 1.2)
      throw badRequest('spool_weight_invalid', `Remaining weight ${remaining} g is more than the spool's initial ${initial} g`);
    if (input.rfid_tag) {
      const holder = await this.spools.findByRfid(input.rfid_tag);
      if (holder && holder.id !== id) throw conflict('rfid_tag_taken', `Spool ${holder.qr_code} carries RFID tag ${input.rfid_tag}`);
    }
    if (input.status && input.status !== 'active' && current.location_printer_id !== null) {
      // An empty or archived spool is not in a printer any more.
      await this.leaveSlot(current);
      changes.location_printer_id = null;
      changes.location_slot = null;
    }
    await this.spools.update(id, changes);
    await this.audit.record({ action: 'update', entityType: 'spool', entityId: id, details: { fields: Object.keys(input) }, actor });
    return this.get(id);
  }

  /** A spool with history is archived (its use stays in the reports); one without is deleted. */
  async delete(id: number, actor: Actor): Promise<{ deleted: boolean; archived: boolean }> {
    const spool = await this.record(id);
    await this.leaveSlot(spool);
    const history = await this.spools.usageCount(id);
    if (history > 0) {
      await this.spools.update(id, {
        status: 'archived',
        location_printer_id: null,
        location_slot: null,
        updated_at: new Date().toISOString(),
      });
      await this.audit.record({ action: 'archive', entityType: 'spool', entityId: id, details: { qr_code: spool.qr_code }, actor });
      return { deleted: false, archived: true };
    }
    await this.spools.delete(id);
    await this.audit.record({ action: 'delete', entityType: 'spool', entityId: id, details: { qr_code: spool.qr_code }, actor });
    return { deleted: true, archived: false };
  }

  /** Puts a spool into a printer slot: whatever spool the slot held goes back to storage. */
  async load(id: number, printerId: number, slotNumber: number, actor: Actor): Promise<SpoolDto> {
    const spool = await this.record(id);
    if (spool.status !== 'active') throw conflict('spool_not_active', `Spool ${spool.qr_code} is ${spool.status}; it cannot be loaded`);
    const printer = await this.printers.get(printerId);
    const slot = printer.filament_slots.find((s) => s.slot_number === slotNumber);
    if (!slot) throw notFound('slot_not_found', `Printer ${printer.name} has no slot ${slotNumber}`);
    const filament = await this.filaments.record(spool.filament_id);
    const now = new Date().toISOString();
    await this.spools.transaction(async (trx) => {
      await this.spools.vacateSlot(printerId, slotNumber, id, now, trx);
      await this.leaveSlot(spool, trx);
      await this.spools.update(
        id,
        { location_printer_id: printerId, location_slot: slotNumber, storage_location: null, updated_at: now },
        trx,
      );
      // A slot the printer reports keeps the printer's own type and colour; a manual slot takes the spool's.
      const reported = slot.source === 'printer' && slot.filament_type !== null;
      await this.slots.update(
        printerId,
        slotNumber,
        {
          assigned_spool_id: id,
          spool_confirmed: true,
          attention: null,
          loaded_at: now,
          ...(reported ? {} : { filament_type: filament.material, color_hex: spool.color_hex ?? filament.color_hex, source: 'manual' }),
        },
        trx,
      );
    });
    await this.audit.record({
      action: 'load',
      entityType: 'spool',
      entityId: id,
      details: { qr_code: spool.qr_code, printer: printer.name, slot: slotNumber },
      actor,
    });
    return this.get(id);
  }

  async loadByQr(qrCode: string, printerId: number, slotNumber: number, actor: Actor): Promise<SpoolDto> {
    const spool = await this.byQr(qrCode);
    return this.load(spool.id, printerId, slotNumber, actor);
  }

  async unload(id: number, storageLocation: string | null | undefined, actor: Actor): Promise<SpoolDto> {
    const spool = await this.record(id);
    if (spool.location_printer_id === null) throw conflict('spool_not_loaded', `Spool ${spool.qr_code} is not in a printer`);
    const now = new Date().toISOString();
    await this.spools.transaction(async (trx) => {
      await this.leaveSlot(spool, trx);
      await this.spools.update(
        id,
        { location_printer_id: null, location_slot: null, storage_location: storageLocation ?? spool.storage_location, updated_at: now },
        trx,
      );
    });
    await this.audit.record({ action: 'unload', entityType: 'spool', entityId: id, details: { qr_code: spool.qr_code }, actor });
    return this.get(id);
  }

  /** Records filament drawn from a spool; a spool that runs out becomes `empty`. */
  async use(
    id: number,
    grams: number,
    options: { jobId?: number | null; notes?: string | null; printerId?: number | null },
    actor: Actor,
  ): Promise<SpoolDto> {
    const spool = await this.record(id);
    if (spool.status === 'archived') throw conflict('spool_not_active', `Spool ${spool.qr_code} is archived`);
    const remaining = Math.max(0, spool.remaining_weight_g - grams);
    const now = new Date().toISOString();
    await this.spools.transaction(async (trx) => {
      await this.spools.update(
        id,
        { remaining_weight_g: remaining, last_used_at: now, updated_at: now, ...(remaining <= 0 ? { status: 'empty' } : {}) },
        trx,
      );
      await this.spools.addUsage(
        {
          spool_id: id,
          job_id: options.jobId ?? null,
          printer_id: options.printerId ?? spool.location_printer_id,
          weight_used_g: Math.min(grams, spool.remaining_weight_g),
          kind: 'use',
          remaining_after_g: remaining,
          used_at: now,
          user_id: actor.userId,
          notes: options.notes ?? null,
        },
        trx,
      );
    });
    await this.audit.record({ action: 'use', entityType: 'spool', entityId: id, details: { grams, qr_code: spool.qr_code }, actor });
    const dto = await this.get(id);
    this.bus.emit('spool_used', {
      spoolId: id,
      spoolmanSpoolId: spool.spoolman_spool_id,
      grams: Math.min(grams, spool.remaining_weight_g),
      remainingG: remaining,
      material: dto.material,
      printerId: options.printerId ?? spool.location_printer_id,
      kind: 'use',
    });
    return dto;
  }

  /** A scale reading: gross minus the empty spool is what is left. */
  async weigh(id: number, grossGrams: number, notes: string | null | undefined, actor: Actor): Promise<SpoolDto> {
    const spool = await this.record(id);
    const net = grossGrams - spool.spool_weight_g;
    // A few grams of scale error below the empty spool still means "empty", not a mistake.
    if (net < -25)
      throw badRequest(
        'spool_weight_invalid',
        `${grossGrams} g is less than the empty spool (${spool.spool_weight_g} g); check the spool weight or the scale`,
      );
    if (net > spool.initial_weight_g * 1.2)
      throw badRequest(
        'spool_weight_invalid',
        `${grossGrams} g would leave ${Math.round(net)} g of filament, more than the spool's ${spool.initial_weight_g} g`,
      );
    const remaining = Math.max(0, net);
    const now = new Date().toISOString();
    await this.spools.transaction(async (trx) => {
      await this.spools.update(
        id,
        {
          remaining_weight_g: remaining,
          last_weighed_at: now,
          updated_at: now,
          status: remaining <= 0 ? 'empty' : spool.status === 'empty' ? 'active' : spool.status,
        },
        trx,
      );
      await this.spools.addUsage(
        {
          spool_id: id,
          printer_id: spool.location_printer_id,
          weight_used_g: spool.remaining_weight_g - remaining,
          kind: 'weigh',
          remaining_after_g: remaining,
          used_at: now,
          user_id: actor.userId,
          notes: notes ?? null,
        },
        trx,
      );
    });
    await this.audit.record({
      action: 'weigh',
      entityType: 'spool',
      entityId: id,
      details: { gross_g: grossGrams, remaining_g: remaining },
      actor,
    });
    return this.get(id);
  }

  /** Clears the slot row that points at this spool (if any). */
  private async leaveSlot(spool: SpoolRecord, db?: Kysely<DB>): Promise<void> {
    if (spool.location_printer_id === null || spool.location_slot === null) return;
    const slots = await this.slots.forPrinter(spool.location_printer_id, db);
    const slot = slots.find((s) => s.slot_number === spool.location_slot);
    if (slot?.assigned_spool_id === spool.id) {
      // A slot the printer reports still holds filament it can see; a manual slot is empty now.
      const reported = slot.source === 'printer' && slot.filament_type !== null;
      await this.slots.update(
        spool.location_printer_id,
        spool.location_slot,
        reported
          ? { assigned_spool_id: null, spool_confirmed: false, attention: 'unmatched' }
          : {
              assigned_spool_id: null,
              spool_confirmed: false,
              attention: null,
              filament_type: null,
              color_hex: null,
              color: null,
              loaded_at: null,
            },
        db,
      );
    }
  }
}
