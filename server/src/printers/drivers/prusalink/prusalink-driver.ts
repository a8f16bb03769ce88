import {
  type ConnectionTestResult,
  type DriverCommand,
  type DriverListener,
  type DriverOptions,
  PrinterCommandError,
  type PrinterConnection,
  type PrinterDriver,
  UnsupportedCommandError,
  type UploadOptions,
} from '../../driver.js';
import { foldState, type PrinterState } from '../../state.js';
import { type HttpRequest, type HttpResponse, PrusaLinkHttp, RequestFailure } from './http-client.js';
import { parseErrorBody, parseInfo, parseJob, parseJson, parseStatus, parseVersion, type PrusaLinkStatus, storageKey } from './messages.js';
import { jobDetails, normaliseStatus, type PrusaLinkJobDetails } from './normalise.js';

/**
 * PrusaLink (Buddy firmware and the Raspberry-Pi PrusaLink): there is no push channel, so a session
 * polls GET /api/v1/status every pollIntervalMs and reads GET /api/v1/job only when the job changes
 * (for the file name and the job id every control call needs).
 */
const PROTOCOL = 'PrusaLink';
const DEFAULT_POLL_MS = 2000;
const DEFAULT_TIMEOUT_MS = 10_000;
/** Consecutive failed polls after which the session is reported lost. */
const MAX_FAILED_POLLS = 3;

export const PRUSALINK_CREDENTIALS_REFUSED = 'PrusaLink refused the credentials (HTTP 401)';

/** A status or job body that could not be read; logged and dropped, it neither counts as a failure nor as a success. */
class MalformedBody extends Error {
  override name = 'MalformedBody';
}

interface Session {
  listener: DriverListener;
  ended: boolean;
  timer: NodeJS.Timeout | null;
  polling: boolean;
  failures: number;
  /** What the listener has been told (offline until the first emission). */
  emitted: PrinterState | null;
  /** The job id (or 'none') the details below belong to; undefined until the first /api/v1/job read. */
  jobKey: string | undefined;
  job: PrusaLinkJobDetails | null;
}

export class PrusaLinkDriver implements PrinterDriver {
  readonly apiType = 'prusalink' as const;
  readonly supports: ReadonlySet<DriverCommand> = new Set<DriverCommand>(['pause', 'resume', 'stop', 'startFile', 'upload']);

  readonly #options: DriverOptions;
  readonly #pollMs: number;
  readonly #http: PrusaLinkHttp;
  #session: Session | null = null;
  /** The current job id as last seen in a status (null: no job). */
  #jobId: number | null = null;
  /** Storage URL segments from the last status: the writable one first. */
  #storages: string[] = [];

