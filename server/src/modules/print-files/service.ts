import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

import type { Actor } from '../../core/actor.js';
import { badRequest, HttpError, notFound } from '../../core/errors.js';
import type { AuditLog } from '../audit/audit-log.js';
import {
  type ParsedFilament,
  type ParsedMesh,
  type ParsedPlate,
  parsePrintFile,
  PrintFileError,
  type PrintFileKind,
} from './parse/index.js';
import type { PrintFileRecord, PrintFilesRepository } from './repository.js';
import type { MeshDto, PlateDto, PrintFileDto } from './schemas.js';
import { type PrintFileStorage, UploadTooLarge } from './storage.js';

interface StoredPlate extends Omit<ParsedPlate, 'thumbnail'> {
  has_thumbnail: boolean;
}

const KINDS: readonly PrintFileKind[] = ['threemf', 'gcode', 'bgcode'];

/**
 * The name a file was uploaded with, as shown to people. A name that tries to be a path (`../x`,
 * `a/b`, a drive or NUL) is refused: nothing uses it on disk, but a name like that is never an accident.
 */
export function checkUploadName(raw: string | undefined): string {
  const name = (raw ?? '').normalize('NFC');
  if (name.trim() === '') return 'upload';
  // eslint-disable-next-line no-control-regex
  if (/[/\\]|^\.\.?$|[\u0000-\u001f\u007f]/.test(name) || name.length > 255)
    throw badRequest(
      'print_file_unsafe',
      `The file name "${name.slice(0, 80)}" is a path or contains control characters; upload the file under a plain name`,
    );
  return name;
}

export class PrintFilesService {
  constructor(
    private readonly files: PrintFilesRepository,
    private readonly storage: PrintFileStorage,
    private readonly audit: AuditLog,
    private readonly maxUploadBytes: number,
  ) {}

  get uploadLimitBytes(): number {
    return this.maxUploadBytes;
  }

  async list(
    filter: { model_id?: number | undefined; search?: string | undefined; limit?: number | undefined } = {},
  ): Promise<PrintFileDto[]> {
    return (await this.files.list(filter)).map(toDto);
  }

  async get(id: number): Promise<PrintFileDto> {
    return toDto(await this.record(id));
  }

  async record(id: number): Promise<PrintFileRecord> {
    const row = await this.files.find(id);
    if (!row) throw notFound('print_file_not_found', `Print file ${id} does not exist`);
    return row;
  }

  async detail(id: number): Promise<PrintFileDto & { thumbnail_b64: string | null }> {
    const row = await this.record(id);
    const thumb = await this.storage.thumbnail(row.filename, null);
    return { ...toDto(row), thumbnail_b64: thumb ? (await fsp.readFile(thumb.path)).toString('base64') : null };
  }

  /** Streams, checks by content, parses and keeps an upload; anything wrong leaves nothing behind. */
  async upload(stream: Readable & { truncated?: boolean }, originalName: string | undefined, actor: Actor): Promise<PrintFileDto> {
    const name = checkUploadName(originalName);
    let received;
    try {
      received = await this.storage.receive(stream, this.maxUploadBytes);
    } catch (err) {
      if (err instanceof UploadTooLarge) throw tooLarge(this.maxUploadBytes);
      throw err;
    }
    if (received.size === 0) {
      await this.storage.discard(received.tempPath);
      throw badRequest('file_empty', 'The uploaded file is empty');
    }
    let parsed;
    try {
      parsed = await parsePrintFile(received.tempPath);
    } catch (err) {
      await this.storage.discard(received.tempPath);
      if (err instanceof PrintFileError) throw new HttpError(err.code === 'print_file_type_unsupported' ? 415 : 400, err.code, err.message);
      throw err;
    }
    const stored = await this.storage.keep(received.tempPath, parsed.kind, {
      thumbnail: parsed.thumbnail,
      plates: parsed.plates,
      mesh: parsed.mesh,
    });
    const plates: StoredPlate[] = parsed.plates.map(({ thumbnail, ...plate }) => ({ ...plate, has_thumbnail: thumbnail !== null }));
    let row: PrintFileRecord;
    try {
      row = await this.files.insert({
        filename: stored.filename,
        original_filename: name,
        kind: parsed.kind,
        slicer: parsed.slicer,
        project_name: parsed.project_name,
        print_time_seconds: parsed.print_time_seconds === null ? null : Math.round(parsed.print_time_seconds),
        total_weight_grams: parsed.total_weight_grams,
        filament_weight_grams: parsed.total_weight_grams,
        filament_length_meters: parsed.filament_length_meters,
        layer_count: parsed.layer_count,
        layer_height: parsed.layer_height,
        nozzle_diameter: parsed.nozzle_diameter,
        printer_model: parsed.printer_model,
        supports_used: parsed.supports_used,
        bed_type: parsed.bed_type,
        filaments_json: JSON.stringify(parsed.filaments),
        plates_json: JSON.stringify(plates),
        has_thumbnail: parsed.thumbnail !== null,
        has_mesh: parsed.mesh !== null,
        mesh_triangles: parsed.mesh?.triangle_count ?? null,
        size_bytes: received.size,
        sha256: received.sha256,
        stored_path: stored.storedPath,
        uploaded_by: actor.userId,
        uploaded_at: new Date().toISOString(),
      });
    } catch (err) {
      await this.storage.remove(stored.filename);
      throw err;
    }
    await this.audit.record({
      action: 'upload',
      entityType: 'print_file',
      entityId: row.id,
      details: { name, kind: parsed.kind, size: received.size },
      actor,
    });
    return toDto(row);
  }

