import { describeImage, pickLargestThumbnail } from './image.js';
import { filamentsFromLists, printStatistics, SlicerSettings, summarizeSettings } from './slicer-settings.js';
import type { ParsedFilament, ParsedThumbnail } from './types.js';
import {
  nonEmpty,
  parseCount,
  parseDuration,
  parseNonNegativeNumber,
  parsePositiveNumber,
  roundTo,
  slicerFromSignature,
  splitList,
  sumWhenComplete,
} from './values.js';

/** What the comments of a text G-code say, before it is shaped into a `ParsedPrintFile`. */
export interface GcodeComments {
  /** `; key = value` lines: a config block (PrusaSlicer's at the end, Bambu's at the top) first, then loose lines. */
  settings: SlicerSettings;
  /** `;KEY:value` and `; key: value` lines (Cura, Bambu/Orca header block), first occurrence. */
  labels: ReadonlyMap<string, string>;
  signature: string | null;
  thumbnails: ParsedThumbnail[];
  /** A thumbnail block began but the text ended before it did (the head was cut mid-image). */
  thumbnailCutOff: boolean;
}

const THUMBNAIL_BEGIN = /^thumbnail(?:_(?:PNG|JPG|QOI))? begin\b/i;
const THUMBNAIL_END = /^thumbnail(?:_(?:PNG|JPG|QOI))? end\b/i;
const CONFIG_BEGIN = /^(?:CONFIG_BLOCK_START|\w+_config = begin)$/i;
const CONFIG_END = /^(?:CONFIG_BLOCK_END|\w+_config = end)$/i;
const SIGNATURE = /^(?:generated (?:by|with)\s+\S|(?:BambuStudio|OrcaSlicer|PrusaSlicer|SuperSlicer)[ -]v?\d)/i;
const KEY_VALUE = /^([^=]*[^\s=])\s*=\s?(.*)$/;
const LABEL = /^([^:=]*[^\s:=])\s*:\s*(.*)$/;

/** Reads the comment lines of G-code text (any part of a file: head, tail, or both in turn). */
export function readGcodeComments(...texts: readonly string[]): GcodeComments {
  const config = new Map<string, string>();
  const loose = new Map<string, string>();
  const labels = new Map<string, string>();
  const thumbnails: ParsedThumbnail[] = [];
  let signature: string | null = null;
  let thumbnailCutOff = false;

  for (const text of texts) {
    let inConfig = false;
    let thumbnail: string[] | null = null;
    for (const rawLine of text.split('\n')) {
      const line = rawLine.trim();
      if (!line.startsWith(';')) continue;
      const body = line.slice(1).trim();
      if (thumbnail) {
        if (THUMBNAIL_END.test(body)) {
          const image = describeImage(Buffer.from(thumbnail.join(''), 'base64'));
          if (image) thumbnails.push(image);
          thumbnail = null;
        } else {
          thumbnail.push(body);
        }
        continue;
      }
      if (THUMBNAIL_BEGIN.test(body)) {
        thumbnail = [];
        continue;
      }
      if (CONFIG_BEGIN.test(body)) {
        inConfig = true;
        continue;
      }
      if (CONFIG_END.test(body)) {
        inConfig = false;
        continue;
      }
      if (signature == null && SIGNATURE.test(body)) {
        signature = body;
        continue;
      }
      const keyValue = KEY_VALUE.exec(body);
      if (keyValue) {
        const target = inConfig ? config : loose;
        const key = keyValue[1] ?? '';
        if (!target.has(key)) target.set(key, keyValue[2] ?? '');
        continue;
      }
      const label = LABEL.exec(body);
      if (label && !labels.has(label[1] ?? '')) labels.set(label[1] ?? '', label[2] ?? '');
    }
    if (thumbnail) thumbnailCutOff = true;
  }
  return {
    settings: SlicerSettings.layered(new SlicerSettings(config), new SlicerSettings(loose)),
    labels,
    signature,
    thumbnails,
    thumbnailCutOff,
  };
}

