/**
 * AMS units, trays and the external spool, serialised in the two shapes the captures show:
 * P1/A1 firmware trays carry `k`, `n`, `tray_temp`, `tray_time`; X1/H2 firmware trays carry
 * `drying_temp`, `drying_time`, `state`, `total_len`, and their units `humidity_raw`, `dry_time`,
 * `info`. An empty slot is `{"id":"N"}` alone. Tray ids are strings; `tray_now` is
 * `ams*4 + slot`, 254 the external spool, 255 none.
 */
import { createHash } from 'node:crypto';

/** What a test (or the farm) puts in a slot. */
export interface TrayInput {
  /** "PLA", "PETG", "ABS", … */
  type: string;
  /** RRGGBBAA hex (RRGGBB is completed with FF). */
  color: string;
  /** Percent left, -1 = unknown (non-RFID spools). */
  remain: number;
  /** 16 hex digits for a Bambu RFID spool; absent = a third-party spool (all zeros). */
  tagUid?: string;
  /** 32 hex digits; defaults to zeros, or a stable value for RFID spools. */
  trayUuid?: string;
  /** `tray_info_idx`, the filament preset ("GFA00" Bambu PLA Basic, "GFL99" generic PLA…). */
  filamentId?: string;
}

export interface Tray {
  type: string;
  color: string;
  remain: number;
  tagUid: string;
  trayUuid: string;
  filamentId: string;
  rfid: boolean;
}

export interface AmsUnit {
  id: number;
  /** Humidity index "1".."5" as the printer shows it (5 = driest). */
  humidityIndex: number;
  /** Relative humidity %, reported as `humidity_raw` on X1/H2 firmware. */
  humidity: number;
  temperature: number;
  trays: (Tray | null)[];
}

interface FilamentDefaults {
  generic: string;
  bambu: string;
  subBrand: string;
  nozzleMin: number;
  nozzleMax: number;
  dryTemp: number;
}

const FILAMENTS: Record<string, FilamentDefaults> = {
  PLA: { generic: 'GFL99', bambu: 'GFA00', subBrand: 'PLA Basic', nozzleMin: 190, nozzleMax: 230, dryTemp: 55 },
  PETG: { generic: 'GFG99', bambu: 'GFG02', subBrand: 'PETG HF', nozzleMin: 230, nozzleMax: 260, dryTemp: 65 },
  ABS: { generic: 'GFB99', bambu: 'GFB00', subBrand: 'ABS', nozzleMin: 240, nozzleMax: 270, dryTemp: 80 },
  ASA: { generic: 'GFB98', bambu: 'GFB01', subBrand: 'ASA', nozzleMin: 240, nozzleMax: 270, dryTemp: 80 },
  TPU: { generic: 'GFU99', bambu: 'GFU01', subBrand: 'TPU 95A', nozzleMin: 200, nozzleMax: 250, dryTemp: 65 },
  'PA-CF': { generic: 'GFN98', bambu: 'GFN03', subBrand: 'PA-CF', nozzleMin: 260, nozzleMax: 290, dryTemp: 80 },
  PC: { generic: 'GFC99', bambu: 'GFC00', subBrand: 'PC', nozzleMin: 260, nozzleMax: 280, dryTemp: 80 },
};
const FALLBACK_FILAMENT: FilamentDefaults = { generic: 'GFL99', bambu: 'GFL99', subBrand: '', nozzleMin: 190, nozzleMax: 240, dryTemp: 55 };

function filament(type: string): FilamentDefaults {
  return FILAMENTS[type.toUpperCase()] ?? FALLBACK_FILAMENT;
}

const ZERO_UID = '0000000000000000';
const ZERO_UUID = '00000000000000000000000000000000';
const ZERO_XCAM = '000000000000000000000000';

