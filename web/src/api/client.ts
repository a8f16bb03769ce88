import createClient from 'openapi-fetch';

import type { paths } from './schema';

/** An API refusal with the server's `{detail}` in words (422 details are joined per field). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

interface FieldProblem {
  loc?: unknown[];
  msg?: string;
}

/** Turns any `{detail}` body (string, or FastAPI-style list of field problems) into one sentence. */
export function detailText(body: unknown, status: number): string {
  const detail = typeof body === 'object' && body !== null ? (body as { detail?: unknown }).detail : undefined;
  if (typeof detail === 'string' && detail) return detail;
  if (Array.isArray(detail)) {
    const parts = (detail as FieldProblem[]).map((problem) => {
      const field = Array.isArray(problem.loc) ? problem.loc.filter((part) => part !== 'body').join('.') : '';
      return field ? `${field}: ${problem.msg ?? 'invalid'}` : (problem.msg ?? 'invalid');
    });
    if (parts.length) return parts.join('; ');
  }
  return `Request failed (HTTP ${status})`;
}

type TokenSource = () => string | null;
type UnauthorizedHandler = () => void;
/**
 * Given the access token the server just refused: a working token to retry with, or null (the
 * session module has then ended the session, or will retry the refresh later).
 */
type Renewer = (refused: string) => Promise<string | null>;

let tokenSource: TokenSource = () => null;
let onUnauthorized: UnauthorizedHandler = () => {};
let renewer: Renewer | null = null;

/**
 * The session module tells the client where the token lives, how to renew it after a 401, and what
 * to do when it stops working. Without a renewer, a 401 ends the session at once.
 */
export function configureAuth(source: TokenSource, unauthorized: UnauthorizedHandler, renew: Renewer | null = null): void {
  tokenSource = source;
  onUnauthorized = unauthorized;
  renewer = renew;
}

export function currentToken(): string | null {
  return tokenSource();
}

/** Login and refresh answer 401 for wrong credentials or a dead refresh token, not for an expired session. */
function isTokenRoute(url: string): boolean {
  const path = new URL(url, 'http://odin.invalid').pathname;
  return path.startsWith('/api/auth/login') || path.startsWith('/api/auth/refresh');
}

/**
 * Sends a request with the session's bearer token. A 401 (the token expired or was revoked) is
 * renewed once and the request sent again with the new token; concurrent 401s share one renewal.
 */
async function authorizedFetch(request: Request): Promise<Response> {
  const token = tokenSource();
  const ownsHeader = token !== null && !request.headers.has('authorization');
  // A copy taken before the body is read, for the one retry.
  const retry = ownsHeader && renewer ? request.clone() : null;
  if (ownsHeader) request.headers.set('authorization', `Bearer ${token}`);
  const response = await fetch(request);
  if (response.status !== 401 || isTokenRoute(request.url)) return response;
  if (!retry || !renewer || token === null) {
    onUnauthorized();
    return response;
  }
  const fresh = await renewer(token);
  if (fresh === null) return response;
  retry.headers.set('authorization', `Bearer ${fresh}`);
  const second = await fetch(retry);
  if (second.status === 401) onUnauthorized();
  return second;
}

export const api = createClient<paths>({ baseUrl: '', fetch: authorizedFetch });

/** Unwraps an openapi-fetch result: the data, or an ApiError carrying the server's detail. */
export async function unwrap<T>(promise: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await promise;
  if (!response.ok) throw new ApiError(response.status, detailText(error, response.status));
  return data as T;
}

/** For routes whose body is not JSON (form login, file uploads, CSV): plain fetch with the same auth. */
export async function rawFetch(input: string, init: RequestInit = {}): Promise<Response> {
  const response = await authorizedFetch(new Request(input, init));
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw new ApiError(response.status, detailText(body, response.status));
  }
  return response;
}
