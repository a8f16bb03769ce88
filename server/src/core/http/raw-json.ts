import type { FastifyReply } from 'fastify';

/**
 * Sends JSON that was serialised already (a cached body). A Buffer bypasses Fastify's serializer; the
 * route's response schema still documents the shape, which the cached body was built from.
 */
export function sendRawJson(reply: FastifyReply, body: Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(body);
}