export function normaliseColor(color: string): string {
  const hex = color.replace(/^#/, '').toUpperCase();
  if (/^[0-9A-F]{6}$/.test(hex)) return `${hex}FF`;
  if (/^[0-9A-F]{8}$/.test(hex)) return hex;
  throw new Error(`tray color must be RRGGBBAA hex, got ${JSON.stringify(color)}`);
}

export function makeTray(input: TrayInput): Tray {
  if (!Number.isInteger(input.remain) || input.remain < -1 || input.remain > 100) {
    throw new Error(`tray remain must be an integer -1..100, got ${input.remain}`);
  }
  const rfid = input.tagUid !== undefined && input.tagUid !== ZERO_UID;
  const defaults = filament(input.type);
  return {
    type: input.type,
    color: normaliseColor(input.color),
    remain: input.remain,
    tagUid: rfid ? (input.tagUid ?? ZERO_UID).toUpperCase() : ZERO_UID,
    trayUuid: input.trayUuid ?? (rfid ? stableHex(`uuid:${input.tagUid ?? ''}`, 32) : ZERO_UUID),
    filamentId: input.filamentId ?? (rfid ? defaults.bambu : defaults.generic),
    rfid,
  };
}

/** Upper-case hex of a given length, stable for the same seed. */
export function stableHex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length).toUpperCase();
}

const DEFAULT_COLORS = ['000000FF', 'FFFFFFFF', 'C12E1FFF', '0A2989FF', 'F4EE2AFF', '00AE42FF', '8E9089FF', 'FF6A13FF'];
const DEFAULT_REMAINS = [83, 100, 64, 37, 91, 12, 55, 100];

/** A unit loaded with Bambu PLA spools (RFID), colours and levels varying by unit and slot. */
export function defaultUnit(serial: string, id: number, schema: 'p1' | 'x1'): AmsUnit {
  const trays: Tray[] = [];
  for (let slot = 0; slot < 4; slot++) {
    const i = (id * 4 + slot) % DEFAULT_COLORS.length;
    trays.push(
      makeTray({
        type: 'PLA',
        color: DEFAULT_COLORS[i] ?? 'FFFFFFFF',
        remain: DEFAULT_REMAINS[i] ?? 100,
        tagUid: stableHex(`${serial}:${id}:${slot}`, 8) + '00000100',
      }),
    );
  }
  return {
    id,
    humidityIndex: 4,
    humidity: 21,
    // P1/A1 firmware reports the AMS temperature as "0.0" (all three P1/A1 captures).
    temperature: schema === 'x1' ? 26.2 : 0,
    trays,
  };
}

export function humidityIndexFor(percent: number): number {
  if (percent < 20) return 5;
  if (percent < 40) return 4;
  if (percent < 60) return 3;
  if (percent < 80) return 2;
  return 1;
}

type JsonTray = Record<string, string | number | string[]>;

function trayJson(id: string, tray: Tray, schema: 'p1' | 'x1'): JsonTray {
  const defaults = filament(tray.type);
  const common = {
    tag_uid: tray.tagUid,
    tray_id_name: tray.rfid ? `${tray.filamentId.slice(2)}-${tray.color.slice(0, 2)}` : '',
    tray_info_idx: tray.filamentId,
    tray_type: tray.type,
    tray_sub_brands: tray.rfid ? defaults.subBrand : '',
    tray_color: tray.color,
    tray_weight: tray.rfid ? '1000' : '0',
    tray_diameter: tray.rfid ? '1.75' : '0.00',
    bed_temp_type: '0',
    bed_temp: '0',
    nozzle_temp_max: String(defaults.nozzleMax),
    nozzle_temp_min: String(defaults.nozzleMin),
    xcam_info: ZERO_XCAM,
    tray_uuid: tray.trayUuid,
  };
  if (schema === 'p1') {
    return {
      id,
      remain: tray.remain,
      k: 0.019999999552965164,
      n: 1,
      cali_idx: -1,
      ...common,
      tray_temp: tray.rfid ? String(defaults.dryTemp) : '0',
      tray_time: tray.rfid ? '8' : '0',
      ctype: 0,
      cols: [tray.color],
    };
  }
  return {
    id,
    ...common,
    cali_idx: -1,
    cols: [tray.color],
    ctype: 0,
    drying_temp: String(tray.rfid ? defaults.dryTemp : 0),
    drying_time: tray.rfid ? '8' : '0',
    remain: tray.remain,
    state: 11,
    total_len: 330000,
  };
}

