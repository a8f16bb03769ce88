import { corrupt, unsafe, unsupported } from './errors.js';
import { type GcodeSummary, readGcodeComments, summarizeGcode } from './gcode-comments.js';
import { GCODE_HEAD_BYTES } from './gcode-text.js';
import { describeImage, pickLargestThumbnail } from './image.js';
import { assembleMesh, composeTransforms, type MeshInstance } from './mesh.js';
import { type ModelDocument, type ModelObject, ModelScanner, type ObjectMesh, type Transform } from './model-scanner.js';
import { SlicerSettings, summarizeSettings } from './slicer-settings.js';
import {
  type ModelSettings,
  parseModelSettings,
  parseProjectSettings,
  parsePrusaVolumes,
  parseRelationships,
  parseSlic3rConfig,
  parseSliceInfo,
  type SlicedPlate,
  type SliceInfo,
} from './threemf-configs.js';
import type { ParsedFilament, ParsedPlate, ParsedPrintFile, ParsedThumbnail, ParseLimits } from './types.js';
import { nonEmpty, roundTo, slicerFromSignature, sumWhenComplete } from './values.js';
import { type ArchiveMember, ZipArchive } from './zip-archive.js';

/** Config members are kilobytes to a few megabytes; more is not a config. */
const MAX_CONFIG_BYTES = 64 * 1024 * 1024;
/** Thumbnails above this are not worth serving and are skipped. */
const MAX_THUMBNAIL_BYTES = 16 * 1024 * 1024;
/** Components referencing components this deep are a cycle, not a design. */
const MAX_COMPONENT_DEPTH = 32;
/** Instancing one mesh many times multiplies the work of building the preview; past this it is refused. */
const MAX_PLACED_TRIANGLES = 100_000_000;

const DEFAULT_ROOT_MODEL = '3D/3dmodel.model';
const PLATE_GCODE = /^Metadata\/plate_(\d+)\.gcode$/i;
const MODEL_PART = /^3D\/.+\.model$/i;
const THUMBNAIL_NAME = /(?:^|\/)thumbnail[^/]*\.(?:png|jpe?g)$/i;

export async function parseThreeMfFile(filePath: string, limits: ParseLimits): Promise<ParsedPrintFile> {
  const archive = await ZipArchive.open(filePath, limits);
  try {
    return await new ThreeMfReader(archive, limits).read();
  } finally {
    archive.close();
  }
}

class ThreeMfReader {
  private readonly images = new Map<string, ParsedThumbnail | null>();

  constructor(
    private readonly archive: ZipArchive,
    private readonly limits: ParseLimits,
  ) {}

