import { corrupt } from './errors.js';
import { type SettingValue, SlicerSettings } from './slicer-settings.js';
import type { ParsedFilament } from './types.js';
import { nonEmpty, normalizeColorHex, parseFlag, parseNumber, slicerFromSignature } from './values.js';
import { xmlTags } from './xml-tags.js';

/**
 * The slicer-specific members of a 3MF: Bambu Studio / OrcaSlicer `Metadata/slice_info.config`,
 * `model_settings.config` and `project_settings.config`, PrusaSlicer `Metadata/Slic3r_PE.config`
 * and the package relationships. Numbers in these XML files are strict: a value that is there but
 * is not a number means a damaged or forged file, not a missing value.
 */

export interface SlicedPlate {
  index: number;
  predictionSeconds: number | null;
  weightGrams: number | null;
  supportUsed: boolean | null;
  nozzleDiameter: number | null;
  objectNames: string[];
  filaments: ParsedFilament[];
}

export interface SliceInfo {
  clientVersion: string | null;
  plates: SlicedPlate[];
}

/** `slice_info.config`: one `<plate>` per sliced plate with its prediction (s), weight (g) and filaments. */
export function parseSliceInfo(text: string, path: string): SliceInfo {
  const plates: SlicedPlate[] = [];
  let clientVersion: string | null = null;
  let plate: SlicedPlate | null = null;
  for (const tag of xmlTags(text)) {
    if (tag.name === 'plate') {
      if (tag.kind === 'open') {
        plate = {
          index: 0,
          predictionSeconds: null,
          weightGrams: null,
          supportUsed: null,
          nozzleDiameter: null,
          objectNames: [],
          filaments: [],
        };
      } else if (tag.kind === 'close' && plate) {
        if (plate.index > 0) plates.push(plate);
        plate = null;
      }
      continue;
    }
    if (tag.kind === 'close') continue;
    const attribute = (name: string) => tag.attributes.get(name) ?? null;
    if (tag.name === 'header_item' && attribute('key') === 'X-BBL-Client-Version') {
      clientVersion = nonEmpty(attribute('value'));
    }
    if (!plate) continue;
    if (tag.name === 'metadata') {
      const value = attribute('value');
      switch (attribute('key')) {
        case 'index':
          plate.index = positiveInteger(value, path, 'plate index') ?? 0;
          break;
        case 'prediction':
          plate.predictionSeconds = strictNumber(value, path, 'prediction');
          break;
        case 'weight':
          plate.weightGrams = strictNumber(value, path, 'weight');
          break;
        case 'support_used':
          plate.supportUsed = parseFlag(value);
          break;
        case 'nozzle_diameters':
          plate.nozzleDiameter = strictNumber(value?.split(/[,;\s]+/)[0], path, 'nozzle diameter');
          break;
        default:
          break;
      }
    } else if (tag.name === 'object') {
      const name = nonEmpty(attribute('name'));
      if (name) plate.objectNames.push(name);
    } else if (tag.name === 'filament') {
      const id = positiveInteger(attribute('id'), path, 'filament id');
      if (id == null) continue;
      plate.filaments.push({
        index: id - 1,
        type: nonEmpty(attribute('type')),
        color_hex: normalizeColorHex(attribute('color')),
        grams: strictNumber(attribute('used_g'), path, 'filament used_g'),
        meters: strictNumber(attribute('used_m'), path, 'filament used_m'),
      });
    }
  }
  return { clientVersion, plates };
}

export interface PlateLayout {
  index: number;
  name: string | null;
  thumbnailFile: string | null;
  objectIds: string[];
}

export interface ModelSettings {
  /** Object id (of the root model) → the name the user sees. */
  objectNames: Map<string, string>;
  /** Object id → ids of its parts that are not printed (modifiers, blockers, enforcers, negative volumes). */
  hiddenParts: Map<string, Set<string>>;
  plates: PlateLayout[];
}

/** `model_settings.config`: object names, which parts are modifiers, and which objects sit on which plate. */
export function parseModelSettings(text: string, path: string): ModelSettings {
  const objectNames = new Map<string, string>();
  const hiddenParts = new Map<string, Set<string>>();
  const plates: PlateLayout[] = [];
  const open: string[] = [];
  let objectId: string | null = null;
  let plate: PlateLayout | null = null;

  for (const tag of xmlTags(text)) {
    if (tag.kind === 'close') {
      if (open.at(-1) === tag.name) open.pop();
      if (tag.name === 'object') objectId = null;
      if (tag.name === 'plate' && plate) {
        if (plate.index > 0) plates.push(plate);
        plate = null;
      }
      continue;
    }
    const parent = open.at(-1);
    const attribute = (name: string) => tag.attributes.get(name) ?? null;
    if (tag.name === 'object' && parent === 'config') {
      objectId = attribute('id');
    } else if (tag.name === 'part' && objectId != null) {
      const subtype = attribute('subtype');
      const partId = attribute('id');
      if (partId != null && subtype != null && subtype !== 'normal_part') {
        const hidden = hiddenParts.get(objectId) ?? new Set<string>();
        hidden.add(partId);
        hiddenParts.set(objectId, hidden);
      }
    } else if (tag.name === 'plate' && parent === 'config') {
      plate = { index: 0, name: null, thumbnailFile: null, objectIds: [] };
    } else if (tag.name === 'metadata') {
      const key = attribute('key');
      const value = attribute('value');
      if (parent === 'object' && objectId != null && key === 'name' && value) {
        objectNames.set(objectId, value);
      } else if (parent === 'plate' && plate) {
        if (key === 'plater_id') plate.index = positiveInteger(value, path, 'plater_id') ?? 0;
        else if (key === 'plater_name') plate.name = nonEmpty(value);
        else if (key === 'thumbnail_file') plate.thumbnailFile = nonEmpty(value);
      } else if (parent === 'model_instance' && plate && key === 'object_id' && value) {
        plate.objectIds.push(value);
      }
    } else if (tag.name === 'model_instance' && plate) {
      const objectIdAttribute = attribute('object_id');
      if (objectIdAttribute) plate.objectIds.push(objectIdAttribute);
    }
    if (tag.kind === 'open') open.push(tag.name);
  }
  return { objectNames, hiddenParts, plates };
}

