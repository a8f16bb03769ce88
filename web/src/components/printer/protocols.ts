import type { Translate } from '@/i18n';

const KNOWN = ['moonraker', 'prusalink', 'bambu', 'elegoo'] as const;
type KnownProtocol = (typeof KNOWN)[number];

function isKnown(value: string): value is KnownProtocol {
  return (KNOWN as readonly string[]).includes(value);
}

/** "Klipper", "PrusaLink", "Bambu Lab", "Elegoo" — what people call the protocol; unknown values pass through. */
export function protocolLabel(apiType: string | null | undefined, t: Translate): string | null {
  if (!apiType) return null;
  return isKnown(apiType) ? t(`dashboard.protocols.${apiType}`) : apiType;
}