  async read(): Promise<ParsedPrintFile> {
    const { archive } = this;
    const relationships = parseRelationships((await this.text('_rels/.rels')) ?? '');
    const rootModelPath = relationships.rootModel ?? DEFAULT_ROOT_MODEL;
    const plateGcodes = new Map<number, ArchiveMember>();
    for (const member of archive.members) {
      const match = PLATE_GCODE.exec(member.name);
      if (match) plateGcodes.set(Number(match[1]), member);
    }
    const modelMembers = archive.members.filter((member) => MODEL_PART.test(member.name) || sameName(member.name, rootModelPath));
    const sliceInfoText = await this.text('Metadata/slice_info.config');
    const modelSettingsText = await this.text('Metadata/model_settings.config');
    const projectSettingsText = await this.text('Metadata/project_settings.config');
    const prusaConfigText = await this.text('Metadata/Slic3r_PE.config');
    const looksLike3mf =
      modelMembers.length > 0 ||
      plateGcodes.size > 0 ||
      [sliceInfoText, modelSettingsText, projectSettingsText, prusaConfigText].some((t) => t != null);
    if (!looksLike3mf) throw unsupported('The file is a ZIP archive but not a 3MF: it has no model and no slicer metadata');

    const sliceInfo = sliceInfoText == null ? null : parseSliceInfo(sliceInfoText, 'Metadata/slice_info.config');
    const modelSettings = modelSettingsText == null ? null : parseModelSettings(modelSettingsText, 'Metadata/model_settings.config');
    const projectSettings =
      projectSettingsText == null ? new SlicerSettings() : parseProjectSettings(projectSettingsText, 'Metadata/project_settings.config');
    const prusaConfig = prusaConfigText == null ? null : parseSlic3rConfig(prusaConfigText);
    const prusaVolumesText = await this.text('Metadata/Slic3r_PE_model.config');
    const hiddenTriangles = prusaVolumesText == null ? null : parsePrusaVolumes(prusaVolumesText, 'Metadata/Slic3r_PE_model.config');

    const documents = new Map<string, ModelDocument>();
    for (const member of modelMembers) {
      const scanner = new ModelScanner(member.name);
      await archive.stream(member, (chunk) => scanner.feed(chunk));
      documents.set(member.name.toLowerCase(), scanner.finish());
    }
    const rootModel = documents.get(rootModelPath.toLowerCase()) ?? null;
    const instances = rootModel ? collectInstances(documents, rootModel, modelSettings?.hiddenParts ?? null, hiddenTriangles) : [];
    const mesh = assembleMesh(instances, this.limits.maxMeshTriangles);

    const gcodeSummaries = new Map<number, GcodeSummary>();
    for (const [index, member] of plateGcodes) {
      const head = await archive.readHead(member, GCODE_HEAD_BYTES);
      gcodeSummaries.set(index, summarizeGcode(readGcodeComments(head.toString('utf8'))));
    }
    const plates = await this.plates(plateGcodes, gcodeSummaries, sliceInfo, modelSettings, rootModel);
    const onlyPlateGcode = plates.length === 1 ? (gcodeSummaries.get(plates[0]?.index ?? 0) ?? null) : null;

    const settings = SlicerSettings.layered(projectSettings, prusaConfig?.settings ?? new SlicerSettings());
    const summary = summarizeSettings(settings);
    const plateIndices = new Set(plates.map((plate) => plate.index));
    const slicedPlates = (sliceInfo?.plates ?? []).filter((plate) => plateIndices.has(plate.index));
    // `Application` names whatever wrote the 3MF — often a CAD program. It names a slicer only when
    // the archive also carries a slicer's metadata.
    const hasSlicerMetadata = sliceInfo != null || modelSettings != null || projectSettingsText != null || plateGcodes.size > 0;
    const application = hasSlicerMetadata || prusaConfig != null ? rootModel?.metadata.get('Application') : undefined;

    const filaments =
      plates.length > 0
        ? projectFilaments(summary.filament_types, summary.filament_colors, plates, slicedPlates)
        : unslicedFilaments(summary.filament_types, summary.filament_colors);
    const thumbnail = pickLargestThumbnail([
      ...(await this.imagesNamed([relationships.thumbnail, 'Metadata/thumbnail.png', ...this.thumbnailNames()])),
      ...plates.map((plate) => plate.thumbnail),
    ]);

    return {
      kind: 'threemf',
      slicer: (application ? slicerFromSignature(application) : null) ?? prusaConfig?.slicer ?? onlyPlateGcode?.slicer ?? null,
      project_name: nonEmpty(rootModel?.metadata.get('Title')),
      print_time_seconds: plates.length > 0 ? sumWhenComplete(plates.map((plate) => plate.print_time_seconds)) : null,
      total_weight_grams: plates.length > 0 ? sumWhenComplete(plates.map((plate) => plate.weight_grams)) : null,
      filament_length_meters: plates.length > 0 ? totalMeters(plates, gcodeSummaries) : null,
      layer_count: onlyPlateGcode?.layer_count ?? null,
      layer_height: summary.layer_height ?? onlyPlateGcode?.layer_height ?? null,
      nozzle_diameter: summary.nozzle_diameter ?? slicedPlates.find((plate) => plate.nozzleDiameter != null)?.nozzleDiameter ?? null,
      printer_model: summary.printer_model ?? onlyPlateGcode?.printer_model ?? null,
      supports_used: summary.supports_used ?? supportsFromSlices(slicedPlates),
      bed_type: summary.bed_type ?? onlyPlateGcode?.bed_type ?? null,
      filaments,
      thumbnail,
      plates,
      mesh,
    };
  }

