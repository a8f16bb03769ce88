import { corrupt } from './errors.js';
import { decodeXmlEntities, localName } from './xml-tags.js';

/**
 * A streaming scanner for 3MF model parts (`3D/*.model`). Model parts are the bulk of a 3MF —
 * hundreds of megabytes of `<vertex x=".." y=".." z=".."/>` and `<triangle v1 v2 v3/>` once
 * inflated — so this reads the inflated bytes chunk by chunk, straight into typed arrays, parsing
 * numbers from the bytes without making a string per tag. A general XML parser would allocate
 * several objects per vertex and hold the document; this holds one partial tag between chunks.
 * It understands exactly what a mesh needs: `model@unit`, document `metadata`, `object` with its
 * `mesh` or `components`, and `build/item`; everything else is skipped.
 */

/** 3MF's affine transform, `m00 m01 m02 m10 m11 m12 m20 m21 m22 m30 m31 m32` (row vectors: p' = p·M). */
export type Transform = Float64Array;

export interface ObjectMesh {
  positions: Float32Array;
  vertexCount: number;
  indices: Uint32Array;
  triangleCount: number;
}

export interface ObjectReference {
  objectId: string;
  /** The model part holding the object (3MF production extension `p:path`); null for the same part. */
  path: string | null;
  transform: Transform | null;
}

export interface ModelObject {
  id: string;
  type: string;
  name: string | null;
  mesh: ObjectMesh | null;
  components: ObjectReference[];
}

export interface ModelDocument {
  path: string;
  /** Millimetres per model unit. */
  unitScale: number;
  objects: Map<string, ModelObject>;
  build: ObjectReference[];
  metadata: Map<string, string>;
}

const UNIT_SCALE: Record<string, number> = { micron: 0.001, millimeter: 1, centimeter: 10, inch: 25.4, foot: 304.8, meter: 1000 };

/** A tag longer than this is not a tag of a mesh; refusing it bounds what one chunk boundary may hold. */
const MAX_TAG_BYTES = 4 * 1024 * 1024;
/** Document metadata (title, application) is a line; longer text (descriptions) is cut here. */
const MAX_METADATA_TEXT_BYTES = 64 * 1024;

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

const Tag = { Other: 0, Vertex: 1, Triangle: 2, Object: 3, Component: 4, Item: 5, Build: 6, Metadata: 7, Model: 8 } as const;
type Tag = (typeof Tag)[keyof typeof Tag];

const TAG_NAMES: readonly [Tag, Buffer][] = [
  [Tag.Vertex, Buffer.from('vertex')],
  [Tag.Triangle, Buffer.from('triangle')],
  [Tag.Object, Buffer.from('object')],
  [Tag.Component, Buffer.from('component')],
  [Tag.Item, Buffer.from('item')],
  [Tag.Build, Buffer.from('build')],
  [Tag.Metadata, Buffer.from('metadata')],
  [Tag.Model, Buffer.from('model')],
];

const COMMENT_OPEN = Buffer.from('<!--');
const COMMENT_CLOSE = Buffer.from('-->');
const CDATA_OPEN = Buffer.from('<![CDATA[');
const CDATA_CLOSE = Buffer.from(']]>');

const VERTEX = Buffer.from('vertex');
const TRIANGLE = Buffer.from('triangle');

function isNameEnd(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === SLASH || byte === GT;
}

function bytesAt(buffer: Buffer, start: number, expected: Buffer): boolean {
  for (let index = 0; index < expected.length; index++) if (buffer[start + index] !== expected[index]) return false;
  return true;
}

/** Exact powers of ten: a decimal with at most 15 significant digits divided by one is correctly rounded. */
const POW10 = Array.from({ length: 23 }, (_, exponent) => 10 ** exponent);

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

class ObjectBuilder {
  positions = new Float32Array(3 * 256);
  vertexCount = 0;
  indices = new Uint32Array(3 * 512);
  triangleCount = 0;
  hasMesh = false;
  readonly components: ObjectReference[] = [];

