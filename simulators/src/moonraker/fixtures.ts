import { readFileSync } from 'node:fs';

import { isJsonObject, type JsonObject, type JsonValue } from './object-store.js';

/**
 * The recorded Moonraker payloads the simulator replays (simulators/fixtures/moonraker, copied
 * from the shared fixtures; see SOURCES.md there). Read once per process and cloned per use.
 */
const FIXTURE_DIR = new URL('../../fixtures/moonraker/', import.meta.url);
const cache = new Map<string, JsonValue>();

function load(name: string): JsonValue {
  let value = cache.get(name);
  if (value === undefined) {
    value = JSON.parse(readFileSync(new URL(name, FIXTURE_DIR), 'utf8')) as JsonValue;
    cache.set(name, value);
  }
  return structuredClone(value);
}

function loadObject(name: string): JsonObject {
  const value = load(name);
  if (!isJsonObject(value)) throw new Error(`fixture ${name} is not a JSON object`);
  return value;
}

/** `GET /server/info` (unwrapped). */
export function serverInfoFixture(): JsonObject {
  return loadObject('server_info.response.json');
}

/** `GET /printer/info` (unwrapped). */
export function printerInfoFixture(): JsonObject {
  return loadObject('printer_info.response.json');
}

/** One example per printer object, keyed by object name (docs/printer_objects.md). */
export function printerObjectsFixture(): Record<string, JsonObject> {
  const all = loadObject('printer_objects_reference.json');
  const out: Record<string, JsonObject> = {};
  for (const [name, value] of Object.entries(all)) if (isJsonObject(value)) out[name] = value;
  return out;
}

export interface FixtureFile {
  path: string;
  modified: number;
  size: number;
  permissions: string;
}

/** `GET /server/files/list` (unwrapped): the files the simulated printer starts with. */
export function filesListFixture(): FixtureFile[] {
  const value = load('server_files_list.response.json');
  if (!Array.isArray(value)) throw new Error('fixture server_files_list.response.json is not a list');
  return value.filter(isJsonObject).map((f) => ({
    path: textField(f, 'path'),
    modified: Number(f['modified']),
    size: Number(f['size']),
    permissions: textField(f, 'permissions'),
  }));
}

function textField(file: JsonObject, key: string): string {
  const value = file[key];
  if (typeof value !== 'string') throw new Error(`fixture server_files_list.response.json: ${key} is not a string`);
  return value;
}

/** `POST /server/files/upload` reply (unwrapped): item, print_started, print_queued, action. */
export function uploadResponseFixture(): JsonObject {
  return loadObject('server_files_upload.response.json');
}

/** `GET /server/webcams/list` (unwrapped). */
export function webcamsFixture(): JsonObject {
  return loadObject('server_webcams_list.response.json');
}

/** `server.connection.identify` reply. */
export function identifyResponseFixture(): JsonObject {
  return loadObject('server_connection_identify.response.json');
}

const frames = new Map<string, string>();

/** A notification exactly as the fixture shows it on the wire, serialised once. */
export function notificationFrame(name: 'notify_klippy_ready' | 'notify_klippy_shutdown' | 'notify_klippy_disconnected'): string {
  let frame = frames.get(name);
  if (frame === undefined) {
    frame = JSON.stringify(load(`${name}.json`));
    frames.set(name, frame);
  }
  return frame;
}
