import type { Actor } from '../../core/actor.js';
import { badRequest, conflict, notFound } from '../../core/errors.js';
import type { AuditLog } from '../audit/audit-log.js';
import { parseColour } from '../spools/colour.js';
import type { LowStockThresholds } from './low-stock.js';
import type { FilamentChanges, FilamentRecord, FilamentsRepository, FilamentStockRecord } from './repository.js';
import type { CreateFilamentInput, FilamentDto, FilamentFilter, UpdateFilamentInput } from './schemas.js';

/** Filament families are compared upper-case everywhere ("pla" and "PLA" are one material). */
export function normaliseMaterial(material: string): string {
  return material.trim().toUpperCase();
}

/** A colour as people type it → `#RRGGBB`; null stays null; anything unreadable is a 400. */
export function colourOrFail(input: string | null | undefined, field = 'color_hex'): string | null | undefined {
  if (input === undefined || input === null) return input;
  if (input.trim() === '') return null;
  const colour = parseColour(input);
  if (colour === null)
    throw badRequest('colour_invalid', `${field} "${input.slice(0, 40)}" is not a colour (use #RRGGBB, #RGB, rgb(…) or a colour name)`);
  return colour;
}

function checkRange(low: number | null | undefined, high: number | null | undefined, what: string): void {
  if (low !== null && low !== undefined && high !== null && high !== undefined && low > high)
    throw badRequest('validation_failed', `${what}: the minimum (${low}) is above the maximum (${high})`);
}

export class FilamentsService {
  constructor(
    private readonly filaments: FilamentsRepository,
    private readonly thresholds: LowStockThresholds,
    private readonly audit: AuditLog,
  ) {}

  async list(filter: FilamentFilter = {}): Promise<FilamentDto[]> {
    const [rows, byMaterial] = await Promise.all([this.filaments.list(filter), this.thresholds.byMaterial()]);
    return rows.map((row) => this.toDto(row, byMaterial));
  }

  async get(id: number): Promise<FilamentDto> {
    const [row] = await this.filaments.list({ ids: [id] });
    if (!row) throw notFound('filament_not_found', `Filament ${id} is not in the library`);
    return this.toDto(row, await this.thresholds.byMaterial());
  }

  async record(id: number): Promise<FilamentRecord> {
    const row = await this.filaments.find(id);
    if (!row) throw notFound('filament_not_found', `Filament ${id} is not in the library`);
    return row;
  }

  async create(input: CreateFilamentInput, actor: Actor): Promise<FilamentDto> {
    checkRange(input.nozzle_temp_min, input.nozzle_temp_max, 'Nozzle temperature');
    checkRange(input.bed_temp_min, input.bed_temp_max, 'Bed temperature');
    const now = new Date().toISOString();
    const row = await this.filaments.insert({
      brand: input.brand.trim(),
      name: input.name.trim(),
      material: normaliseMaterial(input.material ?? 'PLA'),
      color_hex: colourOrFail(input.color_hex) ?? null,
      cost_per_gram: input.cost_per_gram ?? null,
      density: input.density ?? null,
      diameter_mm: input.diameter_mm ?? 1.75,
      nozzle_temp_min: input.nozzle_temp_min ?? null,
      nozzle_temp_max: input.nozzle_temp_max ?? null,
      bed_temp_min: input.bed_temp_min ?? null,
      bed_temp_max: input.bed_temp_max ?? null,
      net_weight_g: input.net_weight_g ?? null,
      spool_weight_g: input.spool_weight_g ?? null,
      low_stock_threshold_g: input.low_stock_threshold_g ?? null,
      spoolman_filament_id: input.spoolman_filament_id ?? null,
      bambu_filament_id: input.bambu_filament_id ?? null,
      is_custom: true,
      notes: input.notes ?? null,
      created_at: now,
      updated_at: now,
    });
    await this.audit.record({
      action: 'create',
      entityType: 'filament',
      entityId: row.id,
      details: { brand: row.brand, name: row.name },
      actor,
    });
    return this.get(row.id);
  }

  async update(id: number, input: UpdateFilamentInput, actor: Actor): Promise<FilamentDto> {
    const current = await this.record(id);
    checkRange(input.nozzle_temp_min ?? current.nozzle_temp_min, input.nozzle_temp_max ?? current.nozzle_temp_max, 'Nozzle temperature');
    checkRange(input.bed_temp_min ?? current.bed_temp_min, input.bed_temp_max ?? current.bed_temp_max, 'Bed temperature');
    const changes: FilamentChanges = { updated_at: new Date().toISOString() };
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue;
      if (key === 'color_hex') changes.color_hex = colourOrFail(value as string | null) ?? null;
      else if (key === 'material') changes.material = normaliseMaterial(value as string);
      else if (key === 'brand' || key === 'name') changes[key] = (value as string).trim();
      else Object.assign(changes, { [key]: value });
    }
    await this.filaments.update(id, changes);
    await this.audit.record({ action: 'update', entityType: 'filament', entityId: id, details: { fields: Object.keys(input) }, actor });
    return this.get(id);
  }

  async delete(id: number, actor: Actor): Promise<void> {
    const dto = await this.get(id);
    if (dto.spool_count > 0)
      throw conflict('filament_in_use', `${dto.spool_count} active spool(s) are of this filament; archive or reassign them first`);
    try {
      await this.filaments.delete(id);
    } catch {
      // Archived or empty spools still point at it (the foreign key refuses).
      throw conflict('filament_in_use', 'Spools (archived or empty) still refer to this filament; delete those spools first');
    }
    await this.audit.record({
      action: 'delete',
      entityType: 'filament',
      entityId: id,
      details: { brand: dto.brand, name: dto.name },
      actor,
    });
  }

  toDto(row: FilamentStockRecord, byMaterial: ReadonlyMap<string, number>): FilamentDto {
    const threshold = row.low_stock_threshold_g ?? byMaterial.get(row.material) ?? null;
    const stock = Number(row.stock_g);
    return {
      id: row.id,
      brand: row.brand,
      name: row.name,
      material: row.material,
      color_hex: row.color_hex,
      cost_per_gram: row.cost_per_gram,
      density: row.density,
      diameter_mm: row.diameter_mm,
      nozzle_temp_min: row.nozzle_temp_min,
      nozzle_temp_max: row.nozzle_temp_max,
      bed_temp_min: row.bed_temp_min,
      bed_temp_max: row.bed_temp_max,
      net_weight_g: row.net_weight_g,
      spool_weight_g: row.spool_weight_g,
      low_stock_threshold_g: row.low_stock_threshold_g,
      spoolman_filament_id: row.spoolman_filament_id,
      bambu_filament_id: row.bambu_filament_id,
      is_custom: Boolean(row.is_custom),
      notes: row.notes,
      created_at: row.created_at,
      updated_at: row.updated_at,
      spool_count: Number(row.spool_count),
      stock_g: Math.round(stock * 10) / 10,
      is_low: threshold !== null && stock < threshold,
    };
  }
}