  constructor(
    readonly id: string,
    readonly type: string,
    readonly name: string | null,
  ) {}

  addVertex(x: number, y: number, z: number): void {
    let offset = this.vertexCount * 3;
    if (offset + 3 > this.positions.length) this.positions = grow(this.positions, new Float32Array(this.positions.length * 2));
    const positions = this.positions;
    positions[offset++] = x;
    positions[offset++] = y;
    positions[offset] = z;
    this.vertexCount++;
  }

  addTriangle(a: number, b: number, c: number): void {
    let offset = this.triangleCount * 3;
    if (offset + 3 > this.indices.length) this.indices = grow(this.indices, new Uint32Array(this.indices.length * 2));
    const indices = this.indices;
    indices[offset++] = a;
    indices[offset++] = b;
    indices[offset] = c;
    this.triangleCount++;
  }

  finish(path: string): ModelObject {
    let mesh: ObjectMesh | null = null;
    if (this.hasMesh && this.triangleCount > 0) {
      const used = this.triangleCount * 3;
      for (let index = 0; index < used; index++) {
        if ((this.indices[index] ?? 0) >= this.vertexCount) {
          throw corrupt(`${path}: object ${this.id} has a triangle naming vertex ${this.indices[index]} of ${this.vertexCount}`);
        }
      }
      mesh = {
        positions: fit(this.positions, this.vertexCount * 3),
        vertexCount: this.vertexCount,
        indices: fit(this.indices, used),
        triangleCount: this.triangleCount,
      };
    }
    return { id: this.id, type: this.type, name: this.name, mesh, components: this.components };
  }
}

function grow<T extends Float32Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Returns the used part; copies only when the spare room is worth giving back. */
function fit<T extends Float32Array | Uint32Array>(array: T, length: number): T {
  return (length < array.length * 0.75 ? array.slice(0, length) : array.subarray(0, length)) as T;
}

export class ModelScanner {
  private carry: Buffer | null = null;
  private unitScale = 1;
  private readonly objects = new Map<string, ModelObject>();
  private readonly build: ObjectReference[] = [];
  private readonly metadata = new Map<string, string>();
  private object: ObjectBuilder | null = null;
  private inBuild = false;
  private metadataName: string | null = null;
  private metadataText: Buffer[] = [];
  private metadataTextBytes = 0;

  constructor(private readonly path: string) {}

  feed(chunk: Buffer): void {
    let buffer = chunk;
    let position = 0;
    if (this.carry) {
      const carry = this.carry;
      this.carry = null;
      position = this.finishCarriedTag(carry, chunk);
      // The carried tag did not end at the chunk's first `>` (a quoted one, or a long comment).
      if (position < 0) {
        buffer = Buffer.concat([carry, chunk]);
        position = 0;
      }
    }
    const length = buffer.length;
    while (position < length) {
      // Between tags there are a few bytes of indentation; a loop beats a native indexOf call here.
      let start = position;
      while (start < length && buffer[start] !== LT) start++;
      if (start >= length) {
        this.captureText(buffer, position, length);
        return;
      }
      if (start > position) this.captureText(buffer, position, start);
      const end = this.tag(buffer, start, length);
      if (end < 0) {
        if (length - start > MAX_TAG_BYTES) throw corrupt(`${this.path}: a tag runs past ${MAX_TAG_BYTES} bytes`);
        this.carry = Buffer.from(buffer.subarray(start));
        return;
      }
      position = end + 1;
    }
  }

  /**
   * Completes the tag cut at the end of the last chunk by joining it with this chunk only up to the
   * first `>` — copying a few bytes instead of the whole chunk. Answers where to continue in `chunk`,
   * or -1 when the tag does not end there.
   */
  private finishCarriedTag(carry: Buffer, chunk: Buffer): number {
    const firstEnd = chunk.indexOf(GT);
    if (firstEnd < 0) return -1;
    const joined = Buffer.concat([carry, chunk.subarray(0, firstEnd + 1)]);
    const end = this.tag(joined, 0, joined.length);
    if (end < 0) return -1;
    // A tag cannot end inside the carried part, which was carried because it had not ended.
    if (end !== joined.length - 1) throw corrupt(`${this.path}: a tag ends where it cannot`);
    return firstEnd + 1;
  }

