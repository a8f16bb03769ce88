export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The fields of `next` that differ from `previous`: top-level values by content, and one level
 * down for objects (PrintInfo, CurrentFanSpeed…) so a partial push carries only the changed
 * sub-fields, as some Centauri Carbon firmware does. Null when nothing changed.
 */
export function diffObjects(previous: JsonObject | null, next: JsonObject): JsonObject | null {
  if (!previous) return next;
  let out: JsonObject | null = null;
  for (const [key, value] of Object.entries(next)) {
    const before = previous[key];
    if (isJsonObject(value) && isJsonObject(before)) {
      let sub: JsonObject | null = null;
      for (const [subKey, subValue] of Object.entries(value)) {
        if (sameJson(before[subKey], subValue)) continue;
        sub ??= {};
        sub[subKey] = subValue;
      }
      if (sub) {
        out ??= {};
        out[key] = sub;
      }
      continue;
    }
    if (sameJson(before, value)) continue;
    out ??= {};
    out[key] = value;
  }
  return out;
}

function sameJson(a: JsonValue | undefined, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
