import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parsePrintFile } from './index.js';
import {
  box,
  buildZip,
  CONTENT_TYPES,
  modelXml,
  png,
  rootRels,
  sphere,
  TempDir,
  thumbnailBlock,
  translate,
  type ZipMember,
} from './test-support.js';

let temp: TempDir;
beforeAll(async () => {
  temp = await TempDir.create();
});
afterAll(async () => {
  await temp.remove();
});

async function threeMf(name: string, members: readonly ZipMember[]): Promise<string> {
  return temp.file(name, await buildZip(members));
}

const BAMBU_ROOT_MODEL = modelXml({
  metadata: { Application: 'BambuStudio-01.09.00.70', 'BambuStudio:3mfVersion': '1', Title: 'Desk organiser' },
  objects: [
    {
      id: 2,
      components: [
        { objectId: 1, path: '/3D/Objects/object_1.model', transform: translate(0, 0, 0) },
        { objectId: 2, path: '/3D/Objects/object_1.model', transform: translate(0, 0, 5) },
      ],
    },
    { id: 4, components: [{ objectId: 1, path: '/3D/Objects/object_3.model' }] },
  ],
  build: [
    { objectId: 2, transform: translate(128, 128, 10) },
    // Bambu lays plate 2 out beside plate 1 in the same coordinate system.
    { objectId: 4, transform: translate(435.2, 128, 2) },
  ],
});

const BAMBU_BODY_PARTS = modelXml({
  objects: [
    { id: 1, mesh: box([20, 20, 20], [-10, -10, -10]) },
    // A height-range modifier: it shapes the slice but is never printed, nor drawn.
    { id: 2, mesh: box([40, 40, 2], [-20, -20, -1]) },
  ],
});

const BAMBU_LID_PART = modelXml({ objects: [{ id: 1, mesh: box([30, 30, 4], [-15, -15, -2]) }] });

const MODEL_SETTINGS = `<?xml version="1.0" encoding="UTF-8"?>
<config>
  <object id="2">
    <metadata key="name" value="Organiser body"/>
    <metadata key="extruder" value="1"/>
    <part id="1" subtype="normal_part">
      <metadata key="name" value="body.stl"/>
    </part>
    <part id="2" subtype="modifier_part">
      <metadata key="name" value="Modifier"/>
    </part>
  </object>
  <object id="4">
    <metadata key="name" value="Lid &amp; knob"/>
    <part id="1" subtype="normal_part"><metadata key="name" value="lid.stl"/></part>
  </object>
  <plate>
    <metadata key="plater_id" value="1"/>
    <metadata key="plater_name" value="Body"/>
    <metadata key="locked" value="false"/>
    <metadata key="thumbnail_file" value="Metadata/plate_1.png"/>
    <model_instance>
      <metadata key="object_id" value="2"/>
      <metadata key="instance_id" value="0"/>
      <metadata key="identify_id" value="75"/>
    </model_instance>
  </plate>
  <plate>
    <metadata key="plater_id" value="2"/>
    <metadata key="plater_name" value=""/>
    <metadata key="thumbnail_file" value="Metadata/plate_2.png"/>
    <model_instance>
      <metadata key="object_id" value="4"/>
      <metadata key="instance_id" value="0"/>
    </model_instance>
  </plate>
  <assemble/>
</config>
`;

const SLICE_INFO = `<?xml version="1.0" encoding="UTF-8"?>
<config>
  <header>
    <header_item key="X-BBL-Client-Type" value="slicer"/>
    <header_item key="X-BBL-Client-Version" value="01.09.00.70"/>
  </header>
  <plate>
    <metadata key="index" value="1"/>
    <metadata key="printer_model_id" value="BL-P001"/>
    <metadata key="nozzle_diameters" value="0.4"/>
    <metadata key="prediction" value="5400"/>
    <metadata key="weight" value="40.12"/>
    <metadata key="outside" value="false"/>
    <metadata key="support_used" value="false"/>
    <object identify_id="75" name="Organiser body" skipped="false"/>
    <filament id="1" tray_info_idx="GFA00" type="PLA" color="#FFFFFFFF" used_m="13.10" used_g="39.00"/>
    <filament id="2" tray_info_idx="GFA00" type="PLA" color="#000000" used_m="0.37" used_g="1.12"/>
  </plate>
  <plate>
    <metadata key="index" value="2"/>
    <metadata key="prediction" value="1800"/>
    <metadata key="weight" value="12.50"/>
    <metadata key="support_used" value="false"/>
    <object identify_id="90" name="Lid &amp; knob" skipped="false"/>
    <filament id="2" tray_info_idx="GFA00" type="PLA" color="#000000" used_m="4.20" used_g="12.50"/>
  </plate>
</config>
`;

