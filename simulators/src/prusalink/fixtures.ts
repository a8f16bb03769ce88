import { readFileSync } from 'node:fs';

/**
 * The recorded PrusaLink payloads (simulators/fixtures/prusalink, see SOURCES.md), read once per process.
 * The simulator keeps their key sets and replays the values it does not model.
 */
export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

function load(name: string): JsonObject {
  const text = readFileSync(new URL(`../../fixtures/prusalink/${name}`, import.meta.url), 'utf8');
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`fixture ${name} is not a JSON object`);
  return value as JsonObject;
}

export interface PrusaLinkFixtures {
  version: JsonObject;
  info: JsonObject;
  statusIdle: JsonObject;
  statusPrinting: JsonObject;
  jobPrinting: JsonObject;
}

let cached: PrusaLinkFixtures | null = null;

export function prusaLinkFixtures(): PrusaLinkFixtures {
  cached ??= {
    version: load('api_version.ha-core.json'),
    info: load('api_v1_info.ha-core.json'),
    statusIdle: load('api_v1_status_idle.ha-core.json'),
    statusPrinting: load('api_v1_status_printing.ha-core.json'),
    jobPrinting: load('api_v1_job_printing.ha-core.json'),
  };
  return cached;
}

export function objectAt(value: JsonObject, key: string): JsonObject {
  const child = value[key];
  if (typeof child !== 'object' || child === null || Array.isArray(child)) throw new Error(`fixture key ${key} is not an object`);
  return child;
}

export function numberAt(value: JsonObject, key: string, fallback: number): number {
  const child = value[key];
  return typeof child === 'number' ? child : fallback;
}

export function stringAt(value: JsonObject, key: string, fallback: string): string {
  const child = value[key];
  return typeof child === 'string' ? child : fallback;
}
