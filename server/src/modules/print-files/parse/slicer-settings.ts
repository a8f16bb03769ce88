import type { ParsedFilament } from './types.js';
import {
  nonEmpty,
  normalizeColorHex,
  parseDuration,
  parseFlag,
  parseNonNegativeNumber,
  parsePositiveNumber,
  roundTo,
  splitList,
  sumWhenComplete,
} from './values.js';

export type SettingValue = string | readonly string[];

/**
 * A slicer's configuration, whichever way it was stored: `; key = value` G-code comments, bgcode INI
 * blocks, PrusaSlicer's `Slic3r_PE.config` or Bambu's `project_settings.config` JSON. The slicers of
 * the Slic3r family share their key names, so one summary reads them all.
 */
export class SlicerSettings {
  constructor(private readonly values: ReadonlyMap<string, SettingValue> = new Map()) {}

  /** Layers of settings: the first source that has a key wins. */
  static layered(...sources: readonly SlicerSettings[]): SlicerSettings {
    const merged = new Map<string, SettingValue>();
    for (const source of sources) {
      for (const [key, value] of source.values) if (!merged.has(key)) merged.set(key, value);
    }
    return new SlicerSettings(merged);
  }

  get size(): number {
    return this.values.size;
  }

  text(key: string): string | null {
    const value = this.values.get(key);
    if (value == null) return null;
    return typeof value === 'string' ? unquote(value) : (value[0] ?? null);
  }

  list(key: string, separator: RegExp): string[] {
    const value = this.values.get(key);
    if (value == null) return [];
    return typeof value === 'string' ? splitList(value, separator).map(unquote) : [...value];
  }
}

/** PrusaSlicer quotes string values that contain separators or spaces: `"Prusament PLA";"Generic PETG"`. */
function unquote(text: string): string {
  const trimmed = text.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

export interface SettingsSummary {
  layer_height: number | null;
  nozzle_diameter: number | null;
  printer_model: string | null;
  supports_used: boolean | null;
  bed_type: string | null;
  filament_types: (string | null)[];
  filament_colors: (string | null)[];
}

const FILAMENT_LIST = /;/;
const NUMBER_LIST = /[,;]/;

export function summarizeSettings(settings: SlicerSettings): SettingsSummary {
  const filamentColors = settings.list('filament_colour', FILAMENT_LIST).map(normalizeColorHex);
  return {
    layer_height: parsePositiveNumber(settings.text('layer_height')),
    // Several values mean several tools; tool 0 is the one a single-nozzle printer reports.
    nozzle_diameter: parsePositiveNumber(settings.list('nozzle_diameter', NUMBER_LIST)[0]),
    // Custom printers leave `printer_model` empty; the profile name is then the file's only word on it.
    printer_model: nonEmpty(settings.text('printer_model')) ?? nonEmpty(settings.text('printer_settings_id')),
    supports_used: parseFlag(settings.text('enable_support')) ?? parseFlag(settings.text('support_material')),
    bed_type: nonEmpty(settings.text('curr_bed_type')),
    filament_types: settings.list('filament_type', FILAMENT_LIST).map(nonEmpty),
    // PrusaSlicer colours a tool by `extruder_colour` when `filament_colour` is missing.
    filament_colors: filamentColors.some((color) => color != null)
      ? filamentColors
      : settings.list('extruder_colour', FILAMENT_LIST).map(normalizeColorHex),
  };
}

export interface PrintStatistics {
  print_time_seconds: number | null;
  grams_per_filament: (number | null)[];
  meters_per_filament: (number | null)[];
  total_grams: number | null;
  total_meters: number | null;
}

/** The statistics PrusaSlicer, SuperSlicer and OrcaSlicer append to G-code (and PrusaSlicer puts in bgcode metadata). */
export function printStatistics(settings: SlicerSettings): PrintStatistics {
  const grams = settings.list('filament used [g]', NUMBER_LIST).map(parseNonNegativeNumber);
  const meters = settings
    .list('filament used [mm]', NUMBER_LIST)
    .map(parseNonNegativeNumber)
    .map((millimetres) => (millimetres == null ? null : roundTo(millimetres / 1000, 6)));
  return {
    print_time_seconds: parseDuration(settings.text('estimated printing time (normal mode)')),
    grams_per_filament: grams,
    meters_per_filament: meters,
    total_grams: parseNonNegativeNumber(settings.text('total filament used [g]')) ?? sumWhenComplete(grams),
    total_meters: sumWhenComplete(meters),
  };
}

/** One entry per tool the file mentions in any list; the lists are by tool, so position is the index. */
export function filamentsFromLists(lists: {
  types: readonly (string | null)[];
  colors: readonly (string | null)[];
  grams: readonly (number | null)[];
  meters: readonly (number | null)[];
}): ParsedFilament[] {
  const count = Math.max(lists.types.length, lists.colors.length, lists.grams.length, lists.meters.length);
  return Array.from({ length: count }, (_, index) => ({
    index,
    type: lists.types[index] ?? null,
    color_hex: lists.colors[index] ?? null,
    grams: lists.grams[index] ?? null,
    meters: lists.meters[index] ?? null,
  }));
}
