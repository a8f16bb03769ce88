import { type Static, Type } from 'typebox';

import { Nullable } from '../../core/http/nullable.js';

export const FileFilamentSchema = Type.Object({
  index: Type.Integer({ description: '0-based tool / AMS slot, as the G-code numbers it' }),
  type: Nullable(Type.String()),
  color_hex: Nullable(Type.String()),
  grams: Nullable(Type.Number()),
  meters: Nullable(Type.Number()),
});

export const PlateSchema = Type.Object({
  index: Type.Integer({ description: '1-based, as the slicer numbers plates' }),
  name: Nullable(Type.String()),
  print_time_seconds: Nullable(Type.Number()),
  weight_grams: Nullable(Type.Number()),
  filaments: Type.Array(FileFilamentSchema),
  object_names: Type.Array(Type.String()),
  thumbnail_url: Nullable(Type.String()),
});
export type PlateDto = Static<typeof PlateSchema>;

export const PrintFileSchema = Type.Object({
  id: Type.Integer(),
  filename: Type.String({ description: 'The stored name' }),
  original_filename: Type.String(),
  kind: Type.Union([Type.Literal('threemf'), Type.Literal('gcode'), Type.Literal('bgcode')]),
  slicer: Nullable(Type.String()),
  project_name: Nullable(Type.String()),
  print_time_seconds: Nullable(Type.Number()),
  total_weight_grams: Nullable(Type.Number()),
  filament_weight_grams: Nullable(Type.Number()),
  filament_length_meters: Nullable(Type.Number()),
  layer_count: Nullable(Type.Integer()),
  layer_height: Nullable(Type.Number()),
  nozzle_diameter: Nullable(Type.Number()),
  printer_model: Nullable(Type.String()),
  supports_used: Nullable(Type.Boolean()),
  bed_type: Nullable(Type.String()),
  filaments: Type.Array(FileFilamentSchema),
  /** The same list as JSON text, as earlier versions of the API gave it. */
  filaments_json: Type.String(),
  plates: Type.Array(PlateSchema),
  thumbnail_url: Nullable(Type.String()),
  has_mesh: Type.Boolean(),
  mesh_triangles: Nullable(Type.Integer()),
  size_bytes: Type.Integer(),
  sha256: Type.String(),
  model_id: Nullable(Type.Integer()),
  job_id: Nullable(Type.Integer()),
  uploaded_by: Nullable(Type.Integer()),
  uploaded_at: Type.String(),
});
export type PrintFileDto = Static<typeof PrintFileSchema>;

export const PrintFileDetailSchema = Type.Intersect([
  PrintFileSchema,
  Type.Object({ thumbnail_b64: Nullable(Type.String({ description: 'The main thumbnail, base64 (PNG or JPEG)' })) }),
]);

export const MeshSchema = Type.Object({
  vertex_count: Type.Integer(),
  triangle_count: Type.Integer(),
  decimated: Type.Boolean(),
  bounds: Type.Object({ min: Type.Array(Type.Number()), max: Type.Array(Type.Number()) }),
  /** Little-endian Float32 x,y,z per vertex (mm), base64. */
  vertices_b64: Type.String(),
  /** Little-endian Uint32, three per triangle, base64. */
  indices_b64: Type.String(),
});
export type MeshDto = Static<typeof MeshSchema>;

export const FileIdParams = Type.Object({ file_id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
