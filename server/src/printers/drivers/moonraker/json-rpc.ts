import { type RawData, WebSocket } from 'ws';

import { frameText } from '../../../core/http/ws-frame.js';
import { PendingRequests, RequestClosedError } from '../shared/pending-requests.js';
import { rawLength } from '../shared/websocket.js';
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

interface CallMeta {
  method: string;
  onReply: ((result: unknown) => void) | undefined;
}

export interface RpcHandlers {
  onNotification(method: string, params: unknown[]): void;
  /** A frame that is not usable JSON-RPC; it has been dropped. */
  onMalformed(reason: string, sample: string): void;
}

/** JSON-RPC 2.0 calls and notifications over one open websocket. Never throws from a frame. */
export class JsonRpcSocket {
  readonly #pending = new PendingRequests<number, CallMeta, unknown>();
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
    if (this.ws.readyState !== WebSocket.OPEN) return Promise.reject(new RequestClosedError('the websocket is not open'));
    const id = this.#nextId++;
    const reply = this.#pending.wait(id, { method, onReply }, method, this.timeoutMs);
    this.ws.send(JSON.stringify(params === undefined ? { jsonrpc: '2.0', method, id } : { jsonrpc: '2.0', method, params, id }), (err) => {
      if (err) this.#pending.fail(id, `sending ${method} failed: ${err.message}`);
    });
    return reply;
  }

  handleFrame(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.handlers.onMalformed('binary frame', `${rawLength(data)} bytes`);
      return;
    }
    const text = frameText(data);
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
    const pending = frame.id === null ? undefined : this.#pending.take(frame.id);
    if (!pending) {
      this.handlers.onMalformed('reply to no pending call', text.slice(0, 120));
      return;
    }
    if (frame.kind === 'error') {
      pending.reject(new RpcError(pending.meta.method, frame.error.code, frame.error.message));
      return;
    }
    try {
      pending.meta.onReply?.(frame.result);
    } catch (err) {
      pending.reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    pending.resolve(frame.result);
  }

  /** Rejects every waiting call (the socket closed). */
  failAll(reason: string): void {
    this.#pending.failAll(reason);
  }
}
