import { type RawData, WebSocket } from 'ws';

import { parseRpcFrame } from './messages.js';

/** Moonraker answered a call with a JSON-RPC error (`code` is often an HTTP status: 401, 503…). */
export class RpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/** No reply to a call within the time limit. */
export class RpcTimeoutError extends Error {
  constructor(readonly method: string) {
    super(`no reply to ${method}`);
    this.name = 'RpcTimeoutError';
  }
}

/** The socket went away with calls still waiting. */
export class RpcClosedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RpcClosedError';
  }
}

interface Pending {
  method: string;
  onReply: ((result: unknown) => void) | undefined;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export interface RpcHandlers {
  onNotification(method: string, params: unknown[]): void;
  /** A frame that is not usable JSON-RPC; it has been dropped. */
  onMalformed(reason: string, sample: string): void;
}

/** JSON-RPC 2.0 calls and notifications over one open websocket. Never throws from a frame. */
export class JsonRpcSocket {
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  constructor(
    private readonly ws: WebSocket,
    private readonly timeoutMs: number,
    private readonly handlers: RpcHandlers,
  ) {}

  /**
   * Calls a method. `onReply`, when given, runs synchronously as the reply frame is handled —
   * before any later frame — so a subscribe reply is in the cache before the first diff after it
   * is merged. If it throws, the call rejects with that error.
   */
  call(method: string, params?: Record<string, unknown>, onReply?: (result: unknown) => void): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      if (this.ws.readyState !== WebSocket.OPEN) {
        reject(new RpcClosedError('the websocket is not open'));
        return;
      }
      const id = this.#nextId++;
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new RpcTimeoutError(method));
      }, this.timeoutMs);
      this.#pending.set(id, { method, onReply, resolve, reject, timer });
      this.ws.send(
        JSON.stringify(params === undefined ? { jsonrpc: '2.0', method, id } : { jsonrpc: '2.0', method, params, id }),
        (err) => {
          if (!err) return;
          const pending = this.#pending.get(id);
          if (!pending) return;
          clearTimeout(pending.timer);
          this.#pending.delete(id);
          pending.reject(new RpcClosedError(`sending ${method} failed: ${err.message}`));
        },
      );
    });
  }

  handleFrame(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.handlers.onMalformed('binary frame', `${rawLength(data)} bytes`);
      return;
    }
    const text = rawToString(data);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.handlers.onMalformed('not JSON', text.slice(0, 120));
      return;
    }
    const frame = parseRpcFrame(parsed);
    if (!frame) {
      this.handlers.onMalformed('not a JSON-RPC 2.0 frame', text.slice(0, 120));
      return;
    }
    if (frame.kind === 'notification') {
      this.handlers.onNotification(frame.method, frame.params);
      return;
    }
    const pending = frame.id === null ? undefined : this.#pending.get(frame.id);
    if (!pending || frame.id === null) {
      this.handlers.onMalformed('reply to no pending call', text.slice(0, 120));
      return;
    }
    clearTimeout(pending.timer);
    this.#pending.delete(frame.id);
    if (frame.kind === 'error') {
      pending.reject(new RpcError(pending.method, frame.error.code, frame.error.message));
      return;
    }
    try {
      pending.onReply?.(frame.result);
    } catch (err) {
      pending.reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    pending.resolve(frame.result);
  }

  /** Rejects every waiting call (the socket closed). */
  failAll(reason: string): void {
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      this.#pending.delete(id);
      pending.reject(new RpcClosedError(reason));
    }
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function rawLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data.byteLength;
}
