import { slotOfAmsTray } from '@/components/inventory/slot-label';
import { cssColor } from '@/lib/format';

import type { SlotMeta } from './use-printer-meta';

/** The tray fields the chips read (live.ams[].trays[] and live.external_tray). */
export interface TrayFields {
  slot: number;
  empty: boolean;
  type: string | null;
  color: string | null;
  remain: number | null;
}

export interface AmsUnitFields {
  id: number;
  trays: TrayFields[];
}

/** One colour chip: where the filament sits, what it is, how much is left. */
export interface FilamentChip {
  key: string;
  /** Group the chip belongs to: "A", "B"… for AMS units, "ext" for the external spool, "slots" for a printer's own slots. */
  group: string;
  /** Short position: "A1", "B4", "2". */
  position: string;
  /** The slot number ODIN keeps for it (0 external, 1–16 AMS trays, 17–24 AMS HT), to find its spool. */
  slot: number | null;
  /** A CSS colour, or null when unknown. */
  color: string | null;
  type: string | null;
  /** Percent left (0–100), or null when the printer cannot tell. */
  remain: number | null;
  empty: boolean;
}

/** Bambu names its units A, B, C, D on the printer's screen; farm people use the same letters. */
export function unitLetter(unitId: number): string {
  return unitId >= 0 && unitId < 26 ? String.fromCharCode(65 + unitId) : String(unitId + 1);
}

function remainOf(value: number | null): number | null {
  // Bambu reports -1 for spools without an RFID tag: it does not know, which is not "empty".
  return value === null || value < 0 ? null : Math.min(100, value);
}

/**
 * The chips to show for a printer: its AMS trays (and the external spool when something is loaded
 * there); for a printer without an AMS, the slots the user filled in on the printer record.
 */
export function filamentChips(
  ams: AmsUnitFields[] | null | undefined,
  external: TrayFields | null | undefined,
  slots: readonly SlotMeta[] = [],
): FilamentChip[] {
  const chips: FilamentChip[] = [];
  for (const unit of ams ?? []) {
    const letter = unitLetter(unit.id);
    for (const tray of unit.trays) {
      chips.push({
        key: `ams-${unit.id}-${tray.slot}`,
        group: letter,
        position: `${letter}${tray.slot + 1}`,
        slot: slotOfAmsTray(unit.id, tray.slot),
        color: tray.empty ? null : cssColor(tray.color),
        type: tray.empty ? null : tray.type,
        remain: tray.empty ? null : remainOf(tray.remain),
        empty: tray.empty,
      });
    }
  }
  if (external && !external.empty) {
    chips.push({
      key: 'external',
      group: 'ext',
      position: 'ext',
      slot: 0,
      color: cssColor(external.color),
      type: external.type,
      remain: remainOf(external.remain),
      empty: false,
    });
  }
  if (chips.length === 0) {
    for (const slot of slots) {
      chips.push({
        key: `slot-${slot.slot}`,
        group: 'slots',
        position: String(slot.slot),
        slot: slot.slot,
        color: cssColor(slot.color),
        type: slot.type,
        remain: null,
        empty: false,
      });
    }
  }
  return chips;
}
