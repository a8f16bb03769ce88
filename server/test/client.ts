import { startTestServer, type TestServer, type TestServerOptions } from './harness.js';

/** A small HTTP client for tests: real fetch against the real server, JSON in and out. */
export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** Every error reply: an English sentence, a stable code, and on validation failures each bad field. */
export interface ErrorReply {
  detail: string;
  code: string;
  errors?: { loc: (string | number)[]; msg: string; type: string }[];
}

export interface RequestOptions {
  token?: string | undefined;
  json?: unknown;
  form?: Record<string, string>;
  /** Sent as-is (with the given content type) — for malformed-input tests. */
  raw?: { body: string | Buffer | FormData; contentType?: string };
  headers?: Record<string, string>;
}

/** The health check answers 503 with its own report (status, version, database), not an error reply. */
const HEALTH_PATHS = new Set(['/health', '/api/health']);

/**
 * Every error reply any test provokes must be `{detail, code}`: a reply without a code fails the
 * test that provoked it, so a new throw site or framework error cannot slip past the convention.
 */
function assertErrorShape(method: string, path: string, status: number, body: unknown): void {
  if (status < 400 || HEALTH_PATHS.has(path.split('?')[0] ?? '')) return;
  const reply = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (typeof reply['code'] !== 'string' || typeof reply['detail'] !== 'string') {
    throw new Error(`${method} ${path} answered ${status} without {detail, code}: ${JSON.stringify(body)}`);
  }
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly defaults: { apiKey?: string } = {},
  ) {}

  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.defaults.apiKey && headers['x-api-key'] === undefined) headers['x-api-key'] = this.defaults.apiKey;
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    let body: string | Uint8Array<ArrayBuffer> | FormData | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.raw) {
      if (options.raw.contentType) headers['content-type'] = options.raw.contentType;
      const raw = options.raw.body;
      // A Buffer's memory is never shared; the view lets the DOM typings (the web app's tests) accept it too.
      body =
        typeof raw === 'string' || raw instanceof FormData
          ? raw
          : new Uint8Array(raw.buffer as ArrayBuffer, raw.byteOffset, raw.byteLength);
    }
    const response = await fetch(this.baseUrl + path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    if (response.headers.get('content-type')?.includes('application/json') && text) parsed = JSON.parse(text);
    assertErrorShape(method, path, response.status, parsed);
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  get<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>('POST', path, options);
  }
  put<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>('PUT', path, options);
  }
  patch<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>('PATCH', path, options);
  }
  delete<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }

  async login(username: string, password: string): Promise<string> {
    const response = await this.post<{ access_token: string }>('/api/auth/login', { form: { username, password } });
    if (response.status !== 200) throw new Error(`login as ${username} failed: ${response.status} ${response.text}`);
    return response.body.access_token;
  }
}

export const ADMIN = { username: 'admin', email: 'admin@farm.example', password: 'Adm1nPassword' } as const;
export const PASSWORD = 'Str0ngPassword';

/** Runs the setup wizard's first step and returns the admin's token. */
export async function setupAdmin(api: ApiClient, complete = true): Promise<string> {
  const response = await api.post<{ access_token: string }>('/api/setup/admin', { json: ADMIN });
  if (response.status !== 200) throw new Error(`setup failed: ${response.status} ${response.text}`);
  const token = response.body.access_token;
  if (complete) await api.post('/api/setup/complete', { token });
  return token;
}

/** Creates a user with the given role (as admin) and logs in as them. */
export async function userWithRole(
  api: ApiClient,
  adminToken: string,
  role: 'viewer' | 'operator' | 'admin',
  username = `${role}1`,
): Promise<{ id: number; token: string }> {
  const created = await api.post<{ id: number }>('/api/users', {
    token: adminToken,
    json: { username, email: `${username}@farm.example`, password: PASSWORD, role },
  });
  if (created.status !== 200) throw new Error(`create ${username} failed: ${created.status} ${created.text}`);
  return { id: created.body.id, token: await api.login(username, PASSWORD) };
}

export interface ServerWithAdmin {
  server: TestServer;
  api: ApiClient;
  adminToken: string;
}

/**
 * What most test files do first: start a server and run setup as the admin (`complete: false`
 * leaves setup open). Use as `({ server, api, adminToken } = await startWithAdmin())` in beforeAll.
 */
export async function startWithAdmin(options: TestServerOptions & { complete?: boolean } = {}): Promise<ServerWithAdmin> {
  const { complete = true, ...serverOptions } = options;
  const server = await startTestServer(serverOptions);
  const api = new ApiClient(server.url);
  return { server, api, adminToken: await setupAdmin(api, complete) };
}

/** startWithAdmin() plus an operator (operator1) and a viewer (viewer1), for tests of what each role may do. */
export async function startWithRoles(
  options: TestServerOptions & { complete?: boolean } = {},
): Promise<ServerWithAdmin & { operator: string; viewer: string }> {
  const started = await startWithAdmin(options);
  const { api, adminToken } = started;
  const operator = (await userWithRole(api, adminToken, 'operator')).token;
  const viewer = (await userWithRole(api, adminToken, 'viewer')).token;
  return { ...started, operator, viewer };
}
