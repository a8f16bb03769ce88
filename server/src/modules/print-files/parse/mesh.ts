import type { ObjectMesh, Transform } from './model-scanner.js';
import type { MeshBounds, ParsedMesh } from './types.js';

/** One placement of an object's mesh on the plate. */
export interface MeshInstance {
  mesh: ObjectMesh;
  transform: Transform | null;
}

/** `inner` first, then `outer` (3MF row-vector matrices: p' = p·inner·outer). */
export function composeTransforms(inner: Transform | null, outer: Transform | null): Transform | null {
  if (!inner) return outer;
  if (!outer) return inner;
  const result = new Float64Array(12);
  for (let row = 0; row < 4; row++) {
    for (let column = 0; column < 3; column++) {
      let sum = row === 3 ? (outer[9 + column] ?? 0) : 0;
      for (let k = 0; k < 3; k++) sum += (inner[row * 3 + k] ?? 0) * (outer[k * 3 + column] ?? 0);
      result[row * 3 + column] = sum;
    }
  }
  return result;
}

const IDENTITY: Transform = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);

/**
 * Every instance in plate coordinates as one indexed mesh, decimated to at most `maxTriangles` by
 * vertex clustering when larger. Null when there is nothing to draw.
 */
export function assembleMesh(instances: readonly MeshInstance[], maxTriangles: number): ParsedMesh | null {
  let triangleTotal = 0;
  let vertexTotal = 0;
  for (const { mesh } of instances) {
    triangleTotal += mesh.triangleCount;
    vertexTotal += mesh.vertexCount;
  }
  if (triangleTotal === 0) return null;
  const bounds = measureBounds(instances);
  if (triangleTotal <= maxTriangles) return { ...concatenate(instances, vertexTotal, triangleTotal), bounds, decimated: false };
  return { ...decimateByClustering(instances, bounds, maxTriangles), bounds, decimated: true };
}

function measureBounds(instances: readonly MeshInstance[]): MeshBounds {
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (const { mesh, transform } of instances) {
    const m = transform ?? IDENTITY;
    const p = mesh.positions;
    for (let offset = 0; offset < mesh.vertexCount * 3; offset += 3) {
      const x = p[offset] ?? 0;
      const y = p[offset + 1] ?? 0;
      const z = p[offset + 2] ?? 0;
      const wx = (m[0] ?? 0) * x + (m[3] ?? 0) * y + (m[6] ?? 0) * z + (m[9] ?? 0);
      const wy = (m[1] ?? 0) * x + (m[4] ?? 0) * y + (m[7] ?? 0) * z + (m[10] ?? 0);
      const wz = (m[2] ?? 0) * x + (m[5] ?? 0) * y + (m[8] ?? 0) * z + (m[11] ?? 0);
      if (wx < min[0]) min[0] = wx;
      if (wx > max[0]) max[0] = wx;
      if (wy < min[1]) min[1] = wy;
      if (wy > max[1]) max[1] = wy;
      if (wz < min[2]) min[2] = wz;
      if (wz > max[2]) max[2] = wz;
    }
  }
  // Vertices are single precision; rounding to a tenth of a micron hides that noise (25.399999618 → 25.4).
  const tidy = (value: number) => Math.round(value * 10_000) / 10_000;
  return { min: [tidy(min[0]), tidy(min[1]), tidy(min[2])], max: [tidy(max[0]), tidy(max[1]), tidy(max[2])] };
}