  constructor(connection: PrinterConnection, options: DriverOptions) {
    this.#options = options;
    this.#pollMs = options.pollIntervalMs ?? DEFAULT_POLL_MS;
    this.#http = new PrusaLinkHttp(connection, options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  async connect(listener: DriverListener): Promise<void> {
    await this.close();
    const session: Session = {
      listener,
      ended: false,
      timer: null,
      polling: false,
      failures: 0,
      emitted: null,
      jobKey: undefined,
      job: null,
    };
    this.#session = session;
    try {
      const version = parseVersion(await this.#readJson('/api/version'));
      if (!version) throw new Error(`${this.#http.address} answered /api/version with something that is not PrusaLink's JSON`);
      this.#assertLive(session);
      const info = parseInfo(await this.#readJson('/api/v1/info'));
      this.#assertLive(session);
      this.#options.logger.info(
        {
          host: this.#http.address,
          hostname: info?.hostname ?? version.hostname,
          server: version.server ?? version.version,
          firmware: version.firmware,
          serial: info?.serial,
        },
        'PrusaLink connected',
      );
      session.polling = true;
      try {
        await this.#poll(session);
      } catch (err) {
        if (err instanceof MalformedBody) {
          throw new Error(`${this.#http.address} answered /api/v1/status with a malformed body`, { cause: err });
        }
        throw err;
      } finally {
        session.polling = false;
      }
      this.#assertLive(session);
      this.#schedule(session, this.#pollMs);
    } catch (err) {
      session.ended = true;
      if (this.#session === session) this.#session = null;
      throw err instanceof Error ? new Error(err.message, { cause: err }) : new Error(String(err));
    }
  }

  close(): Promise<void> {
    const session = this.#session;
    this.#session = null;
    if (session) {
      session.ended = true;
      if (session.timer) clearTimeout(session.timer);
      session.timer = null;
    }
    this.#http.close();
    return Promise.resolve();
  }

  // ---- commands -------------------------------------------------------------------------------

  pause(): Promise<void> {
    return this.#jobCommand('pause');
  }

  resume(): Promise<void> {
    return this.#jobCommand('resume');
  }

  stop(): Promise<void> {
    return this.#jobCommand('stop');
  }

  async startFile(path: string): Promise<void> {
    const { storage, file } = await this.#locate(path);
    const res = await this.#command(
      { method: 'POST', path: `/api/v1/files/${encodeURIComponent(storage)}/${encodePath(file)}` },
      'start the print',
    );
    if (res.status === 404) throw new PrinterCommandError(`The printer has no file ${file} on its ${storage} storage`, 404);
    this.#expectSuccess(res, 'start the print', 'the printer is busy with another job');
    this.#pollSoon();
  }

  async upload(fileName: string, data: Buffer, options: UploadOptions): Promise<void> {
    const { storage, file } = await this.#locate(fileName);
    if (file === '') throw new PrinterCommandError('The file needs a name', 400);
    const res = await this.#command(
      {
        method: 'PUT',
        path: `/api/v1/files/${encodeURIComponent(storage)}/${encodePath(file)}`,
        headers: {
          'Content-Type': 'application/octet-stream',
          // RFC 8941 booleans: the Pi PrusaLink takes only the exact "?1" as true.
          Overwrite: '?1',
          'Print-After-Upload': options.startPrint ? '?1' : '?0',
        },
        body: data,
        idleTimeout: true,
      },
      `upload ${file}`,
    );
    if (res.status === 404) throw new PrinterCommandError(`The printer has no ${storage} storage to upload to`, 404);
    this.#expectSuccess(
      res,
      `upload ${file}`,
      options.startPrint ? 'the printer is busy or the file is being printed' : 'the file is being printed',
    );
    if (options.startPrint) this.#pollSoon();
  }

  emergencyStop(): Promise<void> {
    return Promise.reject(new UnsupportedCommandError('emergencyStop', PROTOCOL));
  }

  setLight(_on: boolean): Promise<void> {
    return Promise.reject(new UnsupportedCommandError('setLight', PROTOCOL));
  }

  sendGcode(_script: string): Promise<void> {
    return Promise.reject(new UnsupportedCommandError('sendGcode', PROTOCOL));
  }

  setTemperatures(_targets: { nozzle?: number; bed?: number }): Promise<void> {
    return Promise.reject(new UnsupportedCommandError('setTemperatures', PROTOCOL));
  }

  // ---- session --------------------------------------------------------------------------------

  #assertLive(session: Session): void {
    if (session.ended) throw new Error('The connection was closed while it was being set up');
  }

  #schedule(session: Session, delay: number): void {
    if (session.ended) return;
    if (session.timer) clearTimeout(session.timer);
    session.timer = setTimeout(() => void this.#tick(session), delay);
    session.timer.unref();
  }

  async #tick(session: Session): Promise<void> {
    session.timer = null;
    if (session.ended || session.polling) return;
    const started = Date.now();
    session.polling = true;
    try {
      await this.#poll(session);
      session.failures = 0;
    } catch (err) {
      if (session.ended) return;
      if (err instanceof MalformedBody) {
        this.#options.logger.warn({ host: this.#http.address, err: err.message }, 'PrusaLink sent a malformed answer; dropped');
      } else {
        session.failures++;
        const reason = err instanceof Error ? err.message : String(err);
        this.#options.logger.warn({ host: this.#http.address, failures: session.failures, err: reason }, 'PrusaLink poll failed');
        if (session.failures >= MAX_FAILED_POLLS) {
          this.#lose(session, `${MAX_FAILED_POLLS} polls in a row failed; last: ${reason}`);
          return;
        }
      }
    } finally {
      session.polling = false;
    }
    this.#schedule(session, Math.max(0, this.#pollMs - (Date.now() - started)));
  }

  /** Polls now instead of at the next tick, so a command's effect shows at once. */
  #pollSoon(): void {
    const session = this.#session;
    if (session && !session.ended && !session.polling) this.#schedule(session, 0);
  }

  #lose(session: Session, reason: string): void {
    session.ended = true;
    if (session.timer) clearTimeout(session.timer);
    session.timer = null;
    if (this.#session === session) this.#session = null;
    try {
      session.listener.onDisconnect(reason);
    } catch (err) {
      this.#options.logger.error({ err }, 'PrusaLink onDisconnect listener threw');
    }
  }

  /** One status poll (and a job read when the job changed), emitted as a patch. Throws on failure. */
  async #poll(session: Session): Promise<void> {
    const status = await this.#readStatus();
    if (session.ended) return;
    const key = status.job ? String(status.job.id ?? 'unknown') : 'none';
    if (key !== session.jobKey) {
      try {
        session.job = key === 'none' && session.jobKey !== undefined ? null : await this.#readJob();
        session.jobKey = key;
      } catch (err) {
        // The status itself was fine: show it without the file name and read the job again next time.
        session.job = null;
        this.#options.logger.warn(
          { host: this.#http.address, err: err instanceof Error ? err.message : String(err) },
          'PrusaLink job read failed',
        );
      }
      if (session.ended) return;
      if (status.job?.id === undefined && session.job?.id != null) this.#jobId = session.job.id;
    }
    this.#emit(session, normaliseStatus(status, session.job));
  }

  #emit(session: Session, next: PrinterState): void {
    const { state, patch } = foldState(session.emitted, next);
    session.emitted = state;
    try {
      // An unchanged status still proves the printer is there (the supervisor's silence watchdog).
      if (!patch) {
        session.listener.onAlive?.();
        return;
      }
      session.listener.onState(patch);
    } catch (err) {
      this.#options.logger.error({ err }, 'PrusaLink onState listener threw');
    }
  }

  /** GET /api/v1/status, parsed; remembers the job id and the storages. */
  async #readStatus(): Promise<PrusaLinkStatus> {
    const res = await this.#http.request({ method: 'GET', path: '/api/v1/status' });
    this.#expectOk(res, '/api/v1/status');
    const status = parseStatus(parseJson(res.body));
    if (!status) throw new MalformedBody(`${this.#http.address} answered /api/v1/status with a malformed body`);
    this.#jobId = status.job?.id ?? null;
    const writable = status.storage.filter((s) => s.read_only !== true);
    const keys = [...writable, ...status.storage.filter((s) => s.read_only === true)]
      .map(storageKey)
      .filter((k): k is string => k !== null);
    if (keys.length > 0) this.#storages = keys;
    return status;
  }

  /** GET /api/v1/job: null on 204 (no job). */
  async #readJob(): Promise<PrusaLinkJobDetails | null> {
    const res = await this.#http.request({ method: 'GET', path: '/api/v1/job' });
    if (res.status === 204) return null;
    this.#expectOk(res, '/api/v1/job');
    const job = parseJob(parseJson(res.body));
    if (!job) throw new MalformedBody(`${this.#http.address} answered /api/v1/job with a malformed body`);
    return jobDetails(job);
  }

  /** A GET that must answer 200 with JSON; used while connecting. */
  async #readJson(path: string): Promise<unknown> {
    const res = await this.#http.request({ method: 'GET', path });
    this.#expectOk(res, path);
    const json = parseJson(res.body);
    if (json === undefined) throw new Error(`${this.#http.address} answered ${path} with a malformed body`);
    return json;
  }

  #expectOk(res: HttpResponse, path: string): void {
    if (res.status === 200) return;
    if (res.status === 401) throw new Error(PRUSALINK_CREDENTIALS_REFUSED);
    throw new Error(`PrusaLink answered HTTP ${res.status} to ${path}${detailOf(res)}`);
  }

  // ---- command helpers ------------------------------------------------------------------------

  async #jobCommand(action: 'pause' | 'resume' | 'stop'): Promise<void> {
    const what = action === 'stop' ? 'stop the print' : `${action} the print`;
    let id = this.#jobId ?? (await this.#refresh()).job?.id ?? null;
    if (id === null) throw new PrinterCommandError('No print job is running', 409);
    const send = (jobId: number): Promise<HttpResponse> =>
      this.#command(
        { method: action === 'stop' ? 'DELETE' : 'PUT', path: `/api/v1/job/${jobId}${action === 'stop' ? '' : `/${action}`}` },
        what,
      );
    let res = await send(id);
    if (res.status === 404) {
      // The job we knew has ended; act on the one running now, if any.
      const current = (await this.#refresh()).job?.id ?? null;
      if (current === null) throw new PrinterCommandError('No print job is running', 409);
      if (current !== id) res = await send((id = current));
      if (res.status === 404) throw new PrinterCommandError(`The printer no longer knows print job ${id}`, 409);
    }
    const reason =
      action === 'pause'
        ? 'the printer is not printing'
        : action === 'resume'
          ? 'the print is not paused'
          : 'there is no print to stop in this state';
    this.#expectSuccess(res, what, reason);
    this.#pollSoon();
  }

  /** A fresh status for a command (job id, storage) when the last poll did not tell enough. */
  async #refresh(): Promise<PrusaLinkStatus> {
    try {
      return await this.#readStatus();
    } catch (err) {
      if (err instanceof RequestFailure) throw commandFailure(err);
      throw new PrinterCommandError(err instanceof Error ? err.message : String(err), 502);
    }
  }

  /** Splits "usb/dir/a.gcode" or "/local/a.gcode" into a known storage and the rest; else the writable storage. */
  async #locate(path: string): Promise<{ storage: string; file: string }> {
    if (this.#storages.length === 0) await this.#refresh();
    const parts = path.split('/').filter((p) => p !== '');
    const first = parts[0];
    if (first !== undefined && parts.length > 1 && this.#storages.includes(first))
      return { storage: first, file: parts.slice(1).join('/') };
    const storage = this.#storages[0];
    if (storage === undefined) throw new PrinterCommandError('The printer reported no storage to use', 409);
    return { storage, file: parts.join('/') };
  }

  async #command(req: HttpRequest, what: string): Promise<HttpResponse> {
    let res: HttpResponse;
    try {
      res = await this.#http.request(req);
    } catch (err) {
      if (err instanceof RequestFailure) throw commandFailure(err);
      throw new PrinterCommandError(`Could not ${what}: ${err instanceof Error ? err.message : String(err)}`, 502);
    }
    if (res.status === 401) throw new PrinterCommandError(PRUSALINK_CREDENTIALS_REFUSED, 502);
    return res;
  }

  #expectSuccess(res: HttpResponse, what: string, conflict: string): void {
    if (res.status >= 200 && res.status < 300) return;
    const detail = detailOf(res);
    if (res.status === 409) throw new PrinterCommandError(`The printer refused to ${what}: ${conflict}${detail}`, 409);
    throw new PrinterCommandError(`The printer could not ${what} (HTTP ${res.status})${detail}`, 502);
  }
}

