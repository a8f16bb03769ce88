import { describe, expect, it } from 'vitest';

import { assembleMesh, type MeshInstance } from './mesh.js';
import { ModelScanner, type ObjectMesh } from './model-scanner.js';
import { box, type Mesh, modelXml, sphere, translate } from './test-support.js';

function objectMesh(mesh: Mesh): ObjectMesh {
  return {
    positions: Float32Array.from(mesh.vertices.flat()),
    vertexCount: mesh.vertices.length,
    indices: Uint32Array.from(mesh.triangles.flat()),
    triangleCount: mesh.triangles.length,
  };
}

const transformOf = (text: string) => Float64Array.from(text.split(' ').map(Number));

function scan(xml: string, chunkSize: number) {
  const scanner = new ModelScanner('3D/3dmodel.model');
  const bytes = Buffer.from(xml);
  for (let at = 0; at < bytes.length; at += chunkSize) scanner.feed(bytes.subarray(at, at + chunkSize));
  return scanner.finish();
}

/** Every triangle of a closed convex solid faces away from its centre. */
function facesOutward(vertices: Float32Array, indices: Uint32Array, center: [number, number, number]): boolean {
  for (let index = 0; index < indices.length; index += 3) {
    const [a, b, c] = [indices[index]! * 3, indices[index + 1]! * 3, indices[index + 2]! * 3];
    const u = [vertices[b]! - vertices[a]!, vertices[b + 1]! - vertices[a + 1]!, vertices[b + 2]! - vertices[a + 2]!];
    const v = [vertices[c]! - vertices[a]!, vertices[c + 1]! - vertices[a + 1]!, vertices[c + 2]! - vertices[a + 2]!];
    const normal = [u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!];
    const out = [0, 1, 2].map((axis) => (vertices[a + axis]! + vertices[b + axis]! + vertices[c + axis]!) / 3 - center[axis]!);
    if (normal[0]! * out[0]! + normal[1]! * out[1]! + normal[2]! * out[2]! <= 0) return false;
  }
  return true;
}

describe('model scanning', () => {
  it('reads the same document whatever the chunk boundaries', () => {
    const xml = modelXml({
      metadata: { Title: 'Gear & axle', Application: 'Test-1.0' },
      objects: [
        { id: 1, name: 'Gear', mesh: sphere(5, 6, 8) },
        { id: 2, components: [{ objectId: 1, transform: translate(1, 2, 3) }] },
      ],
      build: [{ objectId: 2, transform: translate(10, 0, 0) }],
    }).replace('<resources>', '<!-- a > comment --><resources>');
    const whole = scan(xml, xml.length);
    for (const size of [1, 7, 64]) {
      const chunked = scan(xml, size);
      expect(chunked.metadata).toEqual(whole.metadata);
      expect(chunked.build).toEqual(whole.build);
      expect(chunked.objects.get('1')?.mesh?.positions).toEqual(whole.objects.get('1')?.mesh?.positions);
      expect(chunked.objects.get('1')?.mesh?.indices).toEqual(whole.objects.get('1')?.mesh?.indices);
    }
    expect(whole.metadata.get('Title')).toBe('Gear & axle');
    expect(whole.objects.get('1')?.mesh?.triangleCount).toBe(sphere(5, 6, 8).triangles.length);
  });

  it('refuses triangles that name vertices the object does not have', () => {
    const xml = modelXml({ objects: [{ id: 1, mesh: { vertices: [[0, 0, 0]], triangles: [[0, 1, 2]] } }] });
    expect(() => scan(xml, 1024)).toThrow(expect.objectContaining({ code: 'print_file_corrupt' }) as Error);
  });

  it('refuses a transform that is not twelve numbers', () => {
    const xml = modelXml({ objects: [{ id: 1, mesh: box([1, 1, 1]) }], build: [{ objectId: 1, transform: '1 0 0 0 1 0 0 0 1 0 0' }] });
    expect(() => scan(xml, 1024)).toThrow(expect.objectContaining({ code: 'print_file_corrupt' }) as Error);
  });
});

describe('mesh assembly', () => {
  it('applies rotations and translations and keeps triangles facing out under a mirror', () => {
    const cube = objectMesh(box([2, 4, 6]));
    const rotate90AboutZ = transformOf('0 1 0 -1 0 0 0 0 1 10 0 0');
    const mirrorX = transformOf('-1 0 0 0 1 0 0 0 1 0 0 0');
    const rotated = assembleMesh([{ mesh: cube, transform: rotate90AboutZ }], 1000)!;
    expect(rotated.bounds).toEqual({ min: [6, 0, 0], max: [10, 2, 6] });

    const mirrored = assembleMesh([{ mesh: cube, transform: mirrorX }], 1000)!;
    expect(mirrored.bounds).toEqual({ min: [-2, 0, 0], max: [0, 4, 6] });
    expect(facesOutward(mirrored.vertices, mirrored.indices, [-1, 2, 3])).toBe(true);
  });

  it('gives no mesh when nothing has triangles', () => {
    expect(assembleMesh([], 100)).toBeNull();
  });

  it('decimates to at most the limit and keeps the bounds of the full model', () => {
    const ball = objectMesh(sphere(40, 150, 300));
    expect(ball.triangleCount).toBeGreaterThan(80_000);
    const instances: MeshInstance[] = [
      { mesh: ball, transform: transformOf(translate(100, 100, 40)) },
      { mesh: ball, transform: transformOf(translate(200, 100, 40)) },
    ];
    const full = assembleMesh(instances, Number.MAX_SAFE_INTEGER)!;
    const small = assembleMesh(instances, 5_000)!;

    expect(small.decimated).toBe(true);
    expect(small.triangle_count).toBeLessThanOrEqual(5_000);
    expect(small.triangle_count).toBeGreaterThan(1_000);
    expect(small.indices).toHaveLength(small.triangle_count * 3);
    expect(Math.max(...small.indices)).toBeLessThan(small.vertices.length / 3);
    expect(small.bounds).toEqual(full.bounds);
    expect(small.bounds.min.map(Math.round)).toEqual([60, 60, 0]);
    expect(small.bounds.max.map(Math.round)).toEqual([240, 140, 80]);

    // The preview still spans the model: every vertex inside the bounds, the extremes near them.
    const axisRange = (axis: number) => {
      const values = small.vertices.filter((_, index) => index % 3 === axis);
      return [Math.min(...values), Math.max(...values)];
    };
    for (const axis of [0, 1, 2]) {
      const [low, high] = axisRange(axis);
      expect(low).toBeGreaterThanOrEqual(small.bounds.min[axis]! - 1e-3);
      expect(high).toBeLessThanOrEqual(small.bounds.max[axis]! + 1e-3);
      const extent = small.bounds.max[axis]! - small.bounds.min[axis]!;
      expect(high! - low!).toBeGreaterThan(extent * 0.9);
    }
  });
});
