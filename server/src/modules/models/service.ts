import type { Updateable } from 'kysely';

import type { Actor } from '../../core/actor.js';
import type { ModelsTable } from '../../core/database/schema.js';
import { notFound } from '../../core/errors.js';
import type { AuditLog } from '../audit/audit-log.js';
import { colourOrFail, normaliseMaterial } from '../filaments/service.js';
import { type CostBreakdown, costOf } from '../pricing/pricing.js';
import type { PricingService } from '../pricing/service.js';
import type { PrintFileDto } from '../print-files/schemas.js';
import type { PrintFilesService } from '../print-files/service.js';
import type { ModelRecord, ModelsRepository } from './repository.js';
import type { CreateModelInput, ModelDto, UpdateModelInput } from './schemas.js';

type Requirement = { color: string | null; grams: number | null; filament_type: string | null };
type Requirements = Record<string, Requirement>;

function parseRequirements(text: string | null): Requirements {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Requirements) : {};
  } catch {
    return {};
  }
}

function cleanRequirements(
  input: Record<string, { color?: string | null; grams?: number | null; filament_type?: string | null }>,
): Requirements {
  const out: Requirements = {};
  for (const [slot, req] of Object.entries(input)) {
    out[String(Number(slot))] = {
      color: colourOrFail(req.color ?? null, `color_requirements.${slot}.color`) ?? null,
      grams: req.grams ?? null,
      filament_type: req.filament_type ? normaliseMaterial(req.filament_type) : null,
    };
  }
  return out;
}

/** What the file's slice says each slot needs (slot = tool index + 1). */
function requirementsOf(file: PrintFileDto): Requirements {
  const out: Requirements = {};
  for (const f of file.filaments)
    out[String(f.index + 1)] = { color: f.color_hex, grams: f.grams, filament_type: f.type ? normaliseMaterial(f.type) : null };
  return out;
}

