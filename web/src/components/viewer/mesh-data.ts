/**
 * The preview mesh as the server sends it (GET /api/print-files/{id}/mesh): base64 of little-endian
 * Float32 x,y,z per vertex (mm) and base64 of little-endian Uint32 indices, three per triangle.
 * Decoded straight into one ArrayBuffer per array, which the typed arrays then view (no second copy).
 */
export interface MeshReply {
  vertex_count: number;
  triangle_count: number;
  decimated: boolean;
  bounds: { min: number[]; max: number[] };
  vertices_b64: string;
  indices_b64: string;
}

export type Vec3 = [number, number, number];

export interface DecodedMesh {
  positions: Float32Array;
  indices: Uint32Array;
  vertexCount: number;
  triangleCount: number;
  decimated: boolean;
  bounds: { min: Vec3; max: Vec3 };
}

export class MeshDataError extends Error {
  override name = 'MeshDataError';
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Uint8Array(256).fill(255);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

type FromBase64 = (text: string) => Uint8Array;
/** The engine's own decoder (Chromium 140+, Firefox 133+, Safari 18.2+) where there is one. */
const nativeFromBase64 = (Uint8Array as unknown as { fromBase64?: FromBase64 }).fromBase64;

/** Base64 → bytes: the engine's own decoder where there is one, else {@link decodeBase64}. */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  if (!nativeFromBase64) return decodeBase64(text);
  try {
    return nativeFromBase64(text) as Uint8Array<ArrayBuffer>;
  } catch {
    throw new MeshDataError('The mesh data is not valid base64');
  }
}

/**
 * Base64 → bytes, written once into a buffer of the exact size (no intermediate binary string as
 * with atob). The server sends no whitespace; anything outside the alphabet is an error.
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const invalid = () => new MeshDataError('The mesh data is not valid base64');
  if (text.length % 4 !== 0) throw invalid();
  let padding = 0;
  if (text.endsWith('==')) padding = 2;
  else if (text.endsWith('=')) padding = 1;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  const at = (index: number) => {
    const code = text.charCodeAt(index);
    const value = code < 256 ? (LOOKUP[code] ?? 255) : 255;
    if (value === 255) throw invalid();
    return value;
  };
  const end = text.length - padding;
  const whole = end - (end % 4);
  let o = 0;
  let i = 0;
  for (; i < whole; i += 4) {
    const n = (at(i) << 18) | (at(i + 1) << 12) | (at(i + 2) << 6) | at(i + 3);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  // The padded tail: two characters carry one byte, three carry two.
  const rest = end - i;
  if (rest === 2) out[o] = (at(i) << 2) | (at(i + 1) >> 4);
  else if (rest === 3) {
    const n = (at(i) << 10) | (at(i + 1) << 4) | (at(i + 2) >> 2);
    out[o++] = n >> 8;
    out[o] = n & 255;
  } else if (rest !== 0) throw invalid();
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A little-endian byte run as a typed array: a view of the same buffer on little-endian machines (all of them in practice). */
function view<T extends Float32Array | Uint32Array>(
  bytes: Uint8Array<ArrayBuffer>,
  make: (buffer: ArrayBuffer, offset: number, length: number) => T,
  read: (data: DataView, offset: number) => number,
): T {
  const length = bytes.byteLength / 4;
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) return make(bytes.buffer, bytes.byteOffset, length);
  const aligned = make(new ArrayBuffer(bytes.byteLength), 0, length);
  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let k = 0; k < length; k++) aligned[k] = read(data, k * 4);
  return aligned;
}

function vec3(values: number[] | undefined, name: string): Vec3 {
  if (!values || values.length < 3 || values.slice(0, 3).some((value) => !Number.isFinite(value)))
    throw new MeshDataError(`The mesh bounds (${name}) are missing`);
  return [values[0] ?? 0, values[1] ?? 0, values[2] ?? 0];
}

/**
 * Checks and decodes a mesh reply. Refuses data whose lengths do not match the stated counts, and
 * indices that point past the last vertex (three.js would read garbage or the GPU would fault).
 */
export function decodeMesh(reply: MeshReply): DecodedMesh {
  const vertexBytes = base64ToBytes(reply.vertices_b64);
  const indexBytes = base64ToBytes(reply.indices_b64);
  if (vertexBytes.byteLength !== reply.vertex_count * 12)
    throw new MeshDataError(`Expected ${reply.vertex_count} vertices, got ${vertexBytes.byteLength} bytes`);
  if (indexBytes.byteLength !== reply.triangle_count * 12)
    throw new MeshDataError(`Expected ${reply.triangle_count} triangles, got ${indexBytes.byteLength} bytes`);
  const positions = view(
    vertexBytes,
    (buffer, offset, length) => new Float32Array(buffer, offset, length),
    (data, offset) => data.getFloat32(offset, true),
  );
  const indices = view(
    indexBytes,
    (buffer, offset, length) => new Uint32Array(buffer, offset, length),
    (data, offset) => data.getUint32(offset, true),
  );
  for (let k = 0; k < indices.length; k++) {
    if ((indices[k] ?? 0) >= reply.vertex_count) throw new MeshDataError(`Triangle corner ${k} points past the last vertex`);
  }
  return {
    positions,
    indices,
    vertexCount: reply.vertex_count,
    triangleCount: reply.triangle_count,
    decimated: reply.decimated,
    bounds: { min: vec3(reply.bounds.min, 'min'), max: vec3(reply.bounds.max, 'max') },
  };
}

/** Width, depth and height of the bounds in mm. */
export function boundsSize(bounds: { min: Vec3; max: Vec3 }): Vec3 {
  return [bounds.max[0] - bounds.min[0], bounds.max[1] - bounds.min[1], bounds.max[2] - bounds.min[2]];
}
