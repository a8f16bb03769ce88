import type { MessageKey, Translate } from '@/i18n';

import { isProtocol, type Protocol } from './printer-fields';

/** The protocol's full name: "Klipper (Moonraker)", "Prusa (PrusaLink)", "Bambu Lab", "Elegoo (SDCP)". */
export const PROTOCOL_LABEL: Record<Protocol, MessageKey> = {
  moonraker: 'printers.protocol.moonraker',
  prusalink: 'printers.protocol.prusalink',
  bambu: 'printers.protocol.bambu',
  elegoo: 'printers.protocol.elegoo',
};

/** "Klipper", "PrusaLink", "Bambu Lab", "Elegoo" — what people call the protocol; unknown values pass through. */
export function protocolLabel(apiType: string | null | undefined, t: Translate): string | null {
  if (!apiType) return null;
  return isProtocol(apiType) ? t(`dashboard.protocols.${apiType}`) : apiType;
}
