import { type Static, type TSchema, Type } from 'typebox';
import { Compile } from 'typebox/compile';

import { HttpError } from '../../core/errors.js';
import { Nullable } from '../../core/http/nullable.js';

/**
 * Spoolman's REST API (v1), the parts ODIN uses. Every call has a deadline: a Spoolman that is
 * down or hangs is a 502 with words within a few seconds, never a request that waits forever.
 */
const Opt = <T extends TSchema>(schema: T) => Type.Optional(Nullable(schema));

export const SpoolmanFilamentSchema = Type.Object({
  id: Type.Integer(),
  name: Opt(Type.String()),
  vendor: Opt(Type.Object({ id: Type.Integer(), name: Type.String() })),
  material: Opt(Type.String()),
  price: Opt(Type.Number()),
  density: Opt(Type.Number()),
  diameter: Opt(Type.Number()),
  weight: Opt(Type.Number()),
  spool_weight: Opt(Type.Number()),
  color_hex: Opt(Type.String()),
  settings_extruder_temp: Opt(Type.Number()),
  settings_bed_temp: Opt(Type.Number()),
  comment: Opt(Type.String()),
});
export type SpoolmanFilament = Static<typeof SpoolmanFilamentSchema>;

export const SpoolmanSpoolSchema = Type.Object({
  id: Type.Integer(),
  filament: SpoolmanFilamentSchema,
  price: Opt(Type.Number()),
  initial_weight: Opt(Type.Number()),
  spool_weight: Opt(Type.Number()),
  remaining_weight: Opt(Type.Number()),
  used_weight: Opt(Type.Number()),
  location: Opt(Type.String()),
  lot_nr: Opt(Type.String()),
  comment: Opt(Type.String()),
  archived: Opt(Type.Boolean()),
  registered: Opt(Type.String()),
  first_used: Opt(Type.String()),
  last_used: Opt(Type.String()),
});
export type SpoolmanSpool = Static<typeof SpoolmanSpoolSchema>;

const FilamentList = Compile(Type.Array(SpoolmanFilamentSchema));
const SpoolList = Compile(Type.Array(SpoolmanSpoolSchema));
const Info = Compile(Type.Object({ version: Type.Optional(Type.String()) }));

export const SPOOLMAN_TIMEOUT_MS = 4000;

function unreachable(detail: string): HttpError {
  return new HttpError(502, 'spoolman_unreachable', detail);
}

export class SpoolmanClient {
  readonly #base: string;

  constructor(
    baseUrl: string,
    private readonly timeoutMs = SPOOLMAN_TIMEOUT_MS,
  ) {
    this.#base = baseUrl.replace(/\/+$/, '');
  }

  async info(): Promise<{ version: string | null }> {
    const body = await this.#request('GET', '/api/v1/info');
    if (!Info.Check(body)) throw unreachable(`${this.#base} answered /api/v1/info with something that is not Spoolman`);
    return { version: body.version ?? null };
  }

  async filaments(): Promise<SpoolmanFilament[]> {
    const body = await this.#request('GET', '/api/v1/filament');
    if (!FilamentList.Check(body)) throw unreachable('Spoolman answered /api/v1/filament with an unexpected shape');
    return body;
  }

  async spools(): Promise<SpoolmanSpool[]> {
    const body = await this.#request('GET', '/api/v1/spool');
    if (!SpoolList.Check(body)) throw unreachable('Spoolman answered /api/v1/spool with an unexpected shape');
    return body;
  }

  /** Tells Spoolman that grams were drawn from one of its spools. */
  async use(spoolId: number, grams: number): Promise<void> {
    await this.#request('PUT', `/api/v1/spool/${spoolId}/use`, { use_weight: grams });
  }

  async #request(method: 'GET' | 'PUT', path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(this.#base + path, {
        method,
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      const cause =
        err instanceof Error && err.cause instanceof Error ? err.cause.message : err instanceof Error ? err.message : String(err);
      throw unreachable(
        timedOut
          ? `Spoolman at ${this.#base} did not answer within ${this.timeoutMs / 1000} s`
          : `Spoolman at ${this.#base} cannot be reached: ${cause}`,
      );
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw unreachable(`Spoolman answered ${method} ${path} with HTTP ${response.status}`);
    try {
      return text === '' ? null : (JSON.parse(text) as unknown);
    } catch {
      throw unreachable(`Spoolman answered ${method} ${path} with something that is not JSON`);
    }
  }
}