/** `print.ams`: units, trays and the bit masks/tray pointers around them. */
export function amsJson(units: readonly AmsUnit[], schema: 'p1' | 'x1', trayNow: number, trayPre: number): Record<string, unknown> {
  let amsBits = 0;
  let trayBits = 0;
  let bblBits = 0;
  const ams = units.map((unit) => {
    amsBits |= 1 << unit.id;
    const trays = unit.trays.map((tray, slot) => {
      const id = String(slot);
      if (!tray) return { id };
      trayBits |= 1 << (unit.id * 4 + slot);
      if (tray.rfid) bblBits |= 1 << (unit.id * 4 + slot);
      return trayJson(id, tray, schema);
    });
    const base = { id: String(unit.id), humidity: String(unit.humidityIndex), temp: unit.temperature.toFixed(1), tray: trays };
    return schema === 'p1'
      ? base
      : {
          dry_time: 0,
          humidity: base.humidity,
          humidity_raw: String(Math.round(unit.humidity)),
          id: base.id,
          info: '1001',
          temp: base.temp,
          tray: trays,
        };
  });
  const hex = (n: number): string => n.toString(16);
  const pointers = { tray_tar: String(trayNow), tray_now: String(trayNow), tray_pre: String(trayPre) };
  const bits = {
    ams_exist_bits: hex(amsBits),
    tray_exist_bits: hex(trayBits),
    tray_is_bbl_bits: hex(bblBits),
    tray_read_done_bits: hex(trayBits),
    tray_reading_bits: '0',
  };
  if (schema === 'p1') {
    return { ams, ...bits, ...pointers, version: units.length > 0 ? 103 : 1, insert_flag: true, power_on_flag: false };
  }
  return {
    ams,
    ams_exist_bits_raw: bits.ams_exist_bits,
    ...bits,
    cali_id: 0,
    cali_stat: 0,
    insert_flag: true,
    power_on_flag: false,
    ...pointers,
    unbind_ams_stat: 0,
    version: units.length > 0 ? 30185 : 1,
  };
}

/** The external spool (`vt_tray`, id "254"); `null` = nothing set (empty type, zero colour). */
export function externalSpoolJson(tray: Tray | null, schema: 'p1' | 'x1', id = '254'): JsonTray {
  if (tray) {
    const json = trayJson(id, tray, schema);
    if (schema === 'p1') {
      // The P1 captures' vt_tray has no ctype/cols and puts remain/k/n/cali_idx last.
      const { ctype: _ctype, cols: _cols, remain: _remain, k: _k, n: _n, cali_idx: _cali, ...rest } = json;
      return { ...rest, remain: tray.remain, k: 0.019999999552965164, n: 1, cali_idx: -1 };
    }
    const { state: _state, ...rest } = json;
    return rest;
  }
  const empty: JsonTray = {
    id,
    tag_uid: ZERO_UID,
    tray_id_name: '',
    tray_info_idx: '',
    tray_type: '',
    tray_sub_brands: '',
    tray_color: '00000000',
    tray_weight: '0',
    tray_diameter: '0.00',
    bed_temp_type: '0',
    bed_temp: '0',
    nozzle_temp_max: '0',
    nozzle_temp_min: '0',
    xcam_info: ZERO_XCAM,
    tray_uuid: ZERO_UUID,
  };
  if (schema === 'p1') return { ...empty, tray_temp: '0', tray_time: '0', remain: 0, k: 0.019999999552965164, n: 1, cali_idx: -1 };
  return { ...empty, cali_idx: -1, cols: ['00000000'], ctype: 0, drying_temp: '0', drying_time: '0', remain: 0, total_len: 330000 };
}
