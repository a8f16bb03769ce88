import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parsePrintFile } from './index.js';
import {
  box,
  buildZip,
  CONTENT_TYPES,
  declareUncompressedSize,
  modelXml,
  renameMember,
  rootRels,
  TempDir,
  type ZipMember,
} from './test-support.js';

let temp: TempDir;
beforeAll(async () => {
  temp = await TempDir.create();
});
afterAll(async () => {
  await temp.remove();
});

const cubeProject = (extra: ZipMember[] = []): ZipMember[] => [
  { name: '[Content_Types].xml', data: CONTENT_TYPES },
  { name: '_rels/.rels', data: rootRels() },
  { name: '3D/3dmodel.model', data: modelXml({ objects: [{ id: 1, mesh: box([10, 10, 10]) }], build: [{ objectId: 1 }] }) },
  ...extra,
];

async function parseZip(name: string, zip: Buffer, limits?: Parameters<typeof parsePrintFile>[1]) {
  return parsePrintFile(await temp.file(name, zip), limits);
}

describe('damaged archives', () => {
  it('parses the intact archive these tests damage', async () => {
    const parsed = await parseZip('intact.3mf', await buildZip(cubeProject()));
    expect(parsed.mesh?.triangle_count).toBe(12);
  });

  it('refuses a truncated archive as corrupt', async () => {
    const zip = await buildZip(cubeProject());
    await expect(parseZip('truncated.3mf', zip.subarray(0, Math.floor(zip.length * 0.7)))).rejects.toMatchObject({
      code: 'print_file_corrupt',
    });
  });

  it('refuses an archive whose compressed data was damaged as corrupt', async () => {
    const zip = await buildZip(cubeProject());
    const dataStart = zip.indexOf('3D/3dmodel.model') + '3D/3dmodel.model'.length;
    for (let offset = 20; offset < 60; offset++) zip[dataStart + offset] = (zip[dataStart + offset] ?? 0) ^ 0x5a;
    await expect(parseZip('damaged.3mf', zip)).rejects.toMatchObject({ code: 'print_file_corrupt' });
  });

  it('refuses a stored member whose bytes no longer match its CRC-32 as corrupt', async () => {
    const zip = await buildZip(cubeProject().map((member) => ({ ...member, compress: false })));
    const at = zip.indexOf('<vertex x="10"');
    zip.write('<vertex x="11"', at);
    await expect(parseZip('crc.3mf', zip)).rejects.toMatchObject({ code: 'print_file_corrupt' });
  });

  it('refuses bytes that merely start like a ZIP as corrupt', async () => {
    const fake = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200, 7)]);
    await expect(parseZip('fake.3mf', fake)).rejects.toMatchObject({ code: 'print_file_corrupt' });
  });

  it('refuses a model with a vertex that is not a number as corrupt', async () => {
    const model = modelXml({ objects: [{ id: 1, mesh: box([10, 10, 10]) }], build: [{ objectId: 1 }] }).replace('x="10"', 'x="1O"');
    const zip = await buildZip([...cubeProject().slice(0, 2), { name: '3D/3dmodel.model', data: model }]);
    await expect(parseZip('bad-vertex.3mf', zip)).rejects.toMatchObject({ code: 'print_file_corrupt' });
  });

  it('refuses slicer metadata with a number that is not a number as corrupt', async () => {
    const sliceInfo = '<config><plate><metadata key="index" value="1"/><metadata key="prediction" value="12h"/></plate></config>';
    const zip = await buildZip(cubeProject([{ name: 'Metadata/slice_info.config', data: sliceInfo }]));
    await expect(parseZip('bad-prediction.3mf', zip)).rejects.toMatchObject({ code: 'print_file_corrupt' });
  });

  it('refuses a ZIP that is not a 3MF as unsupported', async () => {
    const zip = await buildZip([{ name: 'readme.txt', data: 'just a zip' }]);
    await expect(parseZip('other.zip', zip)).rejects.toMatchObject({ code: 'print_file_type_unsupported' });
  });
});

describe('hostile archives', () => {
  it('refuses a member that inflates past a low total limit, before inflating it', async () => {
    const bomb = Buffer.alloc(8 * 1024 * 1024, 0x20);
    const zip = await buildZip(cubeProject([{ name: 'Metadata/notes.txt', data: bomb }]));
    expect(zip.length).toBeLessThan(100_000);
    await expect(parseZip('bomb.3mf', zip, { maxUncompressedBytes: 1024 * 1024 })).rejects.toMatchObject({
      code: 'print_file_unsafe',
    });
  });

  it('refuses a member compressed past the allowed ratio, even under the total limit', async () => {
    const zip = await buildZip(cubeProject([{ name: 'Metadata/padding.bin', data: Buffer.alloc(8 * 1024 * 1024) }]));
    await expect(parseZip('ratio.3mf', zip)).rejects.toMatchObject({ code: 'print_file_unsafe' });
    await expect(parseZip('ratio-allowed.3mf', zip, { maxCompressionRatio: 5000 })).resolves.toMatchObject({ kind: 'threemf' });
  });

  it('stops a member that inflates past the size it declares', async () => {
    const model = modelXml({ objects: [{ id: 1, mesh: box([10, 10, 10]) }], build: [{ objectId: 1 }] });
    const padded = model + `<!--${' '.repeat(4 * 1024 * 1024)}-->`;
    const zip = await buildZip([...cubeProject().slice(0, 2), { name: '3D/3dmodel.model', data: padded }]);
    const lying = declareUncompressedSize(zip, '3D/3dmodel.model', 1000);
    await expect(parseZip('lying.3mf', lying)).rejects.toMatchObject({ code: 'print_file_unsafe' });
  });

  it.each([
    ['../evil.model', 'parent segment'],
    ['..\\evil.model', 'parent segment behind a backslash'],
    ['3D\\..\\..\\x.model', 'backslash traversal'],
    ['/etc/passwd.xx', 'absolute path'],
    ['C:/windows.model', 'drive letter'],
  ])('refuses a member named %s (%s) as unsafe', async (name) => {
    const placeholder = 'p'.repeat(Buffer.byteLength(name));
    const zip = renameMember(await buildZip(cubeProject([{ name: placeholder, data: 'x' }])), placeholder, name);
    await expect(parseZip('traversal.3mf', zip)).rejects.toMatchObject({ code: 'print_file_unsafe' });
  });
});
