import type { Translate } from '@/i18n';

const KNOWN = ['brass', 'hardened_steel', 'stainless_steel', 'tungsten_carbide'] as const;
type Known = (typeof KNOWN)[number];

/** The nozzle materials printers report (Bambu: "hardened_steel"), offered when recording a nozzle. */
export const NOZZLE_TYPES: readonly string[] = KNOWN;

/** A nozzle type in the user's language; anything else the printer or a user wrote, as written. */
export function nozzleTypeName(type: string | null | undefined, t: Translate): string | null {
  if (!type) return null;
  return (KNOWN as readonly string[]).includes(type) ? t(`printers.nozzleTypes.${type as Known}`) : type.replace(/_/g, ' ');
}