  /**
   * Plates as the printer sees them: when the archive carries sliced G-code (a `.gcode.3mf`), the
   * plates it can print; otherwise every plate the project lays out or has sliced.
   */
  private async plates(
    plateGcodes: ReadonlyMap<number, ArchiveMember>,
    gcodeSummaries: ReadonlyMap<number, GcodeSummary>,
    sliceInfo: SliceInfo | null,
    modelSettings: ModelSettings | null,
    rootModel: ModelDocument | null,
  ): Promise<ParsedPlate[]> {
    const sliced = new Map((sliceInfo?.plates ?? []).map((plate) => [plate.index, plate]));
    const layouts = new Map((modelSettings?.plates ?? []).map((plate) => [plate.index, plate]));
    const indices = plateGcodes.size > 0 ? [...plateGcodes.keys()] : [...new Set([...layouts.keys(), ...sliced.keys()])];
    indices.sort((a, b) => a - b);

    const plates: ParsedPlate[] = [];
    for (const index of indices) {
      const slice = sliced.get(index);
      const layout = layouts.get(index);
      const gcode = gcodeSummaries.get(index);
      const namesFromLayout = (layout?.objectIds ?? []).map(
        (id) => modelSettings?.objectNames.get(id) ?? rootModel?.objects.get(id)?.name ?? null,
      );
      const names = slice && slice.objectNames.length > 0 ? slice.objectNames : namesFromLayout;
      const images = await this.imagesNamed([layout?.thumbnailFile, `Metadata/plate_${index}.png`, `Metadata/plate_${index}_small.png`]);
      plates.push({
        index,
        name: layout?.name ?? null,
        print_time_seconds: slice?.predictionSeconds ?? gcode?.print_time_seconds ?? null,
        weight_grams: slice?.weightGrams ?? gcode?.total_weight_grams ?? null,
        filaments: [...(slice?.filaments ?? [])].sort((a, b) => a.index - b.index),
        thumbnail: pickLargestThumbnail(images),
        object_names: [...new Set(names.filter((name): name is string => name != null))],
      });
    }
    return plates;
  }

  private thumbnailNames(): string[] {
    return this.archive.members.filter((member) => THUMBNAIL_NAME.test(member.name)).map((member) => member.name);
  }

  private async imagesNamed(names: readonly (string | null | undefined)[]): Promise<(ParsedThumbnail | null)[]> {
    const images: (ParsedThumbnail | null)[] = [];
    for (const name of names) if (name) images.push(await this.image(name));
    return images;
  }

  private async image(name: string): Promise<ParsedThumbnail | null> {
    const member = this.archive.find(name);
    if (!member || member.uncompressedSize > MAX_THUMBNAIL_BYTES) return null;
    const key = member.name.toLowerCase();
    if (!this.images.has(key)) this.images.set(key, describeImage(await this.archive.read(member, MAX_THUMBNAIL_BYTES)));
    return this.images.get(key) ?? null;
  }

  private async text(name: string): Promise<string | null> {
    const member = this.archive.find(name);
    if (!member) return null;
    return (await this.archive.read(member, MAX_CONFIG_BYTES)).toString('utf8').replace(/^\uFEFF/, '');
  }
}

