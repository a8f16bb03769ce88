import { errorCode, formatSeconds, isTimeout, noAnswer } from '../moonraker/network-errors.js';

export { formatSeconds, isTimeout, noAnswer };

/** Words for a failed connection to an SDCP printer, from whatever Node, undici or ws threw. */
export function describeNetworkError(err: unknown, hostPort: string, timeoutMs: number): string {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (isTimeout(err) || code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || /handshake has timed out/i.test(message)) {
    return noAnswer(hostPort, timeoutMs);
  }
  switch (code) {
    case 'ECONNREFUSED':
      return `Connection refused by ${hostPort} — is this an Elegoo printer with SDCP (port 3030)?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot resolve the host name of ${hostPort}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return `${hostPort} is unreachable from this server`;
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return `${hostPort} closed the connection before answering`;
    default:
      break;
  }
  if (/socket hang up/i.test(message)) return `${hostPort} closed the connection before answering`;
  return `Cannot reach ${hostPort}: ${message}`;
}
