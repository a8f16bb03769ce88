/** What a protocol adds to the shared words for a failed connection. */
export interface NetworkWords {
  /** After "Connection refused by host:port — ": what to check ("is Moonraker running?"). */
  refused: string;
  /** Messages of this protocol's client library that also mean "no answer in time". */
  timeout?: RegExp;
  /** Messages that also mean "closed the connection before answering". */
  closed?: RegExp;
}

/** Words for a failed connection attempt, from whatever Node, undici, ws or mqtt.js threw. */
export function describeNetworkError(err: unknown, hostPort: string, timeoutMs: number, words: NetworkWords): string {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (
    isTimeout(err) ||
    code === 'ETIMEDOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    /handshake has timed out/i.test(message) ||
    words.timeout?.test(message)
  ) {
    return noAnswer(hostPort, timeoutMs);
  }
  switch (code) {
    case 'ECONNREFUSED':
      return `Connection refused by ${hostPort} — ${words.refused}`;
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
  if (/socket hang up/i.test(message) || words.closed?.test(message)) return `${hostPort} closed the connection before answering`;
  return `Cannot reach ${hostPort}: ${innermostMessage(err)}`;
}

export function noAnswer(hostPort: string, timeoutMs: number): string {
  return `No answer from ${hostPort} within ${formatSeconds(timeoutMs)} s`;
}

export function formatSeconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

export function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || (err.name === 'AbortError' && /timeout/i.test(err.message)));
}

/** The first `code` along the error, its causes and (for AggregateError) its first inner error. */
export function errorCode(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (typeof e !== 'object') return null;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const inner = (e as { errors?: unknown }).errors;
    e = Array.isArray(inner) && inner.length > 0 ? inner[0] : (e as { cause?: unknown }).cause;
  }
  return null;
}

/** fetch() says "fetch failed" and puts what happened in its cause: the sentence names the deepest one. */
function innermostMessage(err: unknown): string {
  let message = err instanceof Error ? err.message : String(err);
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; depth++) {
    message = e.message || message;
    e = e.cause;
  }
  return message;
}
