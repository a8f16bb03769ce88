import { describe, expect, it } from 'vitest';

import { boundsSize, decodeBase64, decodeMesh, MeshDataError, type MeshReply } from './mesh-data';

/** A mesh reply as the server builds it (Node's Buffer writes little-endian base64). */
function reply(vertices: number[], indices: number[], overrides: Partial<MeshReply> = {}): MeshReply {
  return {
    vertex_count: vertices.length / 3,
    triangle_count: indices.length / 3,
    decimated: false,
    bounds: { min: [0, 0, 0], max: [40, 20, 10] },
    vertices_b64: Buffer.from(new Float32Array(vertices).buffer).toString('base64'),
    indices_b64: Buffer.from(new Uint32Array(indices).buffer).toString('base64'),
    ...overrides,
  };
}

const TRIANGLE = [0, 0, 0, 40, 0, 0, 40, 20, 10];

describe('the preview mesh from the server', () => {
  it('decodes base64 exactly as Node encodes it, for every tail length', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 6, 255, 256, 1000]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + 11) & 255);
      expect([...decodeBase64(Buffer.from(bytes).toString('base64'))]).toEqual([...bytes]);
    }
  });

  it('refuses text that is not base64', () => {
    expect(() => decodeBase64('abc')).toThrow(MeshDataError);
    expect(() => decodeBase64('ab!d')).toThrow(MeshDataError);
    expect(() => decodeBase64('ab€d')).toThrow(MeshDataError);
  });

  it('gives Float32 positions and Uint32 indices that view the decoded bytes, with the bounds', () => {
    const mesh = decodeMesh(reply(TRIANGLE, [0, 1, 2]));
    expect([...mesh.positions]).toEqual(TRIANGLE);
    expect([...mesh.indices]).toEqual([0, 1, 2]);
    expect(mesh.triangleCount).toBe(1);
    expect(mesh.vertexCount).toBe(3);
    // One buffer per array: the typed array is a view, not a copy.
    expect(mesh.positions.byteLength).toBe(mesh.positions.buffer.byteLength);
    expect(boundsSize(mesh.bounds)).toEqual([40, 20, 10]);
  });

  it('refuses a reply whose data does not match its counts, or whose triangles point past the vertices', () => {
    expect(() => decodeMesh(reply(TRIANGLE, [0, 1, 2], { vertex_count: 4 }))).toThrow(/Expected 4 vertices/);
    expect(() => decodeMesh(reply(TRIANGLE, [0, 1, 2], { triangle_count: 2 }))).toThrow(/Expected 2 triangles/);
    expect(() => decodeMesh(reply(TRIANGLE, [0, 1, 3]))).toThrow(/past the last vertex/);
    expect(() => decodeMesh(reply(TRIANGLE, [0, 1, 2], { bounds: { min: [], max: [1, 2, 3] } }))).toThrow(/bounds/);
  });
});