const PROJECT_SETTINGS = JSON.stringify(
  {
    curr_bed_type: 'Textured PEI Plate',
    enable_support: '0',
    filament_colour: ['#FFFFFF', '#000000'],
    filament_type: ['PLA', 'PLA'],
    layer_height: '0.2',
    nozzle_diameter: ['0.4'],
    printer_model: 'Bambu Lab X1 Carbon',
    printer_settings_id: 'Bambu Lab X1 Carbon 0.4 nozzle',
    version: '01.09.00.70',
  },
  null,
  4,
);

function bambuProjectMembers(): ZipMember[] {
  return [
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: '_rels/.rels', data: rootRels('Metadata/plate_1.png') },
    { name: '3D/3dmodel.model', data: BAMBU_ROOT_MODEL },
    { name: '3D/Objects/object_1.model', data: BAMBU_BODY_PARTS },
    { name: '3D/Objects/object_3.model', data: BAMBU_LID_PART },
    { name: 'Metadata/model_settings.config', data: MODEL_SETTINGS },
    { name: 'Metadata/slice_info.config', data: SLICE_INFO },
    { name: 'Metadata/project_settings.config', data: PROJECT_SETTINGS },
    { name: 'Metadata/plate_1.png', data: png(512, 512, [250, 250, 250]), compress: false },
    { name: 'Metadata/plate_1_small.png', data: png(128, 128), compress: false },
    // Picking images are colour-coded object masks, not pictures; they must never be shown.
    { name: 'Metadata/pick_1.png', data: png(1024, 1024, [1, 2, 3]), compress: false },
    { name: 'Metadata/top_1.png', data: png(512, 512), compress: false },
    { name: 'Metadata/plate_2.png', data: png(512, 512, [20, 20, 20]), compress: false },
    { name: 'Metadata/plate_2_small.png', data: png(128, 128), compress: false },
  ];
}