/** `project_settings.config`: Bambu Studio / OrcaSlicer's whole configuration as one JSON object. */
export function parseProjectSettings(text: string, path: string): SlicerSettings {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw corrupt(`${path} is not valid JSON`);
  }
  if (parsed == null || typeof parsed !== 'object' || Array.isArray(parsed)) throw corrupt(`${path} is not a JSON object`);
  const values = new Map<string, SettingValue>();
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'string') values.set(key, value);
    else if (typeof value === 'number' || typeof value === 'boolean') values.set(key, String(value));
    else if (Array.isArray(value))
      values.set(
        key,
        value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))),
      );
  }
  return new SlicerSettings(values);
}

/**
 * `Slic3r_PE_model.config`: PrusaSlicer keeps all volumes of an object in one mesh and marks each
 * volume's triangle range here. Answers, per object id, the ranges that are not printed (modifiers,
 * negative volumes, support blockers and enforcers) as `[first, last]` triangle indices.
 */
export function parsePrusaVolumes(text: string, path: string): Map<string, [number, number][]> {
  const hidden = new Map<string, [number, number][]>();
  let objectId: string | null = null;
  let volume: { first: number; last: number; printed: boolean } | null = null;
  for (const tag of xmlTags(text)) {
    if (tag.name === 'object') {
      objectId = tag.kind === 'close' ? null : (tag.attributes.get('id') ?? null);
    } else if (tag.name === 'volume') {
      if (tag.kind !== 'close') {
        const first = strictNumber(tag.attributes.get('firstid'), path, 'volume firstid');
        const last = strictNumber(tag.attributes.get('lastid'), path, 'volume lastid');
        volume = first == null || last == null ? null : { first, last, printed: true };
      }
      if (tag.kind !== 'open' && volume && objectId != null && !volume.printed) {
        const ranges = hidden.get(objectId) ?? [];
        ranges.push([volume.first, volume.last]);
        hidden.set(objectId, ranges);
      }
      if (tag.kind !== 'open') volume = null;
    } else if (tag.name === 'metadata' && volume && tag.attributes.get('type') === 'volume') {
      const key = tag.attributes.get('key');
      const value = tag.attributes.get('value');
      if (key === 'modifier' && value === '1') volume.printed = false;
      if (key === 'volume_type' && value != null && value !== 'ModelPart') volume.printed = false;
    }
  }
  return hidden;
}

export interface PrusaConfig {
  slicer: string | null;
  settings: SlicerSettings;
}

/** `Slic3r_PE.config`: `; generated by PrusaSlicer 2.7.1+win64 on …` then `; key = value` lines. */
export function parseSlic3rConfig(text: string): PrusaConfig {
  const values = new Map<string, string>();
  let slicer: string | null = null;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim().replace(/^;\s*/, '');
    if (slicer == null && /^generated by\s/i.test(line)) {
      slicer = slicerFromSignature(line);
      continue;
    }
    const match = /^([^=]*[^\s=])\s*=\s?(.*)$/.exec(line);
    if (match && !values.has(match[1] ?? '')) values.set(match[1] ?? '', match[2] ?? '');
  }
  return { slicer, settings: new SlicerSettings(values) };
}

const MODEL_RELATIONSHIP = 'http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel';
const THUMBNAIL_RELATIONSHIP = 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail';

export interface PackageRelationships {
  rootModel: string | null;
  thumbnail: string | null;
}

/** `_rels/.rels`: which part is the root model (usually `3D/3dmodel.model`) and the package thumbnail. */
export function parseRelationships(text: string): PackageRelationships {
  let rootModel: string | null = null;
  let thumbnail: string | null = null;
  for (const tag of xmlTags(text)) {
    if (tag.name !== 'Relationship' || tag.kind === 'close') continue;
    const target = tag.attributes.get('Target')?.replace(/^\//, '') ?? null;
    const type = tag.attributes.get('Type');
    if (type === MODEL_RELATIONSHIP && rootModel == null) rootModel = target;
    if (type === THUMBNAIL_RELATIONSHIP && thumbnail == null) thumbnail = target;
  }
  return { rootModel, thumbnail };
}

function strictNumber(value: string | null | undefined, path: string, what: string): number | null {
  if (value == null || value.trim() === '') return null;
  const parsed = parseNumber(value);
  if (parsed == null) throw corrupt(`${path}: the ${what} "${value.slice(0, 50)}" is not a number`);
  return parsed;
}

function positiveInteger(value: string | null | undefined, path: string, what: string): number | null {
  const parsed = strictNumber(value, path, what);
  if (parsed == null) return null;
  if (!Number.isInteger(parsed) || parsed < 1) throw corrupt(`${path}: the ${what} "${value}" is not a positive whole number`);
  return parsed;
}
