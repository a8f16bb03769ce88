import type { PrinterConnection } from '../../driver.js';
import { urlHost } from '../shared/address.js';
import { describeNetworkError } from '../shared/network-errors.js';

export const DEFAULT_PORT = 7125;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface HttpReply {
  status: number;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: unknown;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  form?: FormData;
  timeoutMs?: number;
}

/** Where a Moonraker lives: base URLs for HTTP and the websocket, and "host:port" for messages. */
export class MoonrakerEndpoint {
  readonly hostPort: string;
  readonly httpBase: string;
  readonly wsUrl: string;
  readonly apiKey: string | null;

  constructor(connection: PrinterConnection) {
    const port = connection.port ?? DEFAULT_PORT;
    const host = urlHost(connection.host);
    this.hostPort = `${host}:${port}`;
    this.httpBase = `http://${host}:${port}`;
    this.wsUrl = `ws://${host}:${port}/websocket`;
    this.apiKey = connection.apiKey && connection.apiKey.trim() !== '' ? connection.apiKey.trim() : null;
  }

  /** Words for a request or websocket that could not reach this Moonraker. */
  describeNetworkError(err: unknown, timeoutMs: number): string {
    return describeNetworkError(err, this.hostPort, timeoutMs, { refused: 'is Moonraker running?' });
  }

  headers(): Record<string, string> {
    return this.apiKey ? { 'X-Api-Key': this.apiKey } : {};
  }

  /** One HTTP request; network failures and timeouts reject with the fetch error (see describeNetworkError). */
  async request(request: HttpRequest, defaultTimeoutMs: number): Promise<HttpReply> {
    const url = new URL(request.path, this.httpBase);
    for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
    const headers: Record<string, string> = { Accept: 'application/json', ...this.headers() };
    let body: string | FormData | undefined;
    if (request.form) body = request.form;
    else if (request.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(request.json);
    }
    const response = await fetch(url, {
      method: request.method,
      headers,
      body,
      signal: AbortSignal.timeout(request.timeoutMs ?? defaultTimeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.status, body: parsed };
  }
}
