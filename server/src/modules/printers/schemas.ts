import { type Static, Type } from 'typebox';

import { Nullable } from '../../core/http/nullable.js';
import { PrinterStateSchema, PrinterStatusSchema } from '../../printers/state.js';

export const ApiTypeSchema = Type.Union([
  Type.Literal('moonraker'),
  Type.Literal('prusalink'),
  Type.Literal('bambu'),
  Type.Literal('elegoo'),
]);
/** #RRGGBB, or a Bambu tray's RRGGBBAA; the leading # is optional on input. */
export const ColorHexSchema = Type.String({ pattern: '^#?[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?$' });
const CameraUrl = Type.String({ maxLength: 2048, pattern: '^(|(https?|rtsps?)://\\S+)$' });

export const SlotSchema = Type.Object({
  id: Type.Integer(),
  printer_id: Type.Integer(),
  slot_number: Type.Integer(),
  filament_type: Nullable(Type.String()),
  color: Nullable(Type.String()),
  color_hex: Nullable(Type.String()),
  spoolman_spool_id: Nullable(Type.Integer()),
  assigned_spool_id: Nullable(Type.Integer()),
  spool_confirmed: Type.Boolean(),
  loaded_at: Nullable(Type.String()),
  remaining_percent: Nullable(Type.Number({ description: 'What the printer reports is left (Bambu AMS with RFID spools), 0–100' })),
  rfid_tag: Nullable(Type.String({ description: 'The spool the printer identified (Bambu tray_uuid, else tag_uid)' })),
  reported_at: Nullable(Type.String()),
  source: Nullable(Type.String({ description: 'printer (reported by it) or manual' })),
  attention: Nullable(Type.String({ description: 'unmatched, suggested, mismatch, rfid_conflict; null when settled' })),
});
export type SlotDto = Static<typeof SlotSchema>;

/** The printer's live state as the API shows it: the normalised state of printers/state.ts, nothing restated. */
export const LiveStateSchema = PrinterStateSchema;

export const PrinterSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  nickname: Nullable(Type.String()),
  model: Nullable(Type.String()),
  slot_count: Type.Integer(),
  is_active: Type.Boolean(),
  display_order: Type.Integer(),
  camera_url: Nullable(Type.String()),
  camera_enabled: Type.Boolean(),
  camera_discovered: Type.Boolean(),
  api_type: Nullable(Type.String()),
  api_host: Nullable(Type.String()),
  /** Never the key itself: whether one is stored. */
  api_key_set: Type.Boolean(),
  username: Nullable(Type.String()),
  password_set: Type.Boolean(),
  /** Bambu: the printer's serial (not secret); the access code is never returned. */
  serial: Nullable(Type.String()),
  access_code_set: Type.Boolean(),
  tls_insecure: Type.Boolean(),
  is_favorite: Type.Boolean(),
  last_seen: Nullable(Type.String()),
  status: PrinterStatusSchema,
  online: Type.Boolean(),
  bed_temp: Nullable(Type.Number()),
  bed_target_temp: Nullable(Type.Number()),
  nozzle_temp: Nullable(Type.Number()),
  nozzle_target_temp: Nullable(Type.Number()),
  gcode_state: Nullable(Type.String()),
  print_stage: Nullable(Type.String()),
  lights_on: Nullable(Type.Boolean()),
  nozzle_type: Nullable(Type.String()),
  nozzle_diameter: Nullable(Type.Number()),
  fan_speed: Nullable(Type.Number()),
  total_print_hours: Type.Number(),
  total_print_count: Type.Integer(),
  hours_since_maintenance: Type.Number(),
  prints_since_maintenance: Type.Integer(),
  last_error_code: Nullable(Type.String()),
  last_error_message: Nullable(Type.String()),
  last_error_at: Nullable(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
  filament_slots: Type.Array(SlotSchema),
  loaded_colors: Type.Array(Type.String()),
  live: LiveStateSchema,
});
export type PrinterDto = Static<typeof PrinterSchema>;

/** A row of `GET /api/printers/live-status`: who the printer is, then its whole live state. */
export const LiveStatusSchema = Type.Evaluate(
  Type.Intersect([
    Type.Object({
      printer_id: Type.Integer(),
      name: Type.String(),
      api_type: Nullable(Type.String()),
      last_seen: Nullable(Type.String()),
    }),
    PrinterStateSchema,
  ]),
);

