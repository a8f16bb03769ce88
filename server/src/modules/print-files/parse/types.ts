/** The three kinds of print file ODIN reads, told apart by content (see `sniff.ts`), never by name. */
export type PrintFileKind = 'threemf' | 'gcode' | 'bgcode';

/** One filament (tool or AMS slot) as the file describes it. */
export interface ParsedFilament {
  /** 0-based tool/slot index, as G-code `T<n>` numbers them (Bambu's 1-based filament ids minus one). */
  index: number;
  type: string | null;
  /** `#RRGGBB`, upper case; any alpha the slicer stored is dropped. */
  color_hex: string | null;
  grams: number | null;
  meters: number | null;
}

export interface ParsedThumbnail {
  mime: 'image/png' | 'image/jpeg' | 'image/qoi';
  width: number;
  height: number;
  data: Buffer;
}

export interface ParsedPlate {
  /** 1-based, as the slicer numbers its plates. */
  index: number;
  name: string | null;
  print_time_seconds: number | null;
  weight_grams: number | null;
  /** The filaments the slice of this plate uses; empty when the plate was never sliced. */
  filaments: ParsedFilament[];
  thumbnail: ParsedThumbnail | null;
  object_names: string[];
}

export interface MeshBounds {
  min: [number, number, number];
  max: [number, number, number];
}

export interface ParsedMesh {
  /** x, y, z per vertex in millimetres, build-plate coordinates (transforms applied). */
  vertices: Float32Array;
  /** Three vertex indices per triangle. */
  indices: Uint32Array;
  triangle_count: number;
  /** Of the full-resolution model, so sizes shown to users stay exact after decimation. */
  bounds: MeshBounds;
  decimated: boolean;
}

/**
 * What a print file says about itself. Every field is null (or an empty list) where the file does
 * not say: a value here is always read from the file or summed from values it states, never guessed.
 */
export interface ParsedPrintFile {
  kind: PrintFileKind;
  /** Name and version as the slicer writes them, e.g. `PrusaSlicer 2.7.1`, `BambuStudio 01.09.00.70`. */
  slicer: string | null;
  project_name: string | null;
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
  /**
   * One entry per plate for 3MF projects that have plates (Bambu Studio, OrcaSlicer); empty for
   * G-code, binary G-code and plate-less 3MFs (PrusaSlicer, plain 3MF), whose top-level fields
   * already describe their one print.
   */
  plates: ParsedPlate[];
  mesh: ParsedMesh | null;
}

export interface ParseLimits {
  /** Ceiling on the uncompressed size of all zip members together. */
  maxUncompressedBytes: number;
  /** Ceiling on uncompressed ÷ compressed size of one member, checked for members above `COMPRESSION_RATIO_FLOOR_BYTES`. */
  maxCompressionRatio: number;
  /** The mesh handed to the 3D viewer has at most this many triangles. */
  maxMeshTriangles: number;
}

export const DEFAULT_PARSE_LIMITS: Readonly<ParseLimits> = Object.freeze({
  maxUncompressedBytes: 2 * 1024 ** 3,
  maxCompressionRatio: 400,
  maxMeshTriangles: 200_000,
});

/**
 * Small members compress absurdly well when they are mostly repetition (a config of zeros, an empty
 * mesh); only members above this size are held to `maxCompressionRatio`, which is where a bomb hurts.
 */
export const COMPRESSION_RATIO_FLOOR_BYTES = 4 * 1024 * 1024;
