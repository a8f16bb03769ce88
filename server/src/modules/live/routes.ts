import { createHash, timingSafeEqual } from 'node:crypto';

import websocket from '@fastify/websocket';

import type { Authenticator } from '../../core/auth/authenticator.js';
import { publishSchema } from '../../core/http/openapi.js';
import type { OdinApp } from '../../core/http/types.js';
import type { OdinBus } from '../../events.js';
import type { LiveStates } from '../../printers/live-states.js';
import { LiveHub } from './hub.js';
import { LiveClientMessageSchema, LiveServerMessageSchema } from './protocol.js';

export interface LiveDependencies {
  bus: OdinBus;
  authenticator: Authenticator;
  live: LiveStates;
  /** Names of printers for snapshots (id → name), read when a client subscribes. */
  printerNames: () => Promise<Map<number, string>>;
  /**
   * The perimeter key (ODIN_API_KEY, `config.apiKey`); empty when none is configured. `/ws` is a
   * public route for the guard (browsers cannot send headers on a WebSocket), so the live module
   * checks the key itself.
   */
  apiKey: string;
}

/** WebSocket messages larger than this close the connection with 1009 (enforced by ws). */
const MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * `/ws`: live events for browsers and scripts. The HTTP upgrade is public; the connection
 * authenticates once open (`token` query parameter, or `{"type":"auth","token":…}` within 5 s) and
 * is closed with 4401 otherwise. See protocol.ts for the wire format and hub.ts for the fan-out.
 */
export async function liveRoutes(app: OdinApp, deps: LiveDependencies): Promise<void> {
  const hub = new LiveHub({
    bus: deps.bus,
    live: deps.live,
    printerNames: deps.printerNames,
    authenticate: (token) => deps.authenticator.authenticateToken(token),
    log: app.log,
  });
  const perimeterOk = perimeterCheck(deps.apiKey);

  // Added before the plugin registers its own preClose (hooks run in the order they were added), so
  // clients get a proper 1001 "Server shutting down" rather than the plugin's bare close.
  app.addHook('preClose', async () => hub.stop());
  // preClose only runs for a server that listened; onClose covers the rest (no listener or timer survives).
  app.addHook('onClose', async () => hub.stop());

  // The WebSocket is no HTTP operation the document could describe: its messages are named components.
  publishSchema(app, 'LiveServerMessage', LiveServerMessageSchema);
  publishSchema(app, 'LiveClientMessage', LiveClientMessageSchema);

  await app.register(websocket, {
    options: { maxPayload: MAX_MESSAGE_BYTES },
    errorHandler(error, socket, request) {
      if (isProtocolError(error)) {
        // Oversize frame, invalid UTF-8…: ws is already closing the connection with the right code.
        request.log.info({ err: error }, 'live: client sent an invalid frame');
        return;
      }
      request.log.debug({ err: error }, 'live: connection error');
      socket.terminate();
    },
  });
  hub.start();

  app.route({
    method: 'GET',
    url: '/ws',
    config: { access: 'public' },
    schema: { hide: true },
    // A plain HTTP GET (no upgrade).
    handler: async (_request, reply) =>
      reply
        .code(426)
        .header('upgrade', 'websocket')
        .send({ detail: '/ws is a WebSocket endpoint: connect with a WebSocket client', code: 'websocket_required' }),
    wsHandler: (socket, request) => {
      const query = new URL(request.url, 'http://localhost').searchParams;
      hub.accept(socket, {
        token: query.get('token'),
        perimeterOk: perimeterOk(request.headers['x-api-key'], query.get('api_key')),
        log: request.log,
        reqId: request.id,
      });
    },
  });
}

/** The perimeter key from the `X-API-Key` header or the `api_key` query parameter (browsers cannot set headers). */
function perimeterCheck(apiKey: string): (header: string | string[] | undefined, query: string | null) => boolean {
  if (!apiKey) return () => true;
  const expected = sha256(apiKey);
  return (header, query) => {
    const given = typeof header === 'string' && header !== '' ? header : query;
    return typeof given === 'string' && given !== '' && timingSafeEqual(sha256(given), expected);
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function isProtocolError(error: Error): boolean {
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('WS_ERR_');
}
