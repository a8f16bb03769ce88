import type { FastifyRequest } from 'fastify';

/**
 * Who asked for something, in the plain terms services and the audit log need. Routes build it
 * from the request (`actorOf`); services never see a FastifyRequest.
 */
export interface Actor {
  userId: number | null;
  username: string | null;
  ip: string | null;
}

/** The caller of a request: the user the guard authenticated (if any) and the client address. */
export function actorOf(request: FastifyRequest): Actor {
  return { userId: request.user?.id ?? null, username: request.user?.username ?? null, ip: request.ip };
}

/** The actor for work the server does on its own (bootstrap, schedules). */
export const SYSTEM_ACTOR: Actor = { userId: null, username: null, ip: null };
