import type { Translate } from '@/i18n';

/**
 * How people name a printer's slot. ODIN numbers them as the server does: 0 is a Bambu printer's
 * external spool, 1–16 the AMS trays (four per unit: slot 6 is unit 2, tray 2), 17–24 the AMS HT
 * units (one tray each). A printer without an AMS just has slots 1, 2, 3…
 */
export function slotLabel(slot: number, apiType: string | null | undefined, t: Translate): string {
  if (slot === 0) return t('inventory.slot.external');
  if (apiType === 'bambu') {
    if (slot >= 1 && slot <= 16) return t('inventory.slot.ams', { unit: Math.ceil(slot / 4), tray: ((slot - 1) % 4) + 1 });
    if (slot >= 17 && slot <= 24) return t('inventory.slot.amsHt', { unit: slot - 16 });
  }
  return t('inventory.slot.plain', { slot });
}

/** The slot number of an AMS tray as the printer reports it (unit id, tray 0–3), or null for units ODIN does not number. */
export function slotOfAmsTray(unitId: number, traySlot: number): number | null {
  if (unitId >= 0 && unitId < 4 && traySlot >= 0 && traySlot < 4) return unitId * 4 + traySlot + 1;
  if (unitId >= 128 && unitId < 136) return 17 + (unitId - 128);
  return null;
}
