import { type Static, Type } from 'typebox';

import { Nullable } from '../../core/http/nullable.js';
import { ColourInput } from '../filaments/schemas.js';

export const SPOOL_STATUSES = ['active', 'empty', 'archived'] as const;
export const SpoolStatusSchema = Type.Union([Type.Literal('active'), Type.Literal('empty'), Type.Literal('archived')]);
export type SpoolStatus = (typeof SPOOL_STATUSES)[number];

/** Weights a spool can plausibly have: nothing negative, nothing over 50 kg (the largest industrial spools are ~10 kg). */
const Grams = (description: string) => Type.Number({ minimum: 0, maximum: 50_000, description });
const QrCode = Type.String({ minLength: 4, maxLength: 32, pattern: '^[A-Za-z0-9-]+$' });
const SlotNumber = Type.Integer({ minimum: 0, maximum: 24, description: 'AMS trays 1–16, AMS HT 17–24, the external spool 0' });
const PrinterId = Type.Integer({ minimum: 1, maximum: 2147483647 });

export const SpoolSchema = Type.Object({
  id: Type.Integer(),
  filament_id: Type.Integer(),
  qr_code: Type.String({ description: 'SPL-XXXXXXXX, printed on the label' }),
  rfid_tag: Nullable(Type.String({ description: "The Bambu RFID tag's uid" })),
  color_hex: Nullable(Type.String({ description: '#RRGGBB (the filament’s when the spool has none of its own)' })),
  initial_weight_g: Type.Number(),
  remaining_weight_g: Type.Number(),
  remaining_percent: Type.Number(),
  spool_weight_g: Type.Number(),
  price: Nullable(Type.Number()),
  cost_per_gram: Nullable(Type.Number({ description: 'price ÷ initial weight, else the filament’s cost per gram' })),
  purchase_date: Nullable(Type.String()),
  vendor: Nullable(Type.String()),
  lot_number: Nullable(Type.String()),
  status: SpoolStatusSchema,
  location_printer_id: Nullable(Type.Integer()),
  location_printer_name: Nullable(Type.String()),
  location_slot: Nullable(Type.Integer()),
  storage_location: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  spoolman_spool_id: Nullable(Type.Integer()),
  source: Type.String({ description: 'manual, rfid (first seen in an AMS tray) or spoolman' }),
  filament_brand: Type.String(),
  filament_name: Type.String(),
  material: Type.String(),
  last_weighed_at: Nullable(Type.String()),
  last_used_at: Nullable(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export type SpoolDto = Static<typeof SpoolSchema>;

export const UsageSchema = Type.Object({
  id: Type.Integer(),
  spool_id: Type.Integer(),
  job_id: Nullable(Type.Integer()),
  print_job_id: Nullable(Type.Integer()),
  printer_id: Nullable(Type.Integer()),
  weight_used_g: Type.Number({ description: 'Negative for a weighing that found more than expected' }),
  kind: Type.String({ description: 'use, weigh or rfid' }),
  remaining_after_g: Nullable(Type.Number()),
  used_at: Type.String(),
  user_id: Nullable(Type.Integer()),
  notes: Nullable(Type.String()),
});
export type UsageDto = Static<typeof UsageSchema>;

export const SpoolDetailSchema = Type.Intersect([SpoolSchema, Type.Object({ usage: Type.Array(UsageSchema) })]);

const SpoolFields = {
  filament_id: Type.Integer({ minimum: 1 }),
  color_hex: Nullable(ColourInput),
  rfid_tag: Nullable(Type.String({ minLength: 4, maxLength: 64, pattern: '^[A-Za-z0-9:-]+$' })),
  initial_weight_g: Type.Number({ exclusiveMinimum: 0, maximum: 50_000 }),
  remaining_weight_g: Grams('Filament left'),
  spool_weight_g: Grams('The empty spool'),
  price: Nullable(Type.Number({ minimum: 0, maximum: 100_000 })),
  purchase_date: Nullable(Type.String({ format: 'date' })),
  vendor: Nullable(Type.String({ maxLength: 200 })),
  lot_number: Nullable(Type.String({ maxLength: 100 })),
  storage_location: Nullable(Type.String({ maxLength: 200 })),
  notes: Nullable(Type.String({ maxLength: 4000 })),
  spoolman_spool_id: Nullable(Type.Integer({ minimum: 1 })),
};

export const CreateSpoolBody = Type.Object({
  filament_id: SpoolFields.filament_id,
  color_hex: Type.Optional(SpoolFields.color_hex),
  rfid_tag: Type.Optional(SpoolFields.rfid_tag),
  initial_weight_g: Type.Optional(SpoolFields.initial_weight_g),
  remaining_weight_g: Type.Optional(SpoolFields.remaining_weight_g),
  spool_weight_g: Type.Optional(SpoolFields.spool_weight_g),
  price: Type.Optional(SpoolFields.price),
  purchase_date: Type.Optional(SpoolFields.purchase_date),
  vendor: Type.Optional(SpoolFields.vendor),
  lot_number: Type.Optional(SpoolFields.lot_number),
  storage_location: Type.Optional(SpoolFields.storage_location),
  notes: Type.Optional(SpoolFields.notes),
  spoolman_spool_id: Type.Optional(SpoolFields.spoolman_spool_id),
  quantity: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 200, description: 'Bulk add: this many identical spools (each its own QR code)' }),
  ),
});
export type CreateSpoolInput = Static<typeof CreateSpoolBody>;

export const UpdateSpoolBody = Type.Partial(Type.Object({ ...SpoolFields, status: SpoolStatusSchema }));
export type UpdateSpoolInput = Static<typeof UpdateSpoolBody>;

export const SpoolIdParams = Type.Object({ spool_id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
export const QrParams = Type.Object({ qr_code: QrCode });

export const SpoolQuery = Type.Object({
  status: Type.Optional(
    Type.Union([SpoolStatusSchema, Type.Literal('all')], { description: 'Default: active and empty (archived hidden)' }),
  ),
  material: Type.Optional(Type.String({ maxLength: 32 })),
  filament_id: Type.Optional(Type.Integer({ minimum: 1 })),
  printer_id: Type.Optional(Type.Integer({ minimum: 1 })),
  in_storage: Type.Optional(Type.Boolean()),
  search: Type.Optional(Type.String({ maxLength: 100 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type SpoolQueryInput = Static<typeof SpoolQuery>;

export const LoadBody = Type.Object({ printer_id: PrinterId, slot_number: SlotNumber });
export const UnloadBody = Type.Object({ storage_location: Type.Optional(Nullable(Type.String({ maxLength: 200 }))) });
export const UseBody = Type.Object({
  weight_used_g: Type.Number({ exclusiveMinimum: 0, maximum: 50_000 }),
  job_id: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
});
export const WeighBody = Type.Object({
  gross_weight_g: Type.Number({ minimum: 0, maximum: 60_000, description: 'What the scale shows: filament plus the empty spool' }),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
});
export const ScanAssignBody = Type.Object({ qr_code: QrCode, printer_id: PrinterId, slot_number: SlotNumber });
export const SlotParams = Type.Object({ printer_id: PrinterId, slot_number: SlotNumber });
export const AssignBody = Type.Object({ spool_id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

export const QrSchema = Type.Object({
  spool_id: Type.Integer(),
  qr_code: Type.String(),
  label_png_url: Type.String(),
  label_pdf_url: Type.String(),
  /** The QR as an SVG document, for showing it on screen without another request. */
  svg: Type.String(),
});
