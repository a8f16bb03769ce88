import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parsePrintFile } from './index.js';
import {
  bgcode,
  type BgcodeBlock,
  BlockType,
  ini,
  JPEG_64X48,
  metadataParameters,
  png,
  qoi,
  TempDir,
  thumbnailParameters,
} from './test-support.js';

let temp: TempDir;
beforeAll(async () => {
  temp = await TempDir.create();
});
afterAll(async () => {
  await temp.remove();
});

const gcodeBlock = (text: string): BgcodeBlock => ({
  type: BlockType.GCode,
  compression: 1,
  parameters: metadataParameters(),
  data: Buffer.from(text),
});

/** The blocks PrusaSlicer writes, in the order the specification requires. */
function prusaBlocks(): BgcodeBlock[] {
  return [
    { type: BlockType.FileMetadata, parameters: metadataParameters(), data: ini({ Producer: 'PrusaSlicer 2.7.1' }) },
    {
      type: BlockType.PrinterMetadata,
      parameters: metadataParameters(),
      data: ini({
        printer_model: 'MK4',
        filament_type: 'PLA;PETG',
        nozzle_diameter: '0.4',
        layer_height: '0.2',
        support_material: '0',
        extruder_colour: '"";""',
      }),
    },
    { type: BlockType.Thumbnail, parameters: thumbnailParameters(0, 16, 16), data: png(16, 16) },
    { type: BlockType.Thumbnail, parameters: thumbnailParameters(0, 313, 173), data: png(313, 173) },
    { type: BlockType.Thumbnail, parameters: thumbnailParameters(1, 64, 48), data: JPEG_64X48 },
    { type: BlockType.Thumbnail, parameters: thumbnailParameters(2, 440, 240), data: qoi(440, 240) },
    {
      type: BlockType.PrintMetadata,
      compression: 1,
      parameters: metadataParameters(),
      data: ini({
        'filament used [mm]': '1500.00, 250.00',
        'filament used [g]': '4.47, 0.79',
        'total filament used [g]': '5.26',
        'estimated printing time (normal mode)': '2h 0m 5s',
      }),
    },
    {
      type: BlockType.SlicerMetadata,
      compression: 1,
      parameters: metadataParameters(),
      data: ini({ filament_colour: '#FF8000;#000000', filament_type: 'PLA;PETG', layer_height: '0.2', curr_bed_type: '' }),
    },
    gcodeBlock('M73 P0 R120\nG28\nG1 Z0.2\n'),
    gcodeBlock('G1 X10 Y10 E1\nM84\n'),
  ];
}

describe('Prusa binary G-code', () => {
  it('reads metadata blocks, checks every checksum and keeps the largest PNG/JPEG thumbnail', async () => {
    const parsed = await parsePrintFile(await temp.file('print.bgcode', bgcode(prusaBlocks())));
    expect(parsed).toMatchObject({
      kind: 'bgcode',
      slicer: 'PrusaSlicer 2.7.1',
      print_time_seconds: 7205,
      total_weight_grams: 5.26,
      filament_length_meters: 1.75,
      layer_count: null,
      layer_height: 0.2,
      nozzle_diameter: 0.4,
      printer_model: 'MK4',
      supports_used: false,
      bed_type: null,
      plates: [],
      mesh: null,
    });
    expect(parsed.filaments).toEqual([
      { index: 0, type: 'PLA', color_hex: '#FF8000', grams: 4.47, meters: 1.5 },
      { index: 1, type: 'PETG', color_hex: '#000000', grams: 0.79, meters: 0.25 },
    ]);
    expect(parsed.thumbnail).toMatchObject({ mime: 'image/png', width: 313, height: 173 });
  });

  it('reads files written without checksums', async () => {
    const parsed = await parsePrintFile(await temp.file('no-crc.bgcode', bgcode(prusaBlocks(), { checksum: false })));
    expect(parsed.printer_model).toBe('MK4');
  });

  it('leaves heatshrink-compressed metadata null instead of guessing', async () => {
    const blocks = prusaBlocks().map((block) =>
      block.type === BlockType.PrintMetadata ? { ...block, compression: 3, data: Buffer.from([0xb0, 0x80, 0x01]) } : block,
    );
    const parsed = await parsePrintFile(await temp.file('heatshrink.bgcode', bgcode(blocks)));
    expect(parsed.print_time_seconds).toBeNull();
    expect(parsed.total_weight_grams).toBeNull();
    expect(parsed.printer_model).toBe('MK4');
  });

  it('refuses a block whose checksum does not match as corrupt', async () => {
    const file = bgcode(prusaBlocks());
    const at = file.indexOf('MK4');
    file[at] = 'N'.charCodeAt(0);
    await expect(parsePrintFile(await temp.file('bad-crc.bgcode', file))).rejects.toMatchObject({ code: 'print_file_corrupt' });
  });

  it('refuses a truncated file, even when the cut is in the G-code', async () => {
    const file = bgcode(prusaBlocks());
    await expect(parsePrintFile(await temp.file('truncated.bgcode', file.subarray(0, file.length - 10)))).rejects.toMatchObject({
      code: 'print_file_corrupt',
    });
  });

  it('refuses unknown block types, compressions and thumbnail formats as corrupt', async () => {
    const cases: BgcodeBlock[] = [
      { type: 9, parameters: metadataParameters(), data: ini({ a: 'b' }) },
      { type: BlockType.PrinterMetadata, compression: 7, parameters: metadataParameters(), data: ini({ a: 'b' }) },
      { type: BlockType.Thumbnail, parameters: thumbnailParameters(5, 16, 16), data: png(16, 16) },
      { type: BlockType.PrinterMetadata, parameters: Buffer.from([1, 0]), data: ini({ a: 'b' }) },
    ];
    for (const [index, block] of cases.entries()) {
      const file = await temp.file(`bad-block-${index}.bgcode`, bgcode([block]));
      await expect(parsePrintFile(file)).rejects.toMatchObject({ code: 'print_file_corrupt' });
    }
  });

  it('calls a file with a damaged magic but the structure of a bgcode corrupt, not unsupported', async () => {
    const file = bgcode(prusaBlocks());
    file.write('GCDX', 0, 'latin1');
    await expect(parsePrintFile(await temp.file('bad-magic.bgcode', file))).rejects.toMatchObject({ code: 'print_file_corrupt' });
  });

  it('refuses a version it does not know as unsupported', async () => {
    const file = await temp.file('v2.bgcode', bgcode(prusaBlocks(), { version: 2 }));
    await expect(parsePrintFile(file)).rejects.toMatchObject({ code: 'print_file_type_unsupported' });
  });
});
