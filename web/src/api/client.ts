import createClient, { type Middleware } from 'openapi-fetch';

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

let tokenSource: TokenSource = () => null;
let onUnauthorized: UnauthorizedHandler = () => {};

/** The session module tells the client where the token lives and what to do when it stops working. */
export function configureAuth(source: TokenSource, unauthorized: UnauthorizedHandler): void {
  tokenSource = source;
  onUnauthorized = unauthorized;
}

export function currentToken(): string | null {
  return tokenSource();
}

const auth: Middleware = {
  onRequest({ request }) {
    const token = tokenSource();
    if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response, request }) {
    // A 401 on anything but the login form means the session is gone (expired, revoked, disabled).
    if (response.status === 401 && !new URL(request.url).pathname.startsWith('/api/auth/login')) onUnauthorized();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** Unwraps an openapi-fetch result: the data, or an ApiError carrying the server's detail. */
export async function unwrap<T>(promise: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await promise;
  if (!response.ok) throw new ApiError(response.status, detailText(error, response.status));
  return data as T;
}

/** For routes whose body is not JSON (form login, file uploads, CSV): plain fetch with the same auth. */
export async function rawFetch(input: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = tokenSource();
  if (token && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  const response = await fetch(input, { ...init, headers });
  if (response.status === 401 && !input.startsWith('/api/auth/login')) onUnauthorized();
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw new ApiError(response.status, detailText(body, response.status));
  }
  return response;
}
