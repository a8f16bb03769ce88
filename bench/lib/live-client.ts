import type { Socket } from 'node:net';

import WebSocket from 'ws';

import { BenchError } from './odin-server.js';

/** A `/ws` message as the server sends it: `{type, data, ts}`. */
export interface LiveMessage {
  type: string;
  data: unknown;
  ts: number;
}

export interface ReceivedMessage {
  message: LiveMessage;
  /** `process.hrtime.bigint()` when the frame was handed to us. */
  arrivedAt: bigint;
  /** Bytes of the frame on the wire: payload plus the frame header. */
  frameBytes: number;
}

/**
 * One `/ws` client, as a browser would hold it. Counts every byte that arrives on its TCP socket
 * (frames, headers, pings) and stamps each message with process.hrtime.bigint() on arrival.
 */
export class LiveClient {
  /** Raw bytes received on the socket since the connection opened (the 101 response and bytes that came with it excluded). */
  socketBytes = 0;
  /** How the connection ended (`code reason`), or null while open. */
  closedWith: string | null = null;
  readonly #ws: WebSocket;
  readonly #listeners = new Set<(received: ReceivedMessage) => void>();
  #closed = false;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data, isBinary) => {
      const arrivedAt = process.hrtime.bigint();
      if (isBinary) return;
      const text = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text.toString('utf8'));
      } catch {
        return;
      }
      if (typeof parsed !== 'object' || parsed === null || typeof (parsed as Record<string, unknown>)['type'] !== 'string') return;
      const message = parsed as LiveMessage;
      const frameBytes = text.length + (text.length < 126 ? 2 : text.length < 65_536 ? 4 : 10);
      for (const listener of this.#listeners) listener({ message, arrivedAt, frameBytes });
    });
  }

  /** Opens `/ws?token=…` and resolves once the server said `welcome`. */
  static open(baseUrl: string, token: string, onMessage?: (received: ReceivedMessage) => void): Promise<LiveClient> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`;
    const ws = new WebSocket(url);
    const client = new LiveClient(ws);
    if (onMessage) client.#listeners.add(onMessage);
    // Count on the socket itself, but only once ws has taken it over ('open'): a 'data' listener
    // added earlier would set the socket flowing before ws re-queues the bytes that came with the
    // 101 response, and ws would never see them (a welcome sent right away would be lost).
    let socket: Socket | null = null;
    ws.once('upgrade', (response) => {
      socket = response.socket;
    });
    ws.once('open', () => {
      socket?.on('data', (chunk: Buffer) => {
        client.socketBytes += chunk.length;
      });
    });
    return new Promise<LiveClient>((resolve, reject) => {
      const timer = setTimeout(() => fail(new BenchError('/ws: no welcome within 10 s')), 10_000);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        client.#listeners.delete(onWelcome);
        ws.terminate();
        reject(error);
      };
      const onWelcome = (received: ReceivedMessage): void => {
        if (received.message.type !== 'welcome') return;
        clearTimeout(timer);
        client.#listeners.delete(onWelcome);
        resolve(client);
      };
      client.#listeners.add(onWelcome);
      ws.on('error', (error) => fail(new BenchError(`/ws: ${error.message}`)));
      ws.once('close', (code, reason) => {
        client.#closed = true;
        client.closedWith = `${code} ${reason.toString()}`.trim();
        fail(new BenchError(`/ws closed before welcome: ${client.closedWith}`));
      });
    });
  }

  /** Whether the server negotiated permessage-deflate (then byte counts are compressed bytes). */
  get extensions(): string {
    return this.#ws.extensions;
  }

  get closed(): boolean {
    return this.#closed || this.#ws.readyState === WebSocket.CLOSED;
  }

  onMessage(listener: (received: ReceivedMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#closed = true;
    this.#ws.close(1000);
    setTimeout(() => this.#ws.terminate(), 1000).unref();
  }
}