  finish(): ModelDocument {
    if (this.carry && this.carry.toString('latin1').trim() !== '') throw corrupt(`${this.path} ends inside a tag`);
    if (this.object) throw corrupt(`${this.path} ends inside object ${this.object.id}`);
    return { path: this.path, unitScale: this.unitScale, objects: this.objects, build: this.build, metadata: this.metadata };
  }

  /** Handles the tag at `start`; answers the index of its `>`, or -1 when the tag continues in the next chunk. */
  private tag(buffer: Buffer, start: number, length: number): number {
    let nameStart = start + 1;
    if (nameStart >= length) return -1;
    const first = buffer[nameStart];
    // Nearly every tag of a model part is one of these two; they skip the general name scan.
    if (first === 0x76 && bytesAt(buffer, nameStart, VERTEX) && isNameEnd(buffer[nameStart + VERTEX.length])) {
      return this.vertex(buffer, nameStart + VERTEX.length, length);
    }
    if (first === 0x74 && bytesAt(buffer, nameStart, TRIANGLE) && isNameEnd(buffer[nameStart + TRIANGLE.length])) {
      return this.triangle(buffer, nameStart + TRIANGLE.length, length);
    }
    if (first === 0x21 /* ! */ || first === 0x3f /* ? */) return this.skipSpecial(buffer, start, length);
    const closing = first === SLASH;
    if (closing) nameStart++;
    let nameEnd = nameStart;
    let localStart = nameStart;
    while (nameEnd < length) {
      const byte = buffer[nameEnd] ?? 0;
      if (byte === GT || byte === SLASH || isSpace(byte)) break;
      if (byte === COLON) localStart = nameEnd + 1;
      nameEnd++;
    }
    if (nameEnd >= length) return -1;
    const tag = tagOf(buffer, localStart, nameEnd);
    if (!closing && tag === Tag.Vertex) return this.vertex(buffer, nameEnd, length);
    if (!closing && tag === Tag.Triangle) return this.triangle(buffer, nameEnd, length);

    const end = findTagEnd(buffer, nameEnd, length);
    if (end < 0) return -1;
    if (closing) this.closeTag(tag);
    else if (tag !== Tag.Other) this.openTag(tag, buffer.toString('utf8', nameEnd, end), buffer[end - 1] === SLASH);
    return end;
  }

  /** Comments, CDATA, processing instructions and declarations. */
  private skipSpecial(buffer: Buffer, start: number, length: number): number {
    if (buffer[start + 1] === 0x3f /* ? */) return findTagEnd(buffer, start + 2, length);
    if (start + COMMENT_OPEN.length > length) return -1;
    if (bytesAt(buffer, start, COMMENT_OPEN)) {
      const at = buffer.indexOf(COMMENT_CLOSE, start + COMMENT_OPEN.length);
      return at < 0 ? -1 : at + COMMENT_CLOSE.length - 1;
    }
    if (start + CDATA_OPEN.length > length) return -1;
    if (bytesAt(buffer, start, CDATA_OPEN)) {
      const at = buffer.indexOf(CDATA_CLOSE, start + CDATA_OPEN.length);
      if (at < 0) return -1;
      this.captureText(buffer, start + CDATA_OPEN.length, at);
      return at + CDATA_CLOSE.length - 1;
    }
    return findTagEnd(buffer, start + 2, length);
  }

