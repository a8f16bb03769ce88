import createClient from 'openapi-fetch';

import type { components, paths } from './schema';

/** Every error reply of the server: an English sentence, a stable code, and on 422 each bad field. */
export type ErrorReply = components['schemas']['ErrorReply'];
/** The codes the server documents; pages translate by these, never by the English `detail`. */
export type ErrorCode = ErrorReply['code'];

/**
 * An API refusal. `code` is what to act on (null when the reply had none, e.g. a proxy's error
 * page); `detail` is the server's English sentence, shown only when nothing better is known;
 * `retryAfterSeconds` comes from the Retry-After header (429, 423).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly code: string | null = null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  /** Whether the server refused with this code (typed, so a misspelt code does not compile). */
  is(code: ErrorCode): boolean {
    return this.code === code;
  }
}

/** The ApiError for a refused response, from its parsed body (or null) and its headers. */
export function apiError(response: Response, body: unknown): ApiError {
  const code = typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : undefined;
  return new ApiError(
    response.status,
    detailText(body, response.status),
    typeof code === 'string' && code ? code : null,
    retryAfterSeconds(response.headers.get('retry-after')),
  );
}

/** Retry-After is either a number of seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null): number | null {
  if (header === null || header.trim() === '') return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

interface FieldProblem {
  loc?: unknown[];
  msg?: string;
}

/** The server's English sentence for any error body; a 422 without one is described from its `errors`. */
export function detailText(body: unknown, status: number): string {
  const reply = typeof body === 'object' && body !== null ? (body as { detail?: unknown; errors?: unknown }) : {};
  if (typeof reply.detail === 'string' && reply.detail) return reply.detail;
  if (Array.isArray(reply.errors)) {
    const parts = (reply.errors as FieldProblem[]).map((problem) => {
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

/** Unwraps an openapi-fetch result: the data, or an ApiError carrying the server's code and detail. */
export async function unwrap<T>(promise: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await promise;
  if (!response.ok) throw apiError(response, error);
  return data as T;
}

/** For routes whose body is not JSON (form login, file uploads, CSV): plain fetch with the same auth. */
export async function rawFetch(input: string, init: RequestInit = {}): Promise<Response> {
  const response = await authorizedFetch(new Request(input, init));
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw apiError(response, body);
  }
  return response;
}