describe('Bambu Studio / OrcaSlicer 3MF', () => {
  it('reads a sliced two-plate, two-filament project', async () => {
    const parsed = await parsePrintFile(await threeMf('organiser.3mf', bambuProjectMembers()));

    expect(parsed).toMatchObject({
      kind: 'threemf',
      slicer: 'BambuStudio 01.09.00.70',
      project_name: 'Desk organiser',
      print_time_seconds: 7200,
      total_weight_grams: 52.62,
      filament_length_meters: 17.67,
      layer_count: null,
      layer_height: 0.2,
      nozzle_diameter: 0.4,
      printer_model: 'Bambu Lab X1 Carbon',
      supports_used: false,
      bed_type: 'Textured PEI Plate',
    });
    expect(parsed.filaments).toEqual([
      { index: 0, type: 'PLA', color_hex: '#FFFFFF', grams: 39, meters: 13.1 },
      { index: 1, type: 'PLA', color_hex: '#000000', grams: 13.62, meters: 4.57 },
    ]);
    expect(parsed.thumbnail).toMatchObject({ mime: 'image/png', width: 512, height: 512 });
    expect(parsed.thumbnail?.data.equals(png(512, 512, [250, 250, 250]))).toBe(true);

    expect(parsed.plates).toHaveLength(2);
    expect(parsed.plates[0]).toMatchObject({
      index: 1,
      name: 'Body',
      print_time_seconds: 5400,
      weight_grams: 40.12,
      object_names: ['Organiser body'],
      thumbnail: { mime: 'image/png', width: 512, height: 512 },
      filaments: [
        { index: 0, type: 'PLA', color_hex: '#FFFFFF', grams: 39, meters: 13.1 },
        { index: 1, type: 'PLA', color_hex: '#000000', grams: 1.12, meters: 0.37 },
      ],
    });
    expect(parsed.plates[1]).toMatchObject({
      index: 2,
      name: null,
      print_time_seconds: 1800,
      weight_grams: 12.5,
      object_names: ['Lid & knob'],
      filaments: [{ index: 1, type: 'PLA', color_hex: '#000000', grams: 12.5, meters: 4.2 }],
    });
    expect(parsed.plates[1]?.thumbnail?.data.equals(png(512, 512, [20, 20, 20]))).toBe(true);
  });

  it('builds the mesh from every plate with transforms applied and modifiers left out', async () => {
    const { mesh } = await parsePrintFile(await threeMf('organiser-mesh.3mf', bambuProjectMembers()));
    expect(mesh).not.toBeNull();
    expect(mesh!.triangle_count).toBe(24);
    expect(mesh!.decimated).toBe(false);
    expect(mesh!.vertices).toHaveLength(16 * 3);
    expect(mesh!.indices).toHaveLength(24 * 3);
    expect(mesh!.bounds.min).toEqual([118, 113, 0]);
    expect(mesh!.bounds.max[0]).toBeCloseTo(450.2, 4);
    expect(mesh!.bounds.max.slice(1)).toEqual([143, 20]);
  });

  it('leaves time, weight and usage null while the project is unsliced', async () => {
    const members = bambuProjectMembers().filter((member) => member.name !== 'Metadata/slice_info.config');
    const parsed = await parsePrintFile(await threeMf('unsliced.3mf', members));
    expect(parsed).toMatchObject({ print_time_seconds: null, total_weight_grams: null, filament_length_meters: null });
    expect(parsed.filaments).toEqual([
      { index: 0, type: 'PLA', color_hex: '#FFFFFF', grams: null, meters: null },
      { index: 1, type: 'PLA', color_hex: '#000000', grams: null, meters: null },
    ]);
    expect(parsed.plates.map((plate) => [plate.index, plate.name, plate.print_time_seconds, plate.object_names])).toEqual([
      [1, 'Body', null, ['Organiser body']],
      [2, null, null, ['Lid & knob']],
    ]);
    expect(parsed.plates[0]?.filaments).toEqual([]);
  });

  it('reads a .gcode.3mf: its plates are the ones it carries G-code for, with the layer count from that G-code', async () => {
    const plateGcode = [
      '; HEADER_BLOCK_START\n; BambuStudio 01.09.00.70\n; model printing time: 25m 0s; total estimated time: 30m 0s\n',
      '; total layer number: 20\n; total filament weight [g] : 12.50\n; HEADER_BLOCK_END\n\n',
      thumbnailBlock(png(300, 300), 300, 300),
      '; CONFIG_BLOCK_START\n; layer_height = 0.2\n; printer_model = Bambu Lab X1 Carbon\n; CONFIG_BLOCK_END\nG28\nG1 Z0.2\n',
    ].join('');
    // An exported plate: the model part keeps only metadata, and model_settings still lists both plates.
    const members = [
      ...bambuProjectMembers().filter((member) => !member.name.startsWith('3D/')),
      { name: '3D/3dmodel.model', data: modelXml({ metadata: { Application: 'BambuStudio-01.09.00.70' }, objects: [] }) },
      { name: 'Metadata/plate_2.gcode', data: plateGcode },
    ];
    const parsed = await parsePrintFile(await threeMf('plate2.gcode.3mf', members));

    expect(parsed.plates.map((plate) => plate.index)).toEqual([2]);
    expect(parsed).toMatchObject({ print_time_seconds: 1800, total_weight_grams: 12.5, layer_count: 20, mesh: null });
    expect(parsed.filaments.map((filament) => filament.grams)).toEqual([0, 12.5]);
  });

  it('falls back to the plate G-code header when slice_info is missing', async () => {
    const plateGcode =
      '; HEADER_BLOCK_START\n; OrcaSlicer 2.1.1\n; model printing time: 9m 0s; total estimated time: 10m 0s\n; total layer number: 33\n; total filament weight [g] : 3.20\n; HEADER_BLOCK_END\nG28\n';
    const parsed = await parsePrintFile(
      await threeMf('orca.gcode.3mf', [
        { name: '[Content_Types].xml', data: CONTENT_TYPES },
        { name: '_rels/.rels', data: rootRels() },
        { name: '3D/3dmodel.model', data: modelXml({ objects: [] }) },
        { name: 'Metadata/plate_1.gcode', data: plateGcode },
      ]),
    );
    expect(parsed).toMatchObject({ slicer: 'OrcaSlicer 2.1.1', print_time_seconds: 600, total_weight_grams: 3.2, layer_count: 33 });
    expect(parsed.plates).toMatchObject([{ index: 1, print_time_seconds: 600, weight_grams: 3.2, filaments: [], object_names: [] }]);
  });
});