  private openTag(tag: Tag, attributeText: string, selfClosing: boolean): void {
    const attributes = parseAttributes(attributeText);
    switch (tag) {
      case Tag.Model: {
        const unit = attributes.get('unit');
        if (unit != null) {
          const scale = Object.hasOwn(UNIT_SCALE, unit) ? UNIT_SCALE[unit] : undefined;
          if (scale == null) throw corrupt(`${this.path}: unknown unit "${unit.slice(0, 50)}"`);
          this.unitScale = scale;
        }
        return;
      }
      case Tag.Metadata:
        // Only document metadata (title, application); objects carry their own, which ODIN does not show.
        if (this.object || selfClosing) return;
        this.metadataName = attributes.get('name') ?? null;
        this.metadataText = [];
        this.metadataTextBytes = 0;
        return;
      case Tag.Object: {
        if (this.object) throw corrupt(`${this.path}: object ${attributes.get('id') ?? '?'} starts inside object ${this.object.id}`);
        const id = attributes.get('id');
        if (id == null) throw corrupt(`${this.path}: an object has no id`);
        this.object = new ObjectBuilder(id, attributes.get('type') ?? 'model', attributes.get('name') ?? null);
        if (selfClosing) this.closeTag(Tag.Object);
        return;
      }
      case Tag.Component:
        if (this.object) this.object.components.push(this.reference(attributes, 'component'));
        return;
      case Tag.Item:
        if (this.inBuild) this.build.push(this.reference(attributes, 'build item'));
        return;
      case Tag.Build:
        this.inBuild = !selfClosing;
        return;
      case Tag.Vertex:
      case Tag.Triangle:
      case Tag.Other:
        return;
    }
  }

  private closeTag(tag: Tag): void {
    if (tag === Tag.Object && this.object) {
      const object = this.object.finish(this.path);
      this.objects.set(object.id, object);
      this.object = null;
    } else if (tag === Tag.Build) {
      this.inBuild = false;
    } else if (tag === Tag.Metadata && this.metadataName != null) {
      const text = decodeXmlEntities(Buffer.concat(this.metadataText).toString('utf8')).trim();
      if (!this.metadata.has(this.metadataName)) this.metadata.set(this.metadataName, text);
      this.metadataName = null;
      this.metadataText = [];
    }
  }

  private captureText(buffer: Buffer, start: number, end: number): void {
    if (this.metadataName == null || end <= start) return;
    const room = MAX_METADATA_TEXT_BYTES - this.metadataTextBytes;
    if (room <= 0) return;
    const piece = Buffer.from(buffer.subarray(start, Math.min(end, start + room)));
    this.metadataText.push(piece);
    this.metadataTextBytes += piece.length;
  }

  private reference(attributes: ReadonlyMap<string, string>, what: string): ObjectReference {
    const objectId = attributes.get('objectid');
    if (objectId == null) throw corrupt(`${this.path}: a ${what} names no object`);
    const transformText = attributes.get('transform');
    return {
      objectId,
      path: attributes.get('path') ?? null,
      transform: transformText == null ? null : parseTransform(transformText, this.unitScale, this.path),
    };
  }

