/**
 * What differs between Bambu Lab models, as far as the LAN protocol shows it. Two report
 * "schemas" are seen in the captures: the P1/A1 one (the p1s_* captures; trays carry k/n/tray_temp,
 * short `upload`/`upgrade_state`) and the X1/H2 one (trays carry drying_temp/state/total_len, AMS
 * units carry humidity_raw/dry_time/info, `xcam`, long `upload`).
 */
export type BambuModel = 'X1C' | 'P1S' | 'P1P' | 'A1' | 'A1MINI' | 'H2D';

export const BAMBU_MODELS: readonly BambuModel[] = ['X1C', 'P1S', 'P1P', 'A1', 'A1MINI', 'H2D'];

export interface ModelProfile {
  model: BambuModel;
  /** `product_name` of the "ota" module in get_version. */
  productName: string;
  /** `project_name` in get_version (P1/A1 firmware) and the SSDP model code. */
  projectName: string;
  firmware: string;
  schema: 'p1' | 'x1';
  /** X1: every periodic push is the full `print` object; the others push deltas with msg 1. */
  fullEveryPush: boolean;
  /** Reports `chamber_temper` (and `ctt`, the chamber target) and accepts M141. */
  chamber: boolean;
  /** Light nodes in `lights_report`, with their initial mode; ledctrl on any other node fails. */
  lights: readonly (readonly [node: string, mode: 'on' | 'off' | 'flashing'])[];
  /** `ipcam.rtsp_url`: none (P1/A1 use the port-6000 JPEG stream), on, or "disable" until LAN liveview is switched on (H2). */
  rtsp: 'none' | 'on' | 'off-until-enabled';
  defaultAmsUnits: number;
  maxAmsUnits: number;
  /** AMS Lite (A1 family): one unit, `ams_f1/N` in get_version. */
  amsLite: boolean;
  nozzleType: string;
  /** X1 NLST answers with full paths, P1 with bare names (protocols.md §1.4). */
  nlstFullPaths: boolean;
  /** Idle `stg_cur`: -1 on X1, 255 on P1 (0 on the A1 capture, but 255 is the common value). */
  idleStage: number;
  /** Constant parts of `home_flag` (SD card present etc.), as in the captures. */
  homeFlag: number;
  /** Has aux (`big_fan1_speed`) and chamber (`big_fan2_speed`) fans; P1P/A1 report "0". */
  auxFans: boolean;
}

const PROFILES: Record<BambuModel, ModelProfile> = {
  X1C: {
    model: 'X1C',
    productName: 'Bambu Lab X1-Carbon',
    projectName: 'BL-P001',
    firmware: '01.08.02.00',
    schema: 'x1',
    fullEveryPush: true,
    chamber: true,
    lights: [
      ['chamber_light', 'on'],
      ['work_light', 'flashing'],
    ],
    rtsp: 'on',
    defaultAmsUnits: 1,
    maxAmsUnits: 4,
    amsLite: false,
    nozzleType: 'hardened_steel',
    nlstFullPaths: true,
    idleStage: -1,
    homeFlag: -1067070064,
    auxFans: true,
  },
  P1S: {
    model: 'P1S',
    productName: 'Bambu Lab P1S',
    projectName: 'C12',
    firmware: '01.08.01.00',
    schema: 'p1',
    fullEveryPush: false,
    chamber: false,
    lights: [['chamber_light', 'off']],
    rtsp: 'none',
    defaultAmsUnits: 1,
    maxAmsUnits: 4,
    amsLite: false,
    nozzleType: 'hardened_steel',
    nlstFullPaths: false,
    idleStage: 255,
    homeFlag: 24331672,
    auxFans: true,
  },
  P1P: {
    model: 'P1P',
    productName: 'Bambu Lab P1P',
    projectName: 'C11',
    firmware: '01.08.02.00',
    schema: 'p1',
    fullEveryPush: false,
    chamber: false,
    lights: [['chamber_light', 'off']],
    rtsp: 'none',
    defaultAmsUnits: 0,
    maxAmsUnits: 4,
    amsLite: false,
    nozzleType: 'stainless_steel',
    nlstFullPaths: false,
    idleStage: 255,
    homeFlag: 224477464,
    auxFans: false,
  },
  A1: {
    model: 'A1',
    productName: 'Bambu Lab A1',
    projectName: 'N2S',
    firmware: '01.05.00.00',
    schema: 'p1',
    fullEveryPush: false,
    chamber: false,
    lights: [['chamber_light', 'off']],
    rtsp: 'none',
    defaultAmsUnits: 1,
    maxAmsUnits: 1,
    amsLite: true,
    nozzleType: 'stainless_steel',
    nlstFullPaths: false,
    idleStage: 255,
    homeFlag: 863847839,
    auxFans: false,
  },
  A1MINI: {
    model: 'A1MINI',
    productName: 'Bambu Lab A1 mini',
    projectName: 'N1',
    firmware: '01.05.00.00',
    schema: 'p1',
    fullEveryPush: false,
    chamber: false,
    lights: [['chamber_light', 'off']],
    rtsp: 'none',
    defaultAmsUnits: 0,
    maxAmsUnits: 1,
    amsLite: true,
    nozzleType: 'stainless_steel',
    nlstFullPaths: false,
    idleStage: 255,
    homeFlag: 863847839,
    auxFans: false,
  },
  H2D: {
    model: 'H2D',
    productName: 'Bambu Lab H2D',
    projectName: 'O1D',
    firmware: '01.01.02.07',
    schema: 'x1',
    fullEveryPush: false,
    chamber: true,
    lights: [
      ['chamber_light', 'on'],
      ['work_light', 'flashing'],
      ['chamber_light2', 'on'],
    ],
    rtsp: 'off-until-enabled',
    defaultAmsUnits: 1,
    maxAmsUnits: 4,
    amsLite: false,
    nozzleType: 'stainless_steel',
    nlstFullPaths: true,
    idleStage: -1,
    homeFlag: -1066934785,
    auxFans: true,
  },
};

export function modelProfile(model: BambuModel): ModelProfile {
  const profile = PROFILES[model];
  if (!profile) throw new Error(`unknown Bambu model ${String(model)}; expected one of ${BAMBU_MODELS.join(', ')}`);
  return profile;
}