/**
 * What lists and cards show of a printer's configuration: pushed over `/ws` when a printer is
 * added or edited, so open pages follow without a reload.
 */
export const PrinterListingSchema = Type.Pick(PrinterSchema, [
  'name',
  'nickname',
  'model',
  'api_type',
  'is_active',
  'is_favorite',
  'display_order',
]);
export type PrinterListing = Static<typeof PrinterListingSchema>;
export const PRINTER_LISTING_FIELDS = Object.keys(PrinterListingSchema.properties) as (keyof PrinterListing)[];

const printerFields = {
  nickname: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  model: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  slot_count: Type.Optional(Type.Integer({ minimum: 1, maximum: 16 })),
  is_active: Type.Optional(Type.Boolean()),
  display_order: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
  camera_url: Type.Optional(Nullable(CameraUrl)),
  camera_enabled: Type.Optional(Type.Boolean()),
  api_type: Type.Optional(Nullable(ApiTypeSchema)),
  api_host: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  /** The printer's API key (Bambu: "serial|access_code"); '' or null clears it. */
  api_key: Type.Optional(Nullable(Type.String({ maxLength: 512 }))),
  /** HTTP digest user (PrusaLink). */
  username: Type.Optional(Nullable(Type.String({ maxLength: 128 }))),
  password: Type.Optional(Nullable(Type.String({ maxLength: 512 }))),
  /** Bambu: explicit serial and LAN access code (stored like the original, as api_key "serial|access_code"). */
  serial: Type.Optional(Nullable(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9]*$' }))),
  access_code: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  /** Don't verify the printer's TLS certificate (for printers whose certificate ODIN cannot check). */
  tls_insecure: Type.Optional(Type.Boolean()),
  is_favorite: Type.Optional(Type.Boolean()),
  nozzle_type: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  nozzle_diameter: Type.Optional(Nullable(Type.Number({ minimum: 0.1, maximum: 2 }))),
};

export const CreatePrinterBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), ...printerFields });
export type CreatePrinterInput = Static<typeof CreatePrinterBody>;
export const UpdatePrinterBody = Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), ...printerFields });
export type UpdatePrinterInput = Static<typeof UpdatePrinterBody>;

export const TestConnectionBody = Type.Object({
  api_type: ApiTypeSchema,
  api_host: Type.String({ minLength: 1, maxLength: 255 }),
  api_key: Type.Optional(Nullable(Type.String({ maxLength: 512 }))),
  username: Type.Optional(Nullable(Type.String({ maxLength: 128 }))),
  password: Type.Optional(Nullable(Type.String({ maxLength: 512 }))),
  serial: Type.Optional(Nullable(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9]*$' }))),
  access_code: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  tls_insecure: Type.Optional(Type.Boolean()),
  /** When editing a saved printer: use its stored credentials for the fields left out. */
  printer_id: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
});
export type TestConnectionInput = Static<typeof TestConnectionBody>;

export const TestConnectionResult = Type.Object({
  success: Type.Boolean(),
  message: Type.String(),
  info: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]))),
});
export type TestConnectionReply = Static<typeof TestConnectionResult>;

export const UpdateSlotBody = Type.Object({
  filament_type: Type.Optional(Nullable(Type.String({ maxLength: 32, pattern: '^[A-Za-z0-9 +_./-]*$' }))),
  color: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  color_hex: Type.Optional(Nullable(Type.Union([ColorHexSchema, Type.Literal('')]))),
  spoolman_spool_id: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 2147483647 }))),
  assigned_spool_id: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 2147483647 }))),
  spool_confirmed: Type.Optional(Type.Boolean()),
});
export type UpdateSlotInput = Static<typeof UpdateSlotBody>;

export const NozzleSchema = Type.Object({
  id: Type.Integer(),
  printer_id: Type.Integer(),
  nozzle_type: Nullable(Type.String()),
  nozzle_diameter: Nullable(Type.Number()),
  installed_at: Type.String(),
  removed_at: Nullable(Type.String()),
  print_hours_accumulated: Type.Number(),
  print_count: Type.Integer(),
  notes: Nullable(Type.String()),
});
export type NozzleDto = Static<typeof NozzleSchema>;

export const InstallNozzleBody = Type.Object({
  nozzle_type: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  nozzle_diameter: Type.Optional(Nullable(Type.Number({ minimum: 0.1, maximum: 2 }))),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
});
export type InstallNozzleInput = Static<typeof InstallNozzleBody>;

export const PrinterIdParams = Type.Object({ printer_id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
