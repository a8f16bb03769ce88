import { type Static, Type } from 'typebox';

import { Nullable } from '../../core/http/nullable.js';
import { ColourInput, Material } from '../filaments/schemas.js';

export const ColourRequirementSchema = Type.Object({
  color: Nullable(Type.String({ description: '#RRGGBB' })),
  grams: Nullable(Type.Number()),
  filament_type: Nullable(Type.String()),
});
const ColourRequirementInput = Type.Object({
  color: Type.Optional(Nullable(ColourInput)),
  grams: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 100_000 }))),
  filament_type: Type.Optional(Nullable(Material)),
});

export const ModelSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  build_time_hours: Nullable(Type.Number()),
  default_filament_type: Nullable(Type.String()),
  /** Slot number (as text, "1", "2"…) → what that slot must hold. */
  color_requirements: Type.Record(Type.String(), ColourRequirementSchema),
  required_colors: Type.Array(Type.String()),
  total_filament_grams: Type.Number(),
  category: Nullable(Type.String()),
  thumbnail_url: Nullable(Type.String()),
  print_file_id: Nullable(Type.Integer()),
  notes: Nullable(Type.String()),
  cost_per_item: Nullable(Type.Number()),
  units_per_bed: Type.Integer(),
  quantity_per_bed: Type.Integer(),
  markup_percent: Type.Number(),
  is_favorite: Type.Boolean(),
  variant_count: Type.Integer(),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export type ModelDto = Static<typeof ModelSchema>;

const ModelFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  build_time_hours: Nullable(Type.Number({ minimum: 0, maximum: 10_000 })),
  default_filament_type: Nullable(Material),
  color_requirements: Type.Record(Type.String({ pattern: '^\\d{1,2}$' }), ColourRequirementInput, { maxProperties: 32 }),
  category: Nullable(Type.String({ maxLength: 100 })),
  thumbnail_url: Nullable(Type.String({ maxLength: 2048 })),
  print_file_id: Nullable(Type.Integer({ minimum: 1 })),
  notes: Nullable(Type.String({ maxLength: 4000 })),
  cost_per_item: Nullable(Type.Number({ minimum: 0, maximum: 1_000_000 })),
  units_per_bed: Type.Integer({ minimum: 1, maximum: 10_000 }),
  quantity_per_bed: Type.Integer({ minimum: 1, maximum: 10_000 }),
  markup_percent: Type.Number({ minimum: 0, maximum: 10_000 }),
  is_favorite: Type.Boolean(),
};

// One object (not an intersection): unknown keys are dropped per subschema, which would drop everything but `name`.
const { name: _name, ...optionalFields } = ModelFields;
export const CreateModelBody = Type.Object({ name: ModelFields.name, ...Type.Partial(Type.Object(optionalFields)).properties });
export type CreateModelInput = Static<typeof CreateModelBody>;
export const UpdateModelBody = Type.Partial(Type.Object(ModelFields));
export type UpdateModelInput = Static<typeof UpdateModelBody>;

export const ModelIdParams = Type.Object({ model_id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
export const ModelQuery = Type.Object({
  search: Type.Optional(Type.String({ maxLength: 100 })),
  category: Type.Optional(Type.String({ maxLength: 100 })),
});