  /** `<vertex x=".." y=".." z=".."/>`, parsed in place; -1 when the tag is cut by the chunk boundary. */
  private vertex(buffer: Buffer, from: number, length: number): number {
    let x = Number.NaN;
    let y = Number.NaN;
    let z = Number.NaN;
    let index = from;
    for (;;) {
      let byte = buffer[index];
      while (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === SLASH) byte = buffer[++index];
      if (index >= length) return -1;
      if (byte === GT) break;
      const quote = buffer[index + 2];
      if ((byte === 0x78 || byte === 0x79 || byte === 0x7a) && buffer[index + 1] === EQUALS && (quote === QUOTE || quote === APOSTROPHE)) {
        // The form every slicer writes, `x="1.5"`: read the number while looking for its closing quote.
        const value = scanDecimal(buffer, index + 3, length, quote);
        if (scanEnd < 0) return -1;
        if (byte === 0x78) x = value;
        else if (byte === 0x79) y = value;
        else z = value;
        index = scanEnd + 1;
        continue;
      }
      index = nextAttribute(buffer, index, length, this.path);
      if (index < 0) return -1;
      if (attribute.closed) break;
      if (attribute.nameEnd - attribute.nameStart === 1) {
        const name = buffer[attribute.nameStart];
        if (name === 0x78) x = parseDecimal(buffer, attribute.valueStart, attribute.valueEnd);
        else if (name === 0x79) y = parseDecimal(buffer, attribute.valueStart, attribute.valueEnd);
        else if (name === 0x7a) z = parseDecimal(buffer, attribute.valueStart, attribute.valueEnd);
      }
    }
    const object = this.object;
    if (!object) return index;
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
      throw corrupt(`${this.path}: object ${object.id} has a vertex whose coordinates are not numbers`);
    }
    object.hasMesh = true;
    const scale = this.unitScale;
    object.addVertex(x * scale, y * scale, z * scale);
    return index;
  }

  /** `<triangle v1=".." v2=".." v3=".."/>`, parsed in place; -1 when the tag is cut by the chunk boundary. */
  private triangle(buffer: Buffer, from: number, length: number): number {
    let a = -1;
    let b = -1;
    let c = -1;
    let index = from;
    for (;;) {
      let byte = buffer[index];
      while (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === SLASH) byte = buffer[++index];
      if (index >= length) return -1;
      if (byte === GT) break;
      const which = buffer[index + 1];
      const quote = buffer[index + 3];
      if (
        byte === 0x76 &&
        (which === 0x31 || which === 0x32 || which === 0x33) &&
        buffer[index + 2] === EQUALS &&
        (quote === QUOTE || quote === APOSTROPHE)
      ) {
        // The form every slicer writes, `v1="12"`: read the index while looking for its closing quote.
        const value = scanIndex(buffer, index + 4, length, quote);
        if (scanEnd < 0) return -1;
        if (which === 0x31) a = value;
        else if (which === 0x32) b = value;
        else c = value;
        index = scanEnd + 1;
        continue;
      }
      index = nextAttribute(buffer, index, length, this.path);
      if (index < 0) return -1;
      if (attribute.closed) break;
      if (attribute.nameEnd - attribute.nameStart === 2 && buffer[attribute.nameStart] === 0x76 /* v */) {
        const name = buffer[attribute.nameStart + 1];
        if (name === 0x31) a = parseIndex(buffer, attribute.valueStart, attribute.valueEnd);
        else if (name === 0x32) b = parseIndex(buffer, attribute.valueStart, attribute.valueEnd);
        else if (name === 0x33) c = parseIndex(buffer, attribute.valueStart, attribute.valueEnd);
      }
    }
    const object = this.object;
    if (!object) return index;
    if (a < 0 || b < 0 || c < 0) throw corrupt(`${this.path}: object ${object.id} has a triangle whose vertex indices are not numbers`);
    object.addTriangle(a, b, c);
    return index;
  }
}

/**
 * Where the last `scanDecimal` or `scanIndex` stopped: the closing quote, or -1 when the value runs
 * past the chunk. Like `attribute` below, module state keeps the per-vertex path free of allocations.
 */
let scanEnd = 0;

/** A decimal read up to its closing `quote`; anything unusual falls back to `parseDecimal`. */
function scanDecimal(buffer: Buffer, start: number, length: number, quote: number): number {
  let index = start;
  let byte = buffer[index];
  let negative = false;
  if (byte === MINUS) {
    negative = true;
    byte = buffer[++index];
  }
  let mantissa = 0;
  let scale = 0;
  let digits = 0;
  for (;;) {
    const digit = (byte ?? -1) - ZERO;
    if (digit < 0 || digit > 9) break;
    if (mantissa < 1e14) mantissa = mantissa * 10 + digit;
    else scale++;
    digits++;
    byte = buffer[++index];
  }
  if (byte === DOT) {
    byte = buffer[++index];
    for (;;) {
      const digit = (byte ?? -1) - ZERO;
      if (digit < 0 || digit > 9) break;
      if (mantissa < 1e14) {
        mantissa = mantissa * 10 + digit;
        scale--;
      }
      digits++;
      byte = buffer[++index];
    }
  }
  if (byte !== quote || digits === 0 || scale < -22 || scale > 22) {
    // Exponents, spaces, garbage, or a value cut by the chunk's end.
    while (index < length && buffer[index] !== quote) index++;
    scanEnd = index < length ? index : -1;
    return scanEnd < 0 ? Number.NaN : parseDecimal(buffer, start, index);
  }
  scanEnd = index;
  const value = scale === 0 ? mantissa : scale > 0 ? mantissa * (POW10[scale] ?? 1) : mantissa / (POW10[-scale] ?? 1);
  return negative ? -value : value;
}