function sameName(a: string, b: string): boolean {
  return a.replace(/^\//, '').toLowerCase() === b.replace(/^\//, '').toLowerCase();
}

/**
 * Every mesh placed by the root model's build items, following components (also into other model
 * parts, Bambu's `3D/Objects/*.model`) with their transforms composed. Modifiers, blockers and
 * negative volumes shape the slice but are not printed, so they are left out: Bambu marks them as
 * parts (components) of an object, PrusaSlicer as triangle ranges of an object's mesh.
 */
function collectInstances(
  documents: ReadonlyMap<string, ModelDocument>,
  root: ModelDocument,
  hiddenParts: ReadonlyMap<string, ReadonlySet<string>> | null,
  hiddenTriangles: ReadonlyMap<string, readonly [number, number][]> | null,
): MeshInstance[] {
  const instances: MeshInstance[] = [];
  const printedMeshes = new Map<ModelObject, ObjectMesh>();
  let placedTriangles = 0;
  const visit = (
    documentPath: string,
    objectId: string,
    transform: Transform | null,
    depth: number,
    hidden: ReadonlySet<string> | null,
  ) => {
    if (depth > MAX_COMPONENT_DEPTH) throw corrupt(`Components in ${documentPath} nest deeper than ${MAX_COMPONENT_DEPTH} levels`);
    const document = documents.get(documentPath.replace(/^\//, '').toLowerCase());
    if (!document) throw corrupt(`The model refers to a part ${documentPath} that the archive does not hold`);
    const object = document.objects.get(objectId);
    if (!object) throw corrupt(`${document.path} has no object ${objectId}, though the model refers to it`);
    if (object.type === 'other') return;
    if (object.mesh) {
      const ranges = depth === 0 && document === root ? hiddenTriangles?.get(objectId) : undefined;
      let mesh = object.mesh;
      if (ranges) {
        mesh = printedMeshes.get(object) ?? withoutTriangles(object.mesh, ranges);
        printedMeshes.set(object, mesh);
      }
      placedTriangles += mesh.triangleCount;
      if (placedTriangles > MAX_PLACED_TRIANGLES) throw unsafe(`The model places more than ${MAX_PLACED_TRIANGLES} triangles`);
      if (mesh.triangleCount > 0) instances.push({ mesh, transform });
    }
    for (const component of object.components) {
      if (hidden?.has(component.objectId)) continue;
      visit(component.path ?? document.path, component.objectId, composeTransforms(component.transform, transform), depth + 1, null);
    }
  };
  for (const item of root.build) {
    visit(item.path ?? root.path, item.objectId, item.transform, 0, hiddenParts?.get(item.objectId) ?? null);
  }
  return instances;
}

/** The mesh without the triangles of the given inclusive ranges, and without the vertices only they used. */
function withoutTriangles(mesh: ObjectMesh, ranges: readonly [number, number][]): ObjectMesh {
  const hidden = new Uint8Array(mesh.triangleCount);
  for (const [first, last] of ranges) hidden.fill(1, Math.max(0, first), Math.min(mesh.triangleCount, last + 1));
  const renumbered = new Int32Array(mesh.vertexCount).fill(-1);
  const indices = new Uint32Array(mesh.triangleCount * 3);
  const positions = new Float32Array(mesh.vertexCount * 3);
  let kept = 0;
  let vertexCount = 0;
  for (let triangle = 0; triangle < mesh.triangleCount; triangle++) {
    if (hidden[triangle]) continue;
    for (let corner = 0; corner < 3; corner++) {
      const vertex = mesh.indices[triangle * 3 + corner] ?? 0;
      let renamed = renumbered[vertex] ?? -1;
      if (renamed < 0) {
        renamed = vertexCount++;
        renumbered[vertex] = renamed;
        positions.set(mesh.positions.subarray(vertex * 3, vertex * 3 + 3), renamed * 3);
      }
      indices[kept * 3 + corner] = renamed;
    }
    kept++;
  }
  return { positions: positions.subarray(0, vertexCount * 3), vertexCount, indices: indices.subarray(0, kept * 3), triangleCount: kept };
}

/**
 * The project's filament slots (from its settings, else from what the slices used), with grams and
 * metres summed over the plates — only when every plate is sliced; a slot no sliced plate uses then
 * used none.
 */
function projectFilaments(
  types: readonly (string | null)[],
  colors: readonly (string | null)[],
  plates: readonly ParsedPlate[],
  slicedPlates: readonly SlicedPlate[],
): ParsedFilament[] {
  const slots = new Map<number, ParsedFilament>();
  const count = Math.max(types.length, colors.length);
  for (let index = 0; index < count; index++) {
    slots.set(index, { index, type: types[index] ?? null, color_hex: colors[index] ?? null, grams: null, meters: null });
  }
  for (const plate of plates) {
    for (const used of plate.filaments) {
      if (!slots.has(used.index)) slots.set(used.index, { ...used, grams: null, meters: null });
    }
  }
  const slicedIndices = new Set(slicedPlates.map((plate) => plate.index));
  const everyPlateSliced = plates.every((plate) => slicedIndices.has(plate.index));
  if (everyPlateSliced) {
    for (const slot of slots.values()) {
      const uses = plates.flatMap((plate) => plate.filaments.filter((used) => used.index === slot.index));
      slot.grams = uses.length === 0 ? 0 : sumWhenComplete(uses.map((used) => used.grams));
      slot.meters = uses.length === 0 ? 0 : sumWhenComplete(uses.map((used) => used.meters));
    }
  }
  return [...slots.values()].sort((a, b) => a.index - b.index);
}

/** A PrusaSlicer project names its tools but, unsliced, says nothing of how much each uses. */
function unslicedFilaments(types: readonly (string | null)[], colors: readonly (string | null)[]): ParsedFilament[] {
  const count = Math.max(types.length, colors.length);
  return Array.from({ length: count }, (_, index) => ({
    index,
    type: types[index] ?? null,
    color_hex: colors[index] ?? null,
    grams: null,
    meters: null,
  }));
}

function totalMeters(plates: readonly ParsedPlate[], gcodeSummaries: ReadonlyMap<number, GcodeSummary>): number | null {
  const perPlate = plates.map((plate) =>
    plate.filaments.length > 0
      ? sumWhenComplete(plate.filaments.map((used) => used.meters))
      : (gcodeSummaries.get(plate.index)?.filament_length_meters ?? null),
  );
  const total = sumWhenComplete(perPlate);
  return total == null ? null : roundTo(total, 6);
}

function supportsFromSlices(slicedPlates: readonly SlicedPlate[]): boolean | null {
  const flags = slicedPlates.map((plate) => plate.supportUsed).filter((flag): flag is boolean => flag != null);
  if (flags.length === 0) return null;
  return flags.some(Boolean);
}
