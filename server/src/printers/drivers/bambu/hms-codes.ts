/**
 * Words for Bambu Lab health (HMS) codes and `print_error` codes.
 *
 * An HMS entry on the wire is `{attr, code}`; its code is the hex of both, "AAAA_AAAA_CCCC_CCCC"
 * (protocols.md §1.2). The module is the top byte of `attr`, the severity the top half of `code`
 * (1 fatal, 2 serious, 3 common, 4 info). A `print_error` is one 32-bit number shown as
 * "XXXX_XXXX", its module again in the top byte.
 *
 * The descriptions below are short summaries written for ODIN, for the codes a print farm meets
 * most. They were written without access to Bambu's tables, so every message carries the code and
 * unknown codes fall back to the module name and Bambu's wiki page for the code.
 */
import type { HmsError } from '../../state.js';

export type HmsSeverity = HmsError['severity'];

export interface CodeDescription {
  /** The code in its canonical form: "0300_0100_0001_0007" (HMS) or "0300_400C" (print_error). */
  code: string;
  message: string;
  severity: HmsSeverity;
  /** The printer part that raised it ("motion controller", "AMS"…), or "module 0xNN". */
  module: string;
  /** True when the message comes from ODIN's table rather than the generic fallback. */
  known: boolean;
  /** Bambu's wiki page for an HMS code; null for print_error codes. */
  url: string | null;
}

const MODULES: Readonly<Record<number, string>> = {
  0x03: 'motion controller',
  0x05: 'mainboard',
  0x07: 'AMS',
  0x08: 'toolhead',
  0x0c: 'camera (xcam)',
};

const SEVERITIES: Readonly<Record<number, HmsSeverity>> = { 1: 'fatal', 2: 'serious', 3: 'common', 4: 'info' };

/** 0x0300400C: what a cancelled print leaves in `print_error` for a few seconds. */
export const CANCELLED_PRINT_ERROR = 0x0300400c;

export const HMS_WIKI_BASE = 'https://wiki.bambulab.com/en/x1/troubleshooting/hmscode/';

/** Exact HMS codes (without the "HMS_" prefix, upper-case hex). */
const HMS_MESSAGES: Readonly<Record<string, string>> = {
  // Heatbed heater and sensor (motion controller, part 01).
  '0300_0100_0001_0001': 'Heatbed temperature malfunction: the heater may be short-circuited',
  '0300_0100_0001_0002': 'Heatbed temperature malfunction: the heater may be open-circuited',
  '0300_0100_0001_0003': 'Heatbed temperature malfunction: the heatbed is over temperature',
  '0300_0100_0001_0006': 'Heatbed temperature malfunction: the temperature sensor may be short-circuited',
  '0300_0100_0001_0007': 'Heatbed temperature malfunction: the temperature sensor may be open-circuited',
  // Nozzle heater and sensor (part 02).
  '0300_0200_0001_0001': 'Nozzle temperature malfunction: the heater may be short-circuited',
  '0300_0200_0001_0002': 'Nozzle temperature malfunction: the heater may be open-circuited',
  '0300_0200_0001_0003': 'Nozzle temperature malfunction: the nozzle is over temperature',
  '0300_0200_0001_0006': 'Nozzle temperature malfunction: the temperature sensor may be short-circuited',
  '0300_0200_0001_0007': 'Nozzle temperature malfunction: the temperature sensor may be open-circuited',
  // Fans, covers.
  '0300_0300_0001_0001': 'The hotend cooling fan is too slow or has stopped',
  '0300_0400_0002_0001': 'The part cooling fan is too slow or has stopped',
  '0300_1200_0002_0001': 'The toolhead front cover was removed or fell off',
  // AMS unit-level faults (unit A; other units are matched by pattern below).
  '0700_5000_0002_0001': 'AMS A communication is abnormal: check the AMS cable',
  // Camera (xcam) detections.
  '0C00_0300_0003_0006': 'Purged filament may have piled up in the waste chute',
  '0C00_0300_0003_0007': 'First layer inspection found possible defects in the first layer',
  '0C00_0300_0003_0008': 'Spaghetti detected by the AI camera (XCam): the print may have come loose',
};

/** Exact print_error codes ("XXXX_XXXX"). */
const PRINT_ERROR_MESSAGES: Readonly<Record<string, { message: string; severity: HmsSeverity }>> = {
  '0300_400C': { message: 'The print was cancelled', severity: 'info' },
};

const AMS_UNITS = 'ABCDEFGH';

/**
 * Families of AMS codes that repeat per unit and slot: attr 0x07UU_2S00 (the filament path of
 * slot S) and 0x07UU_1S00 (the slot's feed motor), UU = unit 0–3 (A–D).
 */
