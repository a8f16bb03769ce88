import type { Generated, SqlBool } from 'kysely';

/**
 * Table types as Kysely sees them. Booleans come back as 0/1 from SQLite and true/false from
 * PostgreSQL (`SqlBool`); timestamps are ISO-8601 UTC strings on both, so ordering and comparison
 * behave the same on either database.
 */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  email: string | null;
  password_hash: string;
  role: string;
  is_active: SqlBool;
  last_login: string | null;
  created_at: string;
  oidc_subject: string | null;
  oidc_provider: string | null;
}

export interface SystemConfigTable {
  key: string;
  /** JSON text. */
  value: string;
  updated_at: string;
}

export interface AuditLogsTable {
  id: Generated<number>;
  timestamp: string;
  action: string;
  entity_type: string | null;
  entity_id: number | null;
  /** JSON text. */
  details: string | null;
  ip_address: string | null;
  user_id: number | null;
  username: string | null;
}

export interface TokenBlacklistTable {
  jti: string;
  expires_at: string;
  revoked_at: string;
}

/** Refresh tokens by hash; a family is one login and every token its refreshes rotated into. */
export interface RefreshTokensTable {
  id: Generated<number>;
  /** SHA-256 of the token, hex. The token itself is never stored. */
  token_hash: string;
  /** Null once the user was deleted. */
  user_id: number | null;
  family_id: string;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** `rotated` for a token exchanged for its successor; anything else ended the whole family. */
  revoked_reason: string | null;
  /** The token this one was rotated into. */
  replaced_by: number | null;
}

export interface BrandingTable {
  id: number;
  /** JSON object of the branding fields that differ from the defaults. */
  settings: string;
  updated_at: string;
}

export interface PrintersTable {
  id: Generated<number>;
  name: string;
  nickname: string | null;
  model: string | null;
  slot_count: number;
  is_active: SqlBool;
  display_order: number;
  camera_url: string | null;
  camera_enabled: SqlBool;
  camera_discovered: Generated<SqlBool>;
  api_type: string | null;
  api_host: string | null;
  /** Fernet token. */
  api_key: string | null;
  api_username: string | null;
  /** Fernet token. */
  api_password: string | null;
  is_favorite: SqlBool;
  last_seen: string | null;
  status: string;
  bed_temp: number | null;
  bed_target_temp: number | null;
  nozzle_temp: number | null;
  nozzle_target_temp: number | null;
  gcode_state: string | null;
  print_stage: string | null;
  hms_errors: string | null;
  lights_on: SqlBool | null;
  lights_toggled_at: string | null;
  nozzle_type: string | null;
  nozzle_diameter: number | null;
  fan_speed: number | null;
  total_print_hours: Generated<number>;
  total_print_count: Generated<number>;
  hours_since_maintenance: Generated<number>;
  prints_since_maintenance: Generated<number>;
  last_error_code: string | null;
  last_error_message: string | null;
  last_error_at: string | null;
  created_at: string;
  updated_at: string;
  tls_insecure: Generated<SqlBool>;
}

export interface FilamentSlotsTable {
  id: Generated<number>;
  printer_id: number;
  slot_number: number;
  filament_type: string | null;
  color: string | null;
  color_hex: string | null;
  spoolman_spool_id: number | null;
  assigned_spool_id: number | null;
  spool_confirmed: SqlBool;
  loaded_at: string | null;
  remaining_percent: number | null;
  rfid_tag: string | null;
  reported_at: string | null;
  source: string | null;
  attention: string | null;
}