describe('PrusaSlicer 3MF', () => {
  // PrusaSlicer stores every volume of an object in one mesh: here the part, then a modifier box.
  const part = sphere(10, 12, 24);
  const modifier = box([60, 60, 4], [-30, -30, -2]);
  const withModifier = {
    vertices: [...part.vertices, ...modifier.vertices],
    triangles: [
      ...part.triangles,
      ...modifier.triangles.map(
        ([a, b, c]) => [a + part.vertices.length, b + part.vertices.length, c + part.vertices.length] as [number, number, number],
      ),
    ],
  };
  const volumes = `<?xml version="1.0" encoding="UTF-8"?>
<config>
 <object id="1" instances_count="1">
  <metadata type="object" key="name" value="Bracket"/>
  <volume firstid="0" lastid="${part.triangles.length - 1}">
   <metadata type="volume" key="name" value="Bracket"/>
   <metadata type="volume" key="volume_type" value="ModelPart"/>
  </volume>
  <volume firstid="${part.triangles.length}" lastid="${part.triangles.length + 11}">
   <metadata type="volume" key="name" value="Infill modifier"/>
   <metadata type="volume" key="modifier" value="1"/>
   <metadata type="volume" key="volume_type" value="ParameterModifier"/>
  </volume>
 </object>
</config>
`;

  it('reads the config and thumbnail; time and weight stay null because the project does not say', async () => {
    const config = [
      '; generated by PrusaSlicer 2.7.1+win64 on 2024-01-15 at 10:00:00 UTC',
      '; avoid_crossing_perimeters = 0',
      '; extruder_colour = ""',
      '; filament_colour = #FF8000',
      '; filament_type = PETG',
      '; layer_height = 0.15',
      '; nozzle_diameter = 0.4',
      '; printer_model = MK4S',
      '; printer_settings_id = Original Prusa MK4S 0.4 nozzle',
      '; support_material = 1',
      '',
    ].join('\n');
    const parsed = await parsePrintFile(
      await threeMf('bracket.3mf', [
        { name: '[Content_Types].xml', data: CONTENT_TYPES },
        { name: '_rels/.rels', data: rootRels('Metadata/thumbnail.png') },
        {
          name: '3D/3dmodel.model',
          data: modelXml({
            metadata: { 'slic3rpe:Version3mf': '1', Title: 'Bracket', Application: 'PrusaSlicer-2.7.1+win64' },
            objects: [{ id: 1, name: 'Bracket', mesh: withModifier }],
            build: [{ objectId: 1, transform: translate(125, 105, 10) }],
          }),
        },
        { name: 'Metadata/Slic3r_PE.config', data: config },
        { name: 'Metadata/Slic3r_PE_model.config', data: volumes },
        { name: 'Metadata/thumbnail.png', data: png(256, 256) },
      ]),
    );
    expect(parsed).toMatchObject({
      kind: 'threemf',
      slicer: 'PrusaSlicer 2.7.1',
      project_name: 'Bracket',
      print_time_seconds: null,
      total_weight_grams: null,
      filament_length_meters: null,
      layer_count: null,
      layer_height: 0.15,
      nozzle_diameter: 0.4,
      printer_model: 'MK4S',
      supports_used: true,
      bed_type: null,
      filaments: [{ index: 0, type: 'PETG', color_hex: '#FF8000', grams: null, meters: null }],
      thumbnail: { mime: 'image/png', width: 256, height: 256 },
      plates: [],
    });
    // The modifier (60 mm wide) is not printed, so neither the triangle count nor the bounds include it.
    expect(parsed.mesh?.triangle_count).toBe(part.triangles.length);
    expect(parsed.mesh?.bounds.min.map((value) => Math.round(value))).toEqual([115, 95, 0]);
    expect(parsed.mesh?.bounds.max.map((value) => Math.round(value))).toEqual([135, 115, 20]);
  });
});

describe('plain 3MF', () => {
  it('reads a 3MF with no slicer metadata: a mesh in millimetres and nulls elsewhere', async () => {
    const parsed = await parsePrintFile(
      await threeMf('cad-export.3mf', [
        { name: '[Content_Types].xml', data: CONTENT_TYPES },
        { name: '_rels/.rels', data: rootRels() },
        {
          name: '3D/3dmodel.model',
          data: modelXml({ unit: 'inch', objects: [{ id: 1, mesh: box([1, 2, 0.5]) }], build: [{ objectId: 1 }] }),
        },
      ]),
    );
    expect(parsed).toMatchObject({
      slicer: null,
      project_name: null,
      print_time_seconds: null,
      filaments: [],
      thumbnail: null,
      plates: [],
    });
    expect(parsed.mesh?.bounds).toEqual({ min: [0, 0, 0], max: [25.4, 50.8, 12.7] });
  });
});