/** The fields of `ParsedPrintFile` a text G-code can give. */
export interface GcodeSummary {
  slicer: string | null;
  print_time_seconds: number | null;
  total_weight_grams: number | null;
  filament_length_meters: number | null;
  layer_count: number | null;
  layer_height: number | null;
  nozzle_diameter: number | null;
  printer_model: string | null;
  supports_used: boolean | null;
  bed_type: string | null;
  filaments: ParsedFilament[];
  thumbnail: ParsedThumbnail | null;
}

const NUMBER_LIST = /[,;]/;

export function summarizeGcode(comments: GcodeComments): GcodeSummary {
  const { settings, labels } = comments;
  const summary = summarizeSettings(settings);
  const statistics = printStatistics(settings);
  const label = (key: string) => labels.get(key) ?? null;

  // Bambu Studio and OrcaSlicer head their files with `; total filament weight [g] : 8.58,1.2` and
  // `; total filament length [mm] : …` — one value per filament used, not per slot.
  const headerGrams = splitList(label('total filament weight [g]'), NUMBER_LIST).map(parseNonNegativeNumber);
  const headerMeters = splitList(label('total filament length [mm]'), NUMBER_LIST)
    .map(parseNonNegativeNumber)
    .map((millimetres) => (millimetres == null ? null : roundTo(millimetres / 1000, 6)));
  // Cura: `;Filament used: 1.23456m, 0.5m`.
  const curaMeters = splitList(label('Filament used'), NUMBER_LIST).map((value) => parseNonNegativeNumber(value.replace(/m$/, '')));

  const slotCount = Math.max(summary.filament_types.length, summary.filament_colors.length);
  // Header lists follow the filaments used, not the slots; they line up with slots only when the counts agree.
  const alignsWithSlots = (values: readonly unknown[]) => values.length > 0 && (slotCount === 0 || values.length === slotCount);
  const grams = statistics.grams_per_filament.length > 0 ? statistics.grams_per_filament : alignsWithSlots(headerGrams) ? headerGrams : [];
  const meters =
    statistics.meters_per_filament.length > 0 ? statistics.meters_per_filament : alignsWithSlots(headerMeters) ? headerMeters : curaMeters;

  return {
    slicer: slicerOf(comments),
    print_time_seconds: statistics.print_time_seconds ?? totalEstimatedTime(label('model printing time')) ?? curaTime(labels),
    total_weight_grams: statistics.total_grams ?? sumWhenComplete(headerGrams),
    filament_length_meters: statistics.total_meters ?? sumWhenComplete(headerMeters) ?? sumWhenComplete(curaMeters),
    layer_count: parseCount(label('total layer number')) ?? parseCount(label('LAYER_COUNT')),
    layer_height: summary.layer_height ?? parsePositiveNumber(label('Layer height')),
    nozzle_diameter: summary.nozzle_diameter ?? parsePositiveNumber(label('EXTRUDER_TRAIN.0.NOZZLE.DIAMETER')),
    printer_model: summary.printer_model ?? nonEmpty(label('TARGET_MACHINE.NAME')),
    supports_used: summary.supports_used,
    bed_type: summary.bed_type ?? nonEmpty(label('BUILD_PLATE.TYPE')),
    filaments: filamentsFromLists({ types: summary.filament_types, colors: summary.filament_colors, grams, meters }),
    thumbnail: pickLargestThumbnail(comments.thumbnails),
  };
}

function slicerOf({ signature, labels }: GcodeComments): string | null {
  if (signature) return slicerFromSignature(signature);
  // Cura's Griffin flavour signs in its header block instead.
  const generator = labels.get('GENERATOR.NAME');
  return generator ? slicerFromSignature(`${generator} ${labels.get('GENERATOR.VERSION') ?? ''}`) : null;
}

/** `; model printing time: 37m 53s; total estimated time: 44m 4s` — the total includes preparation. */
function totalEstimatedTime(modelPrintingLine: string | null): number | null {
  const match = modelPrintingLine ? /total estimated time:\s*([^;]+)/.exec(modelPrintingLine) : null;
  return match ? parseDuration(match[1]) : null;
}

/** Cura writes plain seconds: `;TIME:6666` (Marlin flavour) or `;PRINT.TIME:6666` (Griffin). */
function curaTime(labels: ReadonlyMap<string, string>): number | null {
  return parseCount(labels.get('TIME')) ?? parseCount(labels.get('PRINT.TIME'));
}
