/**
 * Klipper's printer objects as a versioned store. Every field remembers the store version at
 * which its value last changed, so a subscriber only keeps the version it last saw and a diff is
 * "fields of my subscription changed since version N" — no per-client copy of the status, and
 * values are only replaced (never mutated), so replies can share them.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Requested objects: name → field names, or null for every field (the shape of `{"objects": …}`). */
export type ObjectRequest = ReadonlyMap<string, readonly string[] | null>;

interface StoredObject {
  values: Map<string, JsonValue>;
  versions: Map<string, number>;
}

export class ObjectStore {
  readonly #objects = new Map<string, StoredObject>();
  #version = 0;

  get version(): number {
    return this.#version;
  }

  names(): string[] {
    return [...this.#objects.keys()];
  }

  has(name: string): boolean {
    return this.#objects.has(name);
  }

  /** Adds an object with its initial fields (as in the fixture of printer objects). */
  define(name: string, initial: JsonObject): void {
    const values = new Map<string, JsonValue>();
    const versions = new Map<string, number>();
    this.#version++;
    for (const [field, value] of Object.entries(initial)) {
      values.set(field, value);
      versions.set(field, this.#version);
    }
    this.#objects.set(name, { values, versions });
  }

  get(name: string, field: string): JsonValue | undefined {
    return this.#objects.get(name)?.values.get(field);
  }

  /** Sets a field; bumps its version only when the value really changed. Returns whether it did. */
  set(name: string, field: string, value: JsonValue): boolean {
    const object = this.#objects.get(name);
    if (!object) return false;
    const previous = object.values.get(field);
    if (previous !== undefined && jsonEqual(previous, value)) return false;
    object.values.set(field, value);
    object.versions.set(field, ++this.#version);
    return true;
  }

  /** Full status of the requested objects (unknown objects and fields are left out, like Klipper). */
  query(request: ObjectRequest): Record<string, JsonObject> {
    const status: Record<string, JsonObject> = {};
    for (const [name, fields] of request) {
      const object = this.#objects.get(name);
      if (!object) continue;
      const out: JsonObject = {};
      if (fields === null) {
        for (const [field, value] of object.values) out[field] = value;
      } else {
        for (const field of fields) {
          const value = object.values.get(field);
          if (value !== undefined) out[field] = value;
        }
      }
      status[name] = out;
    }
    return status;
  }

  /** The requested fields whose value changed after `since`, grouped by object; null when none did. */
  changedSince(since: number, request: ObjectRequest): Record<string, JsonObject> | null {
    if (since >= this.#version) return null;
    let diff: Record<string, JsonObject> | null = null;
    for (const [name, fields] of request) {
      const object = this.#objects.get(name);
      if (!object) continue;
      let out: JsonObject | null = null;
      const fieldNames = fields ?? object.versions.keys();
      for (const field of fieldNames) {
        if ((object.versions.get(field) ?? 0) <= since) continue;
        const value = object.values.get(field);
        if (value === undefined) continue;
        out ??= {};
        out[field] = value;
      }
      if (out) {
        diff ??= {};
        diff[name] = out;
      }
    }
    return diff;
  }
}

export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i] as JsonValue, b[i] as JsonValue)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    const bv = b[key];
    if (bv === undefined || !jsonEqual(a[key] as JsonValue, bv)) return false;
  }
  return true;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads `{"objects": {"print_stats": null, "extruder": ["temperature"]}}`'s inner object into a
 * request; a field list that is not an array of strings counts as "all fields".
 */
export function parseObjectRequest(objects: unknown): ObjectRequest | null {
  if (!isJsonObject(objects)) return null;
  const request = new Map<string, readonly string[] | null>();
  for (const [name, fields] of Object.entries(objects)) {
    request.set(name, Array.isArray(fields) && fields.every((f) => typeof f === 'string') ? fields : null);
  }
  return request;
}
