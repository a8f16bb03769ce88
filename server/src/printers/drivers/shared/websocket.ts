import { type ClientOptions, type RawData, WebSocket } from 'ws';

import type { SessionLog } from './session-log.js';

export function rawLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data.byteLength;
}

/**
 * Closes a session's websocket with a close frame, or cuts it when it is not open or the printer
 * does not answer the close within a second (a hung printer must not hold up the supervisor).
 */
export async function closeWebSocket(ws: WebSocket | null): Promise<void> {
  if (!ws || ws.readyState === WebSocket.CLOSED) return;
  if (ws.readyState !== WebSocket.OPEN) {
    ws.terminate();
    return;
  }
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      ws.terminate();
      resolve();
    }, 1000);
    timer.unref();
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.close(1000, 'ODIN closed the session');
  });
}

export interface SocketEvents {
  open(): void;
  message(data: RawData, isBinary: boolean): void;
  pong?(): void;
  /** The server answered the upgrade with a plain HTTP status (401, 404…) instead. */
  refused(status: number): void;
  error(err: Error): void;
  close(code: number, reason: string): void;
}

/**
 * Opens a session's websocket (no compression, no redirects: a printer that redirects is not the
 * printer that was configured) and routes its events through `log.guard`, so nothing a handler
 * throws reaches the event loop. Throws synchronously when the URL is not valid.
 */
export function openWebSocket(url: string, options: ClientOptions, log: SessionLog, events: SocketEvents): WebSocket {
  const ws = new WebSocket(url, { perMessageDeflate: false, followRedirects: false, ...options });
  ws.on('open', () => log.guard(() => events.open()));
  ws.on('message', (data, isBinary) => log.guard(() => events.message(data, isBinary)));
  ws.on('pong', () => log.guard(() => events.pong?.()));
  ws.on('unexpected-response', (_req, res) =>
    log.guard(() => {
      res.resume();
      events.refused(res.statusCode ?? 0);
    }),
  );
  ws.on('error', (err) => log.guard(() => events.error(err)));
  ws.on('close', (code, reason) => log.guard(() => events.close(code, reason.toString('utf8'))));
  return ws;
}