export interface FilamentLibraryTable {
  id: Generated<number>;
  brand: string;
  name: string;
  material: Generated<string>;
  color_hex: string | null;
  cost_per_gram: number | null;
  density: number | null;
  diameter_mm: Generated<number>;
  nozzle_temp_min: number | null;
  nozzle_temp_max: number | null;
  bed_temp_min: number | null;
  bed_temp_max: number | null;
  net_weight_g: number | null;
  spool_weight_g: number | null;
  low_stock_threshold_g: number | null;
  spoolman_filament_id: number | null;
  bambu_filament_id: string | null;
  is_custom: Generated<SqlBool>;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

export interface SpoolsTable {
  id: Generated<number>;
  filament_id: number;
  qr_code: string;
  rfid_tag: string | null;
  rfid_uuid: string | null;
  color_hex: string | null;
  initial_weight_g: Generated<number>;
  remaining_weight_g: number;
  spool_weight_g: Generated<number>;
  price: number | null;
  purchase_date: string | null;
  vendor: string | null;
  lot_number: string | null;
  status: Generated<string>;
  location_printer_id: number | null;
  location_slot: number | null;
  storage_location: string | null;
  notes: string | null;
  spoolman_spool_id: number | null;
  source: Generated<string>;
  last_weighed_at: string | null;
  last_used_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SpoolUsageTable {
  id: Generated<number>;
  spool_id: number;
  job_id: number | null;
  print_job_id: number | null;
  printer_id: number | null;
  weight_used_g: number;
  kind: Generated<string>;
  remaining_after_g: number | null;
  used_at: string;
  user_id: number | null;
  notes: string | null;
}

export interface PrintJobsTable {
  id: Generated<number>;
  printer_id: number;
  job_id: string | null;
  filename: string | null;
  job_name: string | null;
  started_at: string;
  ended_at: string | null;
  status: string;
  progress_percent: number | null;
  remaining_minutes: number | null;
  total_layers: number | null;
  current_layer: number | null;
  bed_temp_target: number | null;
  nozzle_temp_target: number | null;
  filament_slots: string | null;
  error_code: string | null;
  error_message: string | null;
  scheduled_job_id: number | null;
}

export interface PrinterTelemetryTable {
  id: Generated<number>;
  printer_id: number;
  bed_temp: number | null;
  nozzle_temp: number | null;
  bed_target: number | null;
  nozzle_target: number | null;
  fan_speed: number | null;
  recorded_at: string;
}

export interface NozzleLifecycleTable {
  id: Generated<number>;
  printer_id: number;
  nozzle_type: string | null;
  nozzle_diameter: number | null;
  installed_at: string;
  removed_at: string | null;
  print_hours_accumulated: Generated<number>;
  print_count: Generated<number>;
  notes: string | null;
}

export interface AmsTelemetryTable {
  id: Generated<number>;
  printer_id: number;
  ams_unit: number;
  humidity: number | null;
  humidity_index: number | null;
  temperature: number | null;
  recorded_at: string;
}

export interface HmsErrorHistoryTable {
  id: Generated<number>;
  printer_id: number;
  code: string;
  message: string | null;
  severity: string | null;
  source: string | null;
  occurred_at: string;
  cleared_at: string | null;
}

export interface ModelsTable {
  id: Generated<number>;
  name: string;
  build_time_hours: number | null;
  default_filament_type: string | null;
  /** JSON text: slot → {color, grams, filament_type}. */
  color_requirements: string | null;
  category: string | null;
  thumbnail_url: string | null;
  print_file_id: number | null;
  notes: string | null;
  cost_per_item: number | null;
  units_per_bed: Generated<number>;
  quantity_per_bed: Generated<number>;
  markup_percent: Generated<number>;
  is_favorite: Generated<SqlBool>;
  created_at: string;
  updated_at: string;
}

export interface PrintFilesTable {
  id: Generated<number>;
  filename: string;
  original_filename: string;
  kind: string;
  slicer: string | null;
  project_name: string | null;
  print_time_seconds: number | null;
  total_weight_grams: number | null;
  filament_weight_grams: number | null;
  filament_length_meters: number | null;
  layer_count: number | null;
  layer_height: number | null;
  nozzle_diameter: number | null;
  printer_model: string | null;
  supports_used: SqlBool | null;
  bed_type: string | null;
  filaments_json: string;
  plates_json: string;
  has_thumbnail: Generated<SqlBool>;
  has_mesh: Generated<SqlBool>;
  mesh_triangles: number | null;
  size_bytes: number;
  sha256: string;
  model_id: number | null;
  job_id: number | null;
  stored_path: string;
  uploaded_by: number | null;
  uploaded_at: string;
}

export interface DB {
  users: UsersTable;
  system_config: SystemConfigTable;
  audit_logs: AuditLogsTable;
  token_blacklist: TokenBlacklistTable;
  refresh_tokens: RefreshTokensTable;
  branding: BrandingTable;
  printers: PrintersTable;
  filament_slots: FilamentSlotsTable;
  print_jobs: PrintJobsTable;
  printer_telemetry: PrinterTelemetryTable;
  nozzle_lifecycle: NozzleLifecycleTable;
  ams_telemetry: AmsTelemetryTable;
  hms_error_history: HmsErrorHistoryTable;
  filament_library: FilamentLibraryTable;
  spools: SpoolsTable;
  spool_usage: SpoolUsageTable;
  models: ModelsTable;
  print_files: PrintFilesTable;
}
