import type { FastifyRequest } from 'fastify';

import { unauthorized } from '../errors.js';
import type { AuthUser } from './roles.js';

/** The caller on a route whose access level guarantees one (the guard sets it before the handler runs). */
export function currentUser(request: FastifyRequest): AuthUser {
  if (!request.user) throw unauthorized();
  return request.user;
}