/** A vertex index read up to its closing `quote`; -1 for anything but an unsigned 32-bit decimal. */
function scanIndex(buffer: Buffer, start: number, length: number, quote: number): number {
  let index = start;
  let value = 0;
  let byte = buffer[index];
  for (;;) {
    const digit = (byte ?? -1) - ZERO;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
    byte = buffer[++index];
  }
  if (byte !== quote || index === start || value > 0xffffffff) {
    while (index < length && buffer[index] !== quote) index++;
    scanEnd = index < length ? index : -1;
    return scanEnd < 0 ? -1 : parseIndex(buffer, start, index);
  }
  scanEnd = index;
  return value;
}

/**
 * Where `nextAttribute` found the last attribute. The per-vertex path runs millions of times per
 * file; filling one shared record instead of returning a new object keeps it free of allocations
 * (and of the garbage collections they cost). Only read right after `nextAttribute`.
 */
const attribute = { nameStart: 0, nameEnd: 0, valueStart: 0, valueEnd: 0, closed: false };

/**
 * Reads the next `name="value"` of a tag from `index` into `attribute`, or notes that the tag ends
 * there (`closed`, with the answer being the index of `>`). Answers where to continue, or -1 when
 * the tag continues in the next chunk.
 */
function nextAttribute(buffer: Buffer, from: number, length: number, path: string): number {
  let index = from;
  let byte = buffer[index];
  while (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === SLASH) byte = buffer[++index];
  if (index >= length) return -1;
  if (byte === GT) {
    attribute.closed = true;
    return index;
  }
  attribute.closed = false;
  attribute.nameStart = index;
  while (byte !== EQUALS && byte !== GT && byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) {
    if (++index >= length) return -1;
    byte = buffer[index];
  }
  attribute.nameEnd = index;
  while (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) byte = buffer[++index];
  if (index >= length) return -1;
  if (byte !== EQUALS) throw corrupt(`${path}: an attribute has no value`);
  byte = buffer[++index];
  while (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) byte = buffer[++index];
  if (index >= length) return -1;
  if (byte !== QUOTE && byte !== APOSTROPHE) throw corrupt(`${path}: an attribute value is not quoted`);
  const quote = byte;
  attribute.valueStart = ++index;
  while (index < length && buffer[index] !== quote) index++;
  if (index >= length) return -1;
  attribute.valueEnd = index;
  return index + 1;
}

function tagOf(buffer: Buffer, start: number, end: number): Tag {
  const length = end - start;
  for (const [tag, name] of TAG_NAMES) {
    if (name.length !== length) continue;
    let index = 0;
    while (index < length && buffer[start + index] === name[index]) index++;
    if (index === length) return tag;
  }
  return Tag.Other;
}

/** The `>` ending a tag, skipping any inside quoted attribute values; -1 when it is in a later chunk. */
function findTagEnd(buffer: Buffer, from: number, length: number): number {
  let quote = 0;
  for (let index = from; index < length; index++) {
    const byte = buffer[index];
    if (quote !== 0) {
      if (byte === quote) quote = 0;
    } else if (byte === QUOTE || byte === APOSTROPHE) {
      quote = byte;
    } else if (byte === GT) {
      return index;
    }
  }
  return -1;
}