function describeAmsPattern(attr: number, code: number): string | null {
  if (attr >>> 24 !== 0x07 || (attr & 0xff) !== 0) return null;
  const unitIndex = (attr >>> 16) & 0xff;
  const part = (attr >>> 8) & 0xff;
  const unit = AMS_UNITS[unitIndex];
  if (unit === undefined) return null;
  const slotPart = part & 0xf0;
  const slot = (part & 0x0f) + 1;
  if (slot > 4) return null;
  const where = `AMS ${unit} slot ${slot}`;
  if (slotPart === 0x20) {
    switch (code) {
      case 0x00020001:
        return `${where} has run out of filament`;
      case 0x00020003:
        return `${where}: the filament may be broken inside the AMS`;
      case 0x00020004:
        return `${where}: the filament may be tangled or stuck`;
      default:
        return null;
    }
  }
  if (slotPart === 0x10 && code === 0x00010004) return `${where}: the feed motor is overloaded; the filament may be tangled or stuck`;
  if (part === 0x50 && code === 0x00020001) return `AMS ${unit} communication is abnormal: check the AMS cable`;
  return null;
}

export function moduleName(moduleByte: number): string {
  return MODULES[moduleByte] ?? `module 0x${moduleByte.toString(16).toUpperCase().padStart(2, '0')}`;
}

export function hmsSeverity(code: number): HmsSeverity {
  return SEVERITIES[(code >>> 16) & 0xffff] ?? 'common';
}

function hex8(n: number): string {
  const h = (n >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return `${h.slice(0, 4)}_${h.slice(4)}`;
}

/** "AAAA_AAAA_CCCC_CCCC" from the wire's attr and code. */
export function hmsCode(attr: number, code: number): string {
  return `${hex8(attr)}_${hex8(code)}`;
}

/** "XXXX_XXXX" from a print_error number. */
export function printErrorCode(value: number): string {
  return hex8(value);
}

/** Parses "0300_0100_0001_0007", "HMS_0300_0100_0001_0007" or "0300010000010007" into attr and code. */
export function parseHmsCode(text: string): { attr: number; code: number } | null {
  const hex = text
    .trim()
    .replace(/^HMS[_-]?/i, '')
    .replace(/[_\s-]/g, '');
  if (!/^[0-9a-fA-F]{16}$/.test(hex)) return null;
  return { attr: Number.parseInt(hex.slice(0, 8), 16), code: Number.parseInt(hex.slice(8), 16) };
}

/** Parses "0300_400C", "0300400C" or a decimal print_error ("50348044") into its number. */
export function parsePrintErrorCode(text: string): number | null {
  const trimmed = text.trim();
  const hex = trimmed.replace(/[_\s-]/g, '');
  if (/^[0-9a-fA-F]{8}$/.test(hex) && (trimmed.includes('_') || /[a-fA-F]/.test(hex) || hex.startsWith('0')))
    return Number.parseInt(hex, 16);
  if (/^\d{1,10}$/.test(trimmed)) {
    const value = Number(trimmed);
    return value <= 0xffffffff ? value : null;
  }
  return null;
}

/** An HMS entry from its wire numbers. */
export function describeHmsEntry(attr: number, code: number): CodeDescription {
  const canonical = hmsCode(attr, code);
  const module = moduleName(attr >>> 24);
  const severity = hmsSeverity(code);
  const url = `${HMS_WIKI_BASE}${canonical}`;
  const message = HMS_MESSAGES[canonical] ?? describeAmsPattern(attr >>> 0, code >>> 0);
  if (message) return { code: canonical, message, severity, module, known: true, url };
  return { code: canonical, message: `${capitalise(module)} reported HMS ${canonical}; see ${url}`, severity, module, known: false, url };
}

/**
 * Describes an HMS code ("0300_0100_0001_0007", with or without the "HMS_" prefix); for the
 * `/api/hms-codes/{code}` route. A malformed code gets a message saying so.
 */
export function describeHms(code: string): CodeDescription {
  const parsed = parseHmsCode(code);
  if (!parsed) {
    return {
      code: code.trim(),
      message: `Not an HMS code: ${code.trim()} (expected AAAA_AAAA_CCCC_CCCC)`,
      severity: 'info',
      module: 'unknown',
      known: false,
      url: null,
    };
  }
  return describeHmsEntry(parsed.attr, parsed.code);
}

/** Describes a `print_error` ("0300_400C", "0300400C" or the decimal number as sent). */
export function describePrintError(code: string | number): CodeDescription {
  const value =
    typeof code === 'number' ? (Number.isInteger(code) && code >= 0 && code <= 0xffffffff ? code : null) : parsePrintErrorCode(code);
  if (value === null) {
    const text = String(code).trim();
    return {
      code: text,
      message: `Not a print error code: ${text} (expected XXXX_XXXX)`,
      severity: 'info',
      module: 'unknown',
      known: false,
      url: null,
    };
  }
  const canonical = printErrorCode(value);
  const module = moduleName(value >>> 24);
  const entry = PRINT_ERROR_MESSAGES[canonical];
  if (entry) return { code: canonical, message: entry.message, severity: entry.severity, module, known: true, url: null };
  return {
    code: canonical,
    message: `The printer reported error ${canonical} (${module}); look the code up on Bambu Lab's wiki`,
    severity: 'serious',
    module,
    known: false,
    url: null,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