  async delete(id: number, actor: Actor): Promise<void> {
    const row = await this.record(id);
    await this.files.delete(id);
    await this.storage.remove(row.filename);
    await this.audit.record({ action: 'delete', entityType: 'print_file', entityId: id, details: { name: row.original_filename }, actor });
  }

  async linkModel(id: number, modelId: number | null): Promise<void> {
    await this.record(id);
    await this.files.update(id, { model_id: modelId });
  }

  async thumbnail(id: number, plate: number | null): Promise<{ path: string; mime: string }> {
    const row = await this.record(id);
    const found = await this.storage.thumbnail(row.filename, plate);
    if (!found) throw notFound('not_found', plate === null ? 'The file has no thumbnail' : `Plate ${plate} has no thumbnail`);
    return found;
  }

  async mesh(id: number): Promise<MeshDto> {
    const row = await this.record(id);
    const mesh = row.has_mesh ? await this.storage.mesh(row.filename) : null;
    if (!mesh) throw notFound('mesh_not_available', `${row.original_filename} holds no mesh the 3D viewer can show`);
    return meshDto(mesh);
  }

  filePath(row: PrintFileRecord): string {
    return this.storage.filePath(path.basename(row.filename));
  }
}

function tooLarge(limit: number): HttpError {
  return new HttpError(
    413,
    'print_file_too_large',
    `The upload is larger than the ${Math.round(limit / (1024 * 1024))} MB limit (ODIN_MAX_UPLOAD_MB)`,
  );
}

/** The early check, before a byte is stored: a declared length over the limit is refused at once. */
export function assertDeclaredSize(contentLength: string | undefined, limit: number): void {
  const declared = Number(contentLength);
  // The multipart envelope adds a little; a kilobyte of slack keeps a file right at the limit acceptable.
  if (Number.isFinite(declared) && declared > limit + 64 * 1024) throw tooLarge(limit);
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function toDto(row: PrintFileRecord): PrintFileDto {
  const plates = parseJson<StoredPlate[]>(row.plates_json, []);
  const kind = (KINDS as readonly string[]).includes(row.kind) ? (row.kind as PrintFileKind) : 'gcode';
  return {
    id: row.id,
    filename: row.filename,
    original_filename: row.original_filename,
    kind,
    slicer: row.slicer,
    project_name: row.project_name,
    print_time_seconds: row.print_time_seconds,
    total_weight_grams: row.total_weight_grams,
    filament_weight_grams: row.filament_weight_grams,
    filament_length_meters: row.filament_length_meters,
    layer_count: row.layer_count,
    layer_height: row.layer_height,
    nozzle_diameter: row.nozzle_diameter,
    printer_model: row.printer_model,
    supports_used: row.supports_used === null ? null : Boolean(row.supports_used),
    bed_type: row.bed_type,
    filaments: parseJson<ParsedFilament[]>(row.filaments_json, []),
    filaments_json: row.filaments_json,
    plates: plates.map((p): PlateDto => ({
      index: p.index,
      name: p.name,
      print_time_seconds: p.print_time_seconds,
      weight_grams: p.weight_grams,
      filaments: p.filaments,
      object_names: p.object_names,
      thumbnail_url: p.has_thumbnail ? `/api/print-files/${row.id}/plates/${p.index}/thumbnail` : null,
    })),
    thumbnail_url: row.has_thumbnail ? `/api/print-files/${row.id}/thumbnail` : null,
    has_mesh: Boolean(row.has_mesh),
    mesh_triangles: row.mesh_triangles,
    size_bytes: row.size_bytes,
    sha256: row.sha256,
    model_id: row.model_id,
    job_id: row.job_id,
    uploaded_by: row.uploaded_by,
    uploaded_at: row.uploaded_at,
  };
}

export function meshDto(mesh: ParsedMesh): MeshDto {
  return {
    vertex_count: mesh.vertices.length / 3,
    triangle_count: mesh.triangle_count,
    decimated: mesh.decimated,
    bounds: { min: [...mesh.bounds.min], max: [...mesh.bounds.max] },
    vertices_b64: Buffer.from(mesh.vertices.buffer, mesh.vertices.byteOffset, mesh.vertices.byteLength).toString('base64'),
    indices_b64: Buffer.from(mesh.indices.buffer, mesh.indices.byteOffset, mesh.indices.byteLength).toString('base64'),
  };
}
