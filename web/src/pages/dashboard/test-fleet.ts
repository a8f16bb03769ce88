/**
 * Printers for the dashboard's tests: a full live row and a full /api/printers row with the
 * fields a test cares about overridden. (Test support only; no page imports it.)
 */
import type { Printer } from '@/api/types';
import type { LivePrinter } from '@/live/live-store';

export function liveRow(printerId: number, overrides: Partial<LivePrinter> = {}): LivePrinter {
  return {
    printer_id: printerId,
    name: `Printer ${printerId}`,
    api_type: 'moonraker',
    last_seen: '2026-01-01T10:00:00.000Z',
    status: 'idle',
    online: true,
    stage: null,
    nozzle_temp: 22,
    nozzle_target_temp: 0,
    bed_temp: 22,
    bed_target_temp: 0,
    chamber_temp: null,
    progress: null,
    elapsed_seconds: null,
    remaining_seconds: null,
    current_layer: null,
    total_layers: null,
    file_name: null,
    job_id: null,
    fan_speed: 0,
    speed_factor: 100,
    lights_on: null,
    error_code: null,
    error_message: null,
    ams: null,
    external_tray: null,
    hms_errors: [],
    speed_level: null,
    nozzle_type: null,
    nozzle_diameter: null,
    ...overrides,
  };
}

export function printing(printerId: number, progress: number, remainingSeconds: number, overrides: Partial<LivePrinter> = {}): LivePrinter {
  return liveRow(printerId, {
    status: 'printing',
    progress,
    remaining_seconds: remainingSeconds,
    file_name: `part-${printerId}.gcode`,
    nozzle_temp: 215,
    nozzle_target_temp: 215,
    bed_temp: 60,
    bed_target_temp: 60,
    current_layer: 10,
    total_layers: 100,
    ...overrides,
  });
}

export function printerRecord(id: number, overrides: Partial<Printer> = {}): Printer {
  // The live part is the live row without what identifies the printer.
  const { printer_id: _id, name: _name, api_type: _apiType, last_seen: _lastSeen, ...state } = liveRow(id);
  return {
    id,
    name: `Printer ${id}`,
    nickname: null,
    model: null,
    slot_count: 4,
    is_active: true,
    display_order: id,
    camera_url: null,
    camera_enabled: false,
    camera_discovered: false,
    api_type: 'moonraker',
    api_host: '127.0.0.1:7125',
    api_key_set: false,
    username: null,
    password_set: false,
    serial: null,
    access_code_set: false,
    tls_insecure: false,
    is_favorite: false,
    last_seen: null,
    status: 'idle',
    online: true,
    bed_temp: null,
    bed_target_temp: null,
    nozzle_temp: null,
    nozzle_target_temp: null,
    gcode_state: null,
    print_stage: null,
    lights_on: null,
    nozzle_type: null,
    nozzle_diameter: null,
    fan_speed: null,
    total_print_hours: 0,
    total_print_count: 0,
    hours_since_maintenance: 0,
    prints_since_maintenance: 0,
    last_error_code: null,
    last_error_message: null,
    last_error_at: null,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    filament_slots: [],
    loaded_colors: [],
    live: state,
    ...overrides,
  };
}
