import { Readable } from 'node:stream';

import type { FastifyReply } from 'fastify';

/**
 * Sends JSON that was serialised (and maybe compressed) already, e.g. a cached body, as it is.
 * A stream is never re-serialised; a Buffer would be only if its ArrayBuffer is this realm's, which
 * a test environment with its own globals (jsdom) breaks. The route's response schema still
 * documents the shape the cached body was built from.
 */
export function sendRawJson(reply: FastifyReply, body: Buffer): FastifyReply {
  return reply
    .type('application/json; charset=utf-8')
    .header('content-length', body.length)
    .send(Readable.from([body], { objectMode: false }));
}