function concatenate(instances: readonly MeshInstance[], vertexTotal: number, triangleTotal: number) {
  const vertices = new Float32Array(vertexTotal * 3);
  const indices = new Uint32Array(triangleTotal * 3);
  let vertexBase = 0;
  let indexOffset = 0;
  for (const { mesh, transform } of instances) {
    const m = transform ?? IDENTITY;
    const p = mesh.positions;
    for (let offset = 0; offset < mesh.vertexCount * 3; offset += 3) {
      const x = p[offset] ?? 0;
      const y = p[offset + 1] ?? 0;
      const z = p[offset + 2] ?? 0;
      const out = vertexBase * 3 + offset;
      vertices[out] = (m[0] ?? 0) * x + (m[3] ?? 0) * y + (m[6] ?? 0) * z + (m[9] ?? 0);
      vertices[out + 1] = (m[1] ?? 0) * x + (m[4] ?? 0) * y + (m[7] ?? 0) * z + (m[10] ?? 0);
      vertices[out + 2] = (m[2] ?? 0) * x + (m[5] ?? 0) * y + (m[8] ?? 0) * z + (m[11] ?? 0);
    }
    const used = mesh.triangleCount * 3;
    for (let index = 0; index < used; index++) indices[indexOffset + index] = (mesh.indices[index] ?? 0) + vertexBase;
    // A mirroring transform turns triangles inside out; swapping two corners keeps them facing outwards.
    if (determinant(m) < 0) {
      for (let index = indexOffset; index < indexOffset + used; index += 3) {
        const second = indices[index + 1] ?? 0;
        indices[index + 1] = indices[index + 2] ?? 0;
        indices[index + 2] = second;
      }
    }
    vertexBase += mesh.vertexCount;
    indexOffset += used;
  }
  return { vertices, indices, triangle_count: triangleTotal };
}

function determinant(m: Transform): number {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0, i = 0] = m;
  return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
}

/** The clustering grid has at most this many cells along an axis, so a cell key fits in 30 bits. */
const GRID_CELLS = 1024;
const MAX_ATTEMPTS = 16;

/**
 * Vertex clustering: snap every vertex to a cube grid, merge the vertices of each cell into their
 * mean, and keep the triangles whose corners land in three different cells (once each). It is one
 * linear pass with a hash table — fast enough for millions of triangles — and keeps the silhouette,
 * which is all a thumbnail-sized preview needs; quadric simplification would look better but cost
 * many times more. The cell size starts from the surface area (a surface crossing n cells leaves
 * about 2n triangles) and grows until the result fits.
 */
function decimateByClustering(instances: readonly MeshInstance[], bounds: MeshBounds, maxTriangles: number) {
  const extent = Math.max(bounds.max[0] - bounds.min[0], bounds.max[1] - bounds.min[1], bounds.max[2] - bounds.min[2]);
  if (!(extent > 0)) return { vertices: new Float32Array(0), indices: new Uint32Array(0), triangle_count: 0 };
  const area = instances.reduce((sum, instance) => sum + surfaceArea(instance), 0);
  let cellSize = Math.max(Math.sqrt((3.5 * area) / maxTriangles), (extent / (GRID_CELLS - 1)) * 1.0001);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const pass = clusterPass(instances, bounds, cellSize, maxTriangles);
    if (pass.result) return pass.result;
    cellSize *= Math.max(1.15, Math.sqrt(pass.projectedTriangles / maxTriangles) * 1.05);
  }
  // One cell spanning everything cannot keep a triangle; this always fits.
  const last = clusterPass(instances, bounds, extent * 1.0001, maxTriangles);
  return last.result ?? { vertices: new Float32Array(0), indices: new Uint32Array(0), triangle_count: 0 };
}

const areaOfMesh = new WeakMap<ObjectMesh, number>();

/** The area of the placed instance: the mesh's own area, scaled by how the transform stretches surfaces. */
function surfaceArea({ mesh, transform }: MeshInstance): number {
  let area = areaOfMesh.get(mesh);
  if (area == null) {
    area = 0;
    const p = mesh.positions;
    const t = mesh.indices;
    for (let index = 0; index < mesh.triangleCount * 3; index += 3) {
      const a = (t[index] ?? 0) * 3;
      const b = (t[index + 1] ?? 0) * 3;
      const c = (t[index + 2] ?? 0) * 3;
      const ux = (p[b] ?? 0) - (p[a] ?? 0);
      const uy = (p[b + 1] ?? 0) - (p[a + 1] ?? 0);
      const uz = (p[b + 2] ?? 0) - (p[a + 2] ?? 0);
      const vx = (p[c] ?? 0) - (p[a] ?? 0);
      const vy = (p[c + 1] ?? 0) - (p[a + 1] ?? 0);
      const vz = (p[c + 2] ?? 0) - (p[a + 2] ?? 0);
      const cx = uy * vz - uz * vy;
      const cy = uz * vx - ux * vz;
      const cz = ux * vy - uy * vx;
      area += Math.sqrt(cx * cx + cy * cy + cz * cz) / 2;
    }
    areaOfMesh.set(mesh, area);
  }
  return transform ? area * Math.abs(determinant(transform)) ** (2 / 3) : area;
}

