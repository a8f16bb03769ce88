import { describeNetworkError, errorCode } from '../shared/network-errors.js';
import { describeTlsError } from './tls.js';

/** MQTT CONNACK codes that mean the credentials were refused (3.1.1: 4, 5; v5: 134, 135). */
const REFUSED_CREDENTIALS = new Set([4, 5, 134, 135]);

/** True when mqtt.js reports a CONNACK that refused our username/password. */
export function isCredentialsRefused(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'number' && REFUSED_CREDENTIALS.has(code)) return true;
  return /Connection refused: (Bad username or password|Not authorized)/i.test(err.message);
}

export const ACCESS_CODE_REFUSED = "Access code refused by the printer — check the LAN access code on the printer's screen";

/**
 * Words for a failed MQTT or FTPS connection: TLS verdicts first (certificate name, untrusted CA),
 * then refused credentials, then the network.
 */
export function describeConnectError(
  err: unknown,
  where: string,
  timeoutMs: number,
  extraCaCount: number,
  service = 'the printer',
): string {
  const code = errorCode(err);
  const tls = describeTlsError(err, code, where, extraCaCount);
  if (tls) return tls;
  if (isCredentialsRefused(err)) return ACCESS_CODE_REFUSED;
  return describeNetworkError(err, where, timeoutMs, {
    refused: `is ${service} on, with LAN mode switched on?`,
    timeout: /connack timeout|timeout/i,
    closed: /Client network socket disconnected before secure TLS connection/i,
  });
}