export function toModelDto(row: ModelRecord): ModelDto {
  const requirements = parseRequirements(row.color_requirements);
  const values = Object.values(requirements);
  return {
    id: row.id,
    name: row.name,
    build_time_hours: row.build_time_hours,
    default_filament_type: row.default_filament_type,
    color_requirements: requirements,
    required_colors: [...new Set(values.map((r) => r.color?.toLowerCase()).filter((c): c is string => !!c))],
    total_filament_grams: Math.round(values.reduce((sum, r) => sum + (r.grams ?? 0), 0) * 10) / 10,
    category: row.category,
    thumbnail_url: row.thumbnail_url,
    print_file_id: row.print_file_id,
    notes: row.notes,
    cost_per_item: row.cost_per_item,
    units_per_bed: row.units_per_bed,
    quantity_per_bed: row.quantity_per_bed,
    markup_percent: row.markup_percent,
    is_favorite: Boolean(row.is_favorite),
    variant_count: Number(row.variant_count),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Models: what customers order, with what each needs per slot and what it costs. */
export class ModelsService {
  constructor(
    private readonly models: ModelsRepository,
    private readonly files: PrintFilesService,
    private readonly pricing: PricingService,
    private readonly audit: AuditLog,
  ) {}

  async list(filter: { search?: string | undefined; category?: string | undefined } = {}): Promise<ModelDto[]> {
    return (await this.models.list(filter)).map(toModelDto);
  }

  async get(id: number): Promise<ModelDto> {
    const row = await this.models.find(id);
    if (!row) throw notFound('model_not_found', `Model ${id} does not exist`);
    return toModelDto(row);
  }

  async create(input: CreateModelInput, actor: Actor): Promise<ModelDto> {
    const file = input.print_file_id ? await this.files.get(input.print_file_id) : null;
    const now = new Date().toISOString();
    const fromFile = file ? requirementsOf(file) : {};
    const { id } = await this.models.insert({
      name: input.name.trim(),
      build_time_hours:
        input.build_time_hours ?? (file?.print_time_seconds ? Math.round((file.print_time_seconds / 3600) * 100) / 100 : null),
      default_filament_type: input.default_filament_type
        ? normaliseMaterial(input.default_filament_type)
        : (Object.values(fromFile)[0]?.filament_type ?? null),
      color_requirements: JSON.stringify(input.color_requirements ? cleanRequirements(input.color_requirements) : fromFile),
      category: input.category ?? null,
      thumbnail_url: input.thumbnail_url ?? file?.thumbnail_url ?? null,
      print_file_id: file?.id ?? null,
      notes: input.notes ?? null,
      cost_per_item: input.cost_per_item ?? null,
      units_per_bed: input.units_per_bed ?? 1,
      quantity_per_bed: input.quantity_per_bed ?? input.units_per_bed ?? 1,
      markup_percent: input.markup_percent ?? (await this.pricing.get()).default_markup_percent,
      is_favorite: input.is_favorite ?? false,
      created_at: now,
      updated_at: now,
    });
    if (file) await this.files.linkModel(file.id, id);
    await this.audit.record({ action: 'create', entityType: 'model', entityId: id, details: { name: input.name }, actor });
    return this.get(id);
  }

  async update(id: number, input: UpdateModelInput, actor: Actor): Promise<ModelDto> {
    await this.get(id);
    const changes: Updateable<ModelsTable> = { updated_at: new Date().toISOString() };
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue;
      if (key === 'color_requirements') changes.color_requirements = JSON.stringify(cleanRequirements(input.color_requirements ?? {}));
      else if (key === 'default_filament_type') changes.default_filament_type = value === null ? null : normaliseMaterial(value as string);
      else if (key === 'name') changes.name = (value as string).trim();
      else Object.assign(changes, { [key]: value });
    }
    if (input.print_file_id) {
      await this.files.get(input.print_file_id);
      await this.files.linkModel(input.print_file_id, id);
    }
    await this.models.update(id, changes);
    await this.audit.record({ action: 'update', entityType: 'model', entityId: id, details: { fields: Object.keys(input) }, actor });
    return this.get(id);
  }

  async delete(id: number, actor: Actor): Promise<void> {
    const model = await this.get(id);
    await this.models.delete(id);
    await this.audit.record({ action: 'delete', entityType: 'model', entityId: id, details: { name: model.name }, actor });
  }

  async variants(id: number): Promise<PrintFileDto[]> {
    await this.get(id);
    return this.files.list({ model_id: id });
  }

  /** Takes a print file off a model (the file stays in the library). */
  async removeVariant(id: number, fileId: number, actor: Actor): Promise<void> {
    const model = await this.get(id);
    const file = await this.files.get(fileId);
    if (file.model_id !== id) throw notFound('variant_not_found', `Print file ${fileId} is not a variant of ${model.name}`);
    await this.files.linkModel(fileId, null);
    if (model.print_file_id === fileId) {
      const [next] = await this.files.list({ model_id: id });
      await this.models.update(id, { print_file_id: next?.id ?? null, updated_at: new Date().toISOString() });
    }
    await this.audit.record({ action: 'remove_variant', entityType: 'model', entityId: id, details: { print_file_id: fileId }, actor });
  }

  async cost(id: number): Promise<CostBreakdown & { model_id: number }> {
    const model = await this.get(id);
    return { model_id: id, ...this.#cost(model, await this.pricing.get()) };
  }

  async withPricing(): Promise<(ModelDto & { cost: CostBreakdown })[]> {
    const [models, config] = await Promise.all([this.list(), this.pricing.get()]);
    return models.map((m) => ({ ...m, cost: this.#cost(m, config) }));
  }

  #cost(model: ModelDto, config: Awaited<ReturnType<PricingService['get']>>): CostBreakdown {
    const filament = Object.values(model.color_requirements).map((r) => ({
      material: r.filament_type ?? model.default_filament_type,
      grams: r.grams ?? 0,
    }));
    return costOf(
      { filament, print_hours: model.build_time_hours ?? 0, units_per_bed: model.units_per_bed, markup_percent: model.markup_percent },
      config,
    );
  }

  async mesh(id: number) {
    const model = await this.get(id);
    if (model.print_file_id === null) throw notFound('mesh_not_available', `${model.name} has no print file to show`);
    return this.files.mesh(model.print_file_id);
  }
}