interface ClusterPass {
  result: { vertices: Float32Array; indices: Uint32Array; triangle_count: number } | null;
  projectedTriangles: number;
}

function clusterPass(instances: readonly MeshInstance[], bounds: MeshBounds, cellSize: number, maxTriangles: number): ClusterPass {
  const inverse = 1 / cellSize;
  const [minX, minY, minZ] = bounds.min;
  const cellsX = Math.min(GRID_CELLS, Math.floor((bounds.max[0] - minX) * inverse) + 1);
  const cellsY = Math.min(GRID_CELLS, Math.floor((bounds.max[1] - minY) * inverse) + 1);
  const cellsZ = Math.min(GRID_CELLS, Math.floor((bounds.max[2] - minZ) * inverse) + 1);
  const cells = new CellTable();
  const triangles = new TriangleSet(maxTriangles);
  const triangleTotal = instances.reduce((sum, { mesh }) => sum + mesh.triangleCount, 0);
  const largest = instances.reduce((most, { mesh }) => Math.max(most, mesh.vertexCount), 0);
  const clusterOfVertex = new Int32Array(largest);
  let trianglesSeen = 0;

  for (const { mesh, transform } of instances) {
    const m = transform ?? IDENTITY;
    const [m0 = 0, m1 = 0, m2 = 0, m3 = 0, m4 = 0, m5 = 0, m6 = 0, m7 = 0, m8 = 0, m9 = 0, m10 = 0, m11 = 0] = m;
    const p = mesh.positions;
    for (let vertex = 0; vertex < mesh.vertexCount; vertex++) {
      const offset = vertex * 3;
      const x = p[offset] ?? 0;
      const y = p[offset + 1] ?? 0;
      const z = p[offset + 2] ?? 0;
      const wx = m0 * x + m3 * y + m6 * z + m9;
      const wy = m1 * x + m4 * y + m7 * z + m10;
      const wz = m2 * x + m5 * y + m8 * z + m11;
      const cellX = Math.min(cellsX - 1, Math.max(0, Math.floor((wx - minX) * inverse)));
      const cellY = Math.min(cellsY - 1, Math.max(0, Math.floor((wy - minY) * inverse)));
      const cellZ = Math.min(cellsZ - 1, Math.max(0, Math.floor((wz - minZ) * inverse)));
      clusterOfVertex[vertex] = cells.add(cellX | (cellY << 10) | (cellZ << 20), wx, wy, wz);
    }
    const flip = determinant(m) < 0;
    const t = mesh.indices;
    for (let index = 0; index < mesh.triangleCount * 3; index += 3) {
      const a = clusterOfVertex[t[index] ?? 0] ?? 0;
      const b = clusterOfVertex[t[index + (flip ? 2 : 1)] ?? 0] ?? 0;
      const c = clusterOfVertex[t[index + (flip ? 1 : 2)] ?? 0] ?? 0;
      if (a === b || b === c || a === c) continue;
      if (!triangles.add(a, b, c)) {
        const fraction = (trianglesSeen + index / 3 + 1) / triangleTotal;
        return { result: null, projectedTriangles: maxTriangles / fraction };
      }
    }
    trianglesSeen += mesh.triangleCount;
  }
  return { result: triangles.toMesh(cells), projectedTriangles: triangles.count };
}

/** Open-addressing hash of grid cell → cluster, with each cluster's running sum for its mean. */
class CellTable {
  private keys = new Int32Array(1 << 16).fill(-1);
  private slots = new Int32Array(1 << 16);
  private mask = (1 << 16) - 1;
  count = 0;
  sums = new Float64Array(3 * 4096);
  members = new Uint32Array(4096);

  add(key: number, x: number, y: number, z: number): number {
    let slot = Math.imul(key, 0x9e3779b1) >>> 0;
    for (;;) {
      slot &= this.mask;
      const found = this.keys[slot] ?? -1;
      if (found === key) break;
      if (found === -1) {
        this.insert(slot, key);
        break;
      }
      slot++;
    }
    const cluster = this.slots[slot] ?? 0;
    this.sums[cluster * 3] = (this.sums[cluster * 3] ?? 0) + x;
    this.sums[cluster * 3 + 1] = (this.sums[cluster * 3 + 1] ?? 0) + y;
    this.sums[cluster * 3 + 2] = (this.sums[cluster * 3 + 2] ?? 0) + z;
    this.members[cluster] = (this.members[cluster] ?? 0) + 1;
    return cluster;
  }

