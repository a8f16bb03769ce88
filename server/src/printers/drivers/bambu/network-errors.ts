import { errorCode, formatSeconds, isTimeout, noAnswer } from '../moonraker/network-errors.js';
import { describeTlsError } from './tls.js';

export { errorCode, formatSeconds, isTimeout, noAnswer };

/** MQTT CONNACK codes that mean the credentials were refused (3.1.1: 4, 5; v5: 134, 135). */
const REFUSED_CREDENTIALS = new Set([4, 5, 134, 135]);

/** "host:port" with IPv6 hosts in brackets. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}

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
  const message = err instanceof Error ? err.message : String(err);
  if (isTimeout(err) || code === 'ETIMEDOUT' || /connack timeout|handshake has timed out|timeout/i.test(message))
    return noAnswer(where, timeoutMs);
  switch (code) {
    case 'ECONNREFUSED':
      return `Connection refused by ${where} — is ${service} on, with LAN mode switched on?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot resolve the host name of ${where}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return `${where} is unreachable from this server`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `${where} closed the connection before answering`;
    default:
      break;
  }
  if (/socket hang up|Client network socket disconnected before secure TLS connection/i.test(message)) {
    return `${where} closed the connection before answering`;
  }
  return `Cannot reach ${where}: ${message}`;
}
