import type { Model, ModelBody, Requirement } from '@/components/catalogue/catalogue-queries';
import type { MessageKey } from '@/i18n';

/** Materials offered while typing; any other name the server accepts too. */
export const COMMON_MATERIALS = ['PLA', 'PETG', 'ABS', 'ASA', 'TPU', 'PA', 'PC', 'PLA-CF', 'PETG-CF', 'PVA', 'HIPS'] as const;

export interface RequirementRow {
  /** Stable React key, not sent. */
  key: number;
  slot: string;
  color: string;
  material: string;
  grams: string;
}

/** The form as typed: numbers stay text until saving, so a half-typed "2." is not rewritten under the cursor. */
export interface ModelFormValues {
  name: string;
  category: string;
  buildTime: string;
  unitsPerBed: string;
  markup: string;
  notes: string;
  favorite: boolean;
  requirements: RequirementRow[];
}

export type ModelFormField = 'name' | 'buildTime' | 'unitsPerBed' | 'markup' | `slot.${number}` | `grams.${number}`;
export type ModelFormErrors = Partial<Record<ModelFormField, { key: MessageKey; params?: Record<string, string | number> }>>;

let rowKeys = 0;
export function requirementRow(slot: number, requirement?: Partial<Requirement>): RequirementRow {
  return {
    key: ++rowKeys,
    slot: String(slot),
    color: requirement?.color ?? '',
    material: requirement?.filament_type ?? '',
    grams: requirement?.grams === null || requirement?.grams === undefined ? '' : String(requirement.grams),
  };
}

const text = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));

/** A model as the form shows it; a new model starts with one slot and the default markup. */
export function formFromModel(model: Model | null, defaultMarkup: number | null = null): ModelFormValues {
  if (!model) {
    return {
      name: '',
      category: '',
      buildTime: '',
      unitsPerBed: '1',
      markup: text(defaultMarkup),
      notes: '',
      favorite: false,
      requirements: [requirementRow(1)],
    };
  }
  return {
    name: model.name,
    category: model.category ?? '',
    buildTime: text(model.build_time_hours),
    unitsPerBed: String(model.units_per_bed),
    markup: String(model.markup_percent),
    notes: model.notes ?? '',
    favorite: model.is_favorite,
    requirements: Object.entries(model.color_requirements)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([slot, requirement]) => requirementRow(Number(slot), requirement)),
  };
}

/** A decimal as people type it, with a comma too ("2,5"); null for empty, NaN for anything else. */
export function parseDecimal(value: string): number | null {
  const trimmed = value.trim().replace(',', '.');
  if (trimmed === '') return null;
  return /^\d*\.?\d+$|^\d+\.$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** The next free slot number after the highest one in use. */
export function nextSlot(rows: readonly RequirementRow[]): number {
  return rows.reduce((highest, row) => Math.max(highest, Number(row.slot) || 0), 0) + 1;
}

/**
 * Checks the form and builds the request body. Problems are keyed by field, so each shows under
 * its own input. Empty build time and grams mean "not known" (null); an empty markup on a new
 * model leaves the server's default.
 */
export function checkModelForm(values: ModelFormValues): { errors: ModelFormErrors; body: ModelBody | null } {
  const errors: ModelFormErrors = {};
  const name = values.name.trim();
  if (!name) errors.name = { key: 'catalogue.models.form.nameRequired' };

  const buildTime = parseDecimal(values.buildTime);
  if (buildTime !== null && (Number.isNaN(buildTime) || buildTime > 10_000))
    errors.buildTime = { key: 'catalogue.models.form.invalidNumber', params: { min: 0 } };

  const units = values.unitsPerBed.trim() === '' ? Number.NaN : Number(values.unitsPerBed.trim());
  if (!Number.isInteger(units) || units < 1 || units > 10_000) errors.unitsPerBed = { key: 'catalogue.models.form.invalidWhole' };

  const markup = parseDecimal(values.markup);
  if (markup !== null && (Number.isNaN(markup) || markup > 10_000))
    errors.markup = { key: 'catalogue.models.form.invalidNumber', params: { min: 0 } };

  const requirements: NonNullable<ModelBody['color_requirements']> = {};
  const seen = new Set<number>();
  values.requirements.forEach((row, index) => {
    const slot = Number(row.slot.trim());
    if (!Number.isInteger(slot) || slot < 1 || slot > 99 || seen.has(slot)) {
      errors[`slot.${index}`] = { key: 'catalogue.models.form.invalidWhole' };
      return;
    }
    seen.add(slot);
    const grams = parseDecimal(row.grams);
    if (grams !== null && (Number.isNaN(grams) || grams > 100_000)) {
      errors[`grams.${index}`] = { key: 'catalogue.models.form.invalidNumber', params: { min: 0 } };
      return;
    }
    requirements[String(slot)] = {
      color: row.color.trim() || null,
      grams,
      filament_type: row.material.trim() || null,
    };
  });

  if (Object.keys(errors).length > 0) return { errors, body: null };
  const body: ModelBody = {
    name: name.slice(0, 200),
    category: values.category.trim() || null,
    build_time_hours: buildTime,
    units_per_bed: units,
    quantity_per_bed: units,
    notes: values.notes.trim() || null,
    is_favorite: values.favorite,
    color_requirements: requirements,
  };
  if (markup !== null) body.markup_percent = markup;
  return { errors, body };
}