  private insert(slot: number, key: number): void {
    const cluster = this.count++;
    this.keys[slot] = key;
    this.slots[slot] = cluster;
    if (this.count > this.members.length) {
      const sums = new Float64Array(this.sums.length * 2);
      sums.set(this.sums);
      this.sums = sums;
      const members = new Uint32Array(this.members.length * 2);
      members.set(this.members);
      this.members = members;
    }
    if (this.count * 2 > this.keys.length) this.rehash();
  }

  private rehash(): void {
    const oldKeys = this.keys;
    const oldSlots = this.slots;
    this.keys = new Int32Array(oldKeys.length * 2).fill(-1);
    this.slots = new Int32Array(oldKeys.length * 2);
    this.mask = this.keys.length - 1;
    for (let index = 0; index < oldKeys.length; index++) {
      const key = oldKeys[index] ?? -1;
      if (key === -1) continue;
      let slot = Math.imul(key, 0x9e3779b1) >>> 0;
      for (;;) {
        slot &= this.mask;
        if (this.keys[slot] === -1) break;
        slot++;
      }
      this.keys[slot] = key;
      this.slots[slot] = oldSlots[index] ?? 0;
    }
  }
}

/**
 * The triangles kept so far, each once: clustering maps many fine triangles that span the same three
 * cells onto one coarse triangle. Rotating each so its smallest corner comes first keeps its facing.
 */
class TriangleSet {
  private readonly corners: Uint32Array;
  private readonly table: Int32Array;
  private readonly mask: number;
  count = 0;

  constructor(private readonly capacity: number) {
    this.corners = new Uint32Array(capacity * 3);
    let size = 1;
    while (size < capacity * 2) size *= 2;
    this.table = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  /** False when the triangle is new and there is no room left for it. */
  add(first: number, second: number, third: number): boolean {
    let a = first;
    let b = second;
    let c = third;
    if (b < a && b < c) [a, b, c] = [b, c, a];
    else if (c < a && c < b) [a, b, c] = [c, a, b];
    let slot = (Math.imul(a, 73856093) ^ Math.imul(b, 19349663) ^ Math.imul(c, 83492791)) >>> 0;
    for (;;) {
      slot &= this.mask;
      const existing = this.table[slot] ?? -1;
      if (existing === -1) break;
      const at = existing * 3;
      if (this.corners[at] === a && this.corners[at + 1] === b && this.corners[at + 2] === c) return true;
      slot++;
    }
    if (this.count >= this.capacity) return false;
    const at = this.count * 3;
    this.corners[at] = a;
    this.corners[at + 1] = b;
    this.corners[at + 2] = c;
    this.table[slot] = this.count++;
    return true;
  }

  /** Keeps only the clusters some triangle uses, each at the mean of its vertices. */
  toMesh(cells: CellTable) {
    const renumbered = new Int32Array(cells.count).fill(-1);
    let vertexCount = 0;
    const indices = new Uint32Array(this.count * 3);
    for (let index = 0; index < this.count * 3; index++) {
      const cluster = this.corners[index] ?? 0;
      let vertex = renumbered[cluster] ?? -1;
      if (vertex === -1) {
        vertex = vertexCount++;
        renumbered[cluster] = vertex;
      }
      indices[index] = vertex;
    }
    const vertices = new Float32Array(vertexCount * 3);
    for (let cluster = 0; cluster < cells.count; cluster++) {
      const vertex = renumbered[cluster] ?? -1;
      if (vertex === -1) continue;
      const members = cells.members[cluster] ?? 1;
      vertices[vertex * 3] = (cells.sums[cluster * 3] ?? 0) / members;
      vertices[vertex * 3 + 1] = (cells.sums[cluster * 3 + 1] ?? 0) / members;
      vertices[vertex * 3 + 2] = (cells.sums[cluster * 3 + 2] ?? 0) / members;
    }
    return { vertices, indices, triangle_count: this.count };
  }
}