function commandFailure(err: RequestFailure): PrinterCommandError {
  return new PrinterCommandError(err.message, err.kind === 'timeout' ? 504 : 502);
}

/** " (title: text)" from an error body, or "". */
function detailOf(res: HttpResponse): string {
  const body = parseErrorBody(res.body);
  if (!body) return '';
  const words = [body.title, body.text].filter((w): w is string => Boolean(w)).join(': ');
  return words ? ` (${words})` : '';
}

function encodePath(path: string): string {
  return path
    .split('/')
    .filter((p) => p !== '')
    .map(encodeURIComponent)
    .join('/');
}

/** Checks that the printer answers as PrusaLink with these credentials, and what it says about itself. */
export async function testPrusaLinkConnection(connection: PrinterConnection, options: DriverOptions): Promise<ConnectionTestResult> {
  const http = new PrusaLinkHttp(connection, options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS);
  const refused = 'PrusaLink refused the credentials (check the API key or the digest user/password)';
  try {
    const versionRes = await http.request({ method: 'GET', path: '/api/version' });
    if (versionRes.status === 401) return { ok: false, message: refused };
    if (versionRes.status !== 200) {
      return { ok: false, message: `${http.address} answered HTTP ${versionRes.status} to /api/version — is this a PrusaLink printer?` };
    }
    const version = parseVersion(parseJson(versionRes.body));
    if (!version) return { ok: false, message: `${http.address} answered /api/version, but not with PrusaLink's JSON` };
    const infoRes = await http.request({ method: 'GET', path: '/api/v1/info' });
    if (infoRes.status === 401) return { ok: false, message: refused };
    if (infoRes.status !== 200) {
      return {
        ok: false,
        message: `PrusaLink answered HTTP ${infoRes.status} to /api/v1/info — the firmware may be too old for the v1 API`,
      };
    }
    const info = parseInfo(parseJson(infoRes.body)) ?? {};
    const hostname = info.hostname ?? version.hostname ?? null;
    const server = version.server ?? version.version ?? null;
    const name = [version.text ?? 'PrusaLink', server].filter(Boolean).join(' ');
    return {
      ok: true,
      message: `Connected to ${name}${hostname ? ` on ${hostname}` : ''}${info.serial ? ` (serial ${info.serial})` : ''}`,
      info: {
        hostname,
        name: info.name ?? null,
        api_version: version.api ?? null,
        server_version: server,
        firmware_version: version.firmware ?? null,
        serial: info.serial ?? null,
        nozzle_diameter: info.nozzle_diameter ?? null,
        mmu: info.mmu ?? null,
      },
    };
  } catch (err) {
    if (err instanceof RequestFailure) return { ok: false, message: err.message };
    return { ok: false, message: `Could not test ${http.address}: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    http.close();
  }
}