const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function parseAttributes(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of text.matchAll(ATTRIBUTE)) {
    attributes.set(localName(match[1] ?? ''), decodeXmlEntities(match[2] ?? match[3] ?? ''));
  }
  return attributes;
}

/** The translation is in model units like the vertices, so it is scaled to millimetres with them. */
function parseTransform(text: string, unitScale: number, path: string): Transform {
  const parts = text.trim().split(/\s+/);
  const values = parts.map(Number);
  if (parts.length !== 12 || values.some((value) => !Number.isFinite(value))) {
    throw corrupt(`${path}: the transform "${text.slice(0, 200)}" is not twelve numbers`);
  }
  const transform = Float64Array.from(values);
  for (let index = 9; index < 12; index++) transform[index] = (transform[index] ?? 0) * unitScale;
  return transform;
}

/** An XML decimal (`-12.5`, `3e-2`) read straight from bytes; NaN for anything else. */
export function parseDecimal(buffer: Buffer, start: number, end: number): number {
  let index = start;
  let stop = end;
  while (index < stop && isSpace(buffer[index] ?? 0)) index++;
  while (stop > index && isSpace(buffer[stop - 1] ?? 0)) stop--;
  let negative = false;
  const sign = buffer[index];
  if (sign === MINUS) {
    negative = true;
    index++;
  } else if (sign === PLUS) {
    index++;
  }
  let mantissa = 0;
  let scale = 0;
  let digits = 0;
  while (index < stop) {
    const digit = (buffer[index] ?? 0) - ZERO;
    if (digit < 0 || digit > 9) break;
    // Past 15 digits a float cannot tell the difference; keep the magnitude, drop the digit.
    if (mantissa < 1e14) mantissa = mantissa * 10 + digit;
    else scale++;
    digits++;
    index++;
  }
  if (index < stop && buffer[index] === DOT) {
    index++;
    while (index < stop) {
      const digit = (buffer[index] ?? 0) - ZERO;
      if (digit < 0 || digit > 9) break;
      if (mantissa < 1e14) {
        mantissa = mantissa * 10 + digit;
        scale--;
      }
      digits++;
      index++;
    }
  }
  if (digits === 0) return Number.NaN;
  if (index < stop && (buffer[index] === LOWER_E || buffer[index] === UPPER_E)) {
    index++;
    let exponentNegative = false;
    if (buffer[index] === MINUS || buffer[index] === PLUS) {
      exponentNegative = buffer[index] === MINUS;
      index++;
    }
    let exponent = 0;
    let exponentDigits = 0;
    while (index < stop) {
      const digit = (buffer[index] ?? 0) - ZERO;
      if (digit < 0 || digit > 9) break;
      if (exponent < 10_000) exponent = exponent * 10 + digit;
      exponentDigits++;
      index++;
    }
    if (exponentDigits === 0) return Number.NaN;
    scale += exponentNegative ? -exponent : exponent;
  }
  if (index !== stop) return Number.NaN;
  let value: number;
  if (scale === 0) value = mantissa;
  else if (scale > 0 && scale < POW10.length) value = mantissa * (POW10[scale] ?? 1);
  else if (scale < 0 && -scale < POW10.length) value = mantissa / (POW10[-scale] ?? 1);
  else value = Number(buffer.toString('latin1', start, end).trim());
  return negative ? -value : value;
}

/** A vertex index; -1 for anything but an unsigned 32-bit decimal. */
function parseIndex(buffer: Buffer, start: number, end: number): number {
  let index = start;
  let stop = end;
  while (index < stop && isSpace(buffer[index] ?? 0)) index++;
  while (stop > index && isSpace(buffer[stop - 1] ?? 0)) stop--;
  if (index >= stop) return -1;
  let value = 0;
  for (; index < stop; index++) {
    const digit = (buffer[index] ?? 0) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
    if (value > 0xffffffff) return -1;
  }
  return value;
}
