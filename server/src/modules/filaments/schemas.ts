import { type Static, Type } from 'typebox';

import { Nullable } from '../../core/http/nullable.js';

/** Colours are typed in every shape people use (#fff, FF0000, red, rgb(…)); the service normalises them to #RRGGBB. */
export const ColourInput = Type.String({ maxLength: 64, description: '#RGB, #RRGGBB, RRGGBBAA, rgb(…), hsl(…) or a colour name' });
export const Material = Type.String({ minLength: 1, maxLength: 32, description: 'PLA, PETG, ABS, ASA, TPU, PA, PC…' });

const grams = (description: string) => Type.Number({ minimum: 0, maximum: 100_000, description });
const celsius = Type.Integer({ minimum: 0, maximum: 500 });

export const FilamentSchema = Type.Object({
  id: Type.Integer(),
  brand: Type.String(),
  name: Type.String(),
  material: Type.String(),
  color_hex: Nullable(Type.String({ description: '#RRGGBB' })),
  cost_per_gram: Nullable(Type.Number()),
  density: Nullable(Type.Number({ description: 'g/cm³' })),
  diameter_mm: Type.Number(),
  nozzle_temp_min: Nullable(Type.Integer()),
  nozzle_temp_max: Nullable(Type.Integer()),
  bed_temp_min: Nullable(Type.Integer()),
  bed_temp_max: Nullable(Type.Integer()),
  net_weight_g: Nullable(Type.Number({ description: 'Filament on a new spool' })),
  spool_weight_g: Nullable(Type.Number({ description: 'The empty spool' })),
  low_stock_threshold_g: Nullable(Type.Number({ description: 'Warn when the active spools of this filament hold less' })),
  spoolman_filament_id: Nullable(Type.Integer()),
  bambu_filament_id: Nullable(Type.String()),
  is_custom: Type.Boolean(),
  notes: Nullable(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
  spool_count: Type.Integer({ description: 'Active spools of this filament' }),
  stock_g: Type.Number({ description: 'Filament left on the active spools' }),
  is_low: Type.Boolean({ description: 'Stock under the threshold (the filament’s own, else its material’s)' }),
});
export type FilamentDto = Static<typeof FilamentSchema>;

const FilamentFields = {
  brand: Type.String({ minLength: 1, maxLength: 100 }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  material: Material,
  color_hex: Nullable(ColourInput),
  cost_per_gram: Nullable(Type.Number({ minimum: 0, maximum: 10 })),
  density: Nullable(Type.Number({ minimum: 0.5, maximum: 5 })),
  diameter_mm: Type.Number({ minimum: 1, maximum: 3.5 }),
  nozzle_temp_min: Nullable(celsius),
  nozzle_temp_max: Nullable(celsius),
  bed_temp_min: Nullable(celsius),
  bed_temp_max: Nullable(celsius),
  net_weight_g: Nullable(grams('Filament on a new spool')),
  spool_weight_g: Nullable(grams('The empty spool')),
  low_stock_threshold_g: Nullable(grams('Low-stock threshold')),
  spoolman_filament_id: Nullable(Type.Integer({ minimum: 1 })),
  bambu_filament_id: Nullable(Type.String({ maxLength: 32 })),
  notes: Nullable(Type.String({ maxLength: 4000 })),
};

export const CreateFilamentBody = Type.Object({
  ...FilamentFields,
  material: Type.Optional(Material),
  color_hex: Type.Optional(FilamentFields.color_hex),
  cost_per_gram: Type.Optional(FilamentFields.cost_per_gram),
  density: Type.Optional(FilamentFields.density),
  diameter_mm: Type.Optional(FilamentFields.diameter_mm),
  nozzle_temp_min: Type.Optional(FilamentFields.nozzle_temp_min),
  nozzle_temp_max: Type.Optional(FilamentFields.nozzle_temp_max),
  bed_temp_min: Type.Optional(FilamentFields.bed_temp_min),
  bed_temp_max: Type.Optional(FilamentFields.bed_temp_max),
  net_weight_g: Type.Optional(FilamentFields.net_weight_g),
  spool_weight_g: Type.Optional(FilamentFields.spool_weight_g),
  low_stock_threshold_g: Type.Optional(FilamentFields.low_stock_threshold_g),
  spoolman_filament_id: Type.Optional(FilamentFields.spoolman_filament_id),
  bambu_filament_id: Type.Optional(FilamentFields.bambu_filament_id),
  notes: Type.Optional(FilamentFields.notes),
});
export type CreateFilamentInput = Static<typeof CreateFilamentBody>;

export const UpdateFilamentBody = Type.Partial(Type.Object(FilamentFields));
export type UpdateFilamentInput = Static<typeof UpdateFilamentBody>;

export const FilamentIdParams = Type.Object({ filament_id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

export const FilamentQuery = Type.Object({
  material: Type.Optional(Type.String({ maxLength: 32 })),
  brand: Type.Optional(Type.String({ maxLength: 100 })),
  search: Type.Optional(Type.String({ maxLength: 100, description: 'Part of the brand, name or material' })),
});
export type FilamentFilter = Static<typeof FilamentQuery>;

export const CombinedFilamentSchema = Type.Object({
  /** `library:12` or `spoolman:7`: unique across both sources. */
  id: Type.String(),
  source: Type.Union([Type.Literal('library'), Type.Literal('spoolman')]),
  source_id: Type.Integer(),
  brand: Nullable(Type.String()),
  name: Type.String(),
  material: Nullable(Type.String()),
  color_hex: Nullable(Type.String()),
  cost_per_gram: Nullable(Type.Number()),
  /** A Spoolman filament already in the library (by its Spoolman id) is listed once, as the library entry. */
  library_id: Nullable(Type.Integer()),
});
export type CombinedFilamentDto = Static<typeof CombinedFilamentSchema>;
