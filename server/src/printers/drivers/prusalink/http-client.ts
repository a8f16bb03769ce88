import { Agent, type ClientRequest, type IncomingHttpHeaders, request as httpRequest } from 'node:http';

import type { PrinterConnection } from '../../driver.js';
import { DigestAuth, parseDigestChallenge } from './digest.js';

/**
 * The HTTP side of one PrusaLink printer: keep-alive sockets, a time limit per request, and the
 * printer's authentication (X-Api-Key when a key is configured, otherwise Digest, answering a new
 * challenge transparently when the server says the nonce went stale).
 */
export const PRUSALINK_DEFAULT_PORT = 80;
const MAX_BODY = 4 * 1024 * 1024;

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Time out on inactivity instead of on total duration (uploads of large files). */
  idleTimeout?: boolean;
}

export type FailureKind = 'refused' | 'timeout' | 'unreachable' | 'reset' | 'closed' | 'network';

/** The request got no HTTP answer at all; the message is in words for the user. */
export class RequestFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RequestFailure';
  }
}

export class PrusaLinkHttp {
  readonly host: string;
  readonly port: number;
  /** "host:port" for messages. */
  readonly address: string;
  readonly #timeoutMs: number;
  readonly #apiKey: string | null;
  readonly #digest: DigestAuth | null;
  #agent = new Agent({ keepAlive: true, maxSockets: 2 });
  readonly #inFlight = new Set<ClientRequest>();

  constructor(connection: PrinterConnection, timeoutMs: number) {
    this.host = connection.host;
    this.port = connection.port ?? PRUSALINK_DEFAULT_PORT;
    this.address = `${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
    this.#timeoutMs = timeoutMs;
    this.#apiKey = connection.apiKey || null;
    this.#digest =
      this.#apiKey === null && connection.password ? new DigestAuth(connection.username || 'maker', connection.password) : null;
  }

  get timeoutMs(): number {
    return this.#timeoutMs;
  }

  /** Sends the request, answering a Digest challenge once when needed. Rejects only with a RequestFailure. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const sentDigest = this.#digest?.hasChallenge ?? false;
    const first = await this.#send(req);
    if (first.status !== 401 || !this.#digest) return first;
    const challenge = parseDigestChallenge(first.headers['www-authenticate']);
    if (!challenge) return first;
    this.#digest.setChallenge(challenge);
    // A first contact (no nonce yet) or a stale nonce: the credentials were not the problem, so try again.
    if (!sentDigest || challenge.stale) return this.#send(req);
    return first;
  }

  /** Aborts requests under way and drops the sockets; the client stays usable. */
  close(): void {
    for (const req of this.#inFlight) req.destroy(new RequestFailure('closed', 'The connection was closed'));
    this.#inFlight.clear();
    this.#agent.destroy();
    this.#agent = new Agent({ keepAlive: true, maxSockets: 2 });
  }

  async #send(req: HttpRequest, retried = false): Promise<HttpResponse> {
    try {
      return await this.#once(req);
    } catch (err) {
      // A kept-alive socket the printer had already closed: a GET is safe to send once more on a new one.
      if (
        !retried &&
        req.method === 'GET' &&
        err instanceof RequestFailure &&
        err.kind === 'reset' &&
        (err.cause as { reused?: boolean } | undefined)?.reused
      ) {
        return this.#send(req, true);
      }
      throw err;
    }
  }

  #once(req: HttpRequest): Promise<HttpResponse> {
    const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
    if (req.method !== 'GET') headers['Content-Length'] = String(req.body?.length ?? 0);
    if (this.#apiKey !== null) headers['X-Api-Key'] = this.#apiKey;
    else {
      const authorization = this.#digest?.authorization(req.method, req.path);
      if (authorization) headers['Authorization'] = authorization;
    }
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const timeoutFailure = (): RequestFailure =>
        new RequestFailure('timeout', `No answer from ${this.address} within ${formatSeconds(this.#timeoutMs)}`);
      const finish = (err: Error | null, res?: HttpResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#inFlight.delete(client);
        if (err) reject(err instanceof RequestFailure ? err : this.#classify(err, client.reusedSocket));
        else if (res) resolve(res);
      };
      const client = httpRequest({ host: this.host, port: this.port, method: req.method, path: req.path, headers, agent: this.#agent });
      this.#inFlight.add(client);
      const timer = req.idleTimeout ? undefined : setTimeout(() => client.destroy(timeoutFailure()), this.#timeoutMs);
      if (req.idleTimeout) client.setTimeout(this.#timeoutMs, () => client.destroy(timeoutFailure()));
      client.on('error', (err) => finish(err));
      client.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) {
            client.destroy(new RequestFailure('network', `${this.address} sent an answer larger than ${MAX_BODY} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (err) => finish(err));
        res.on('aborted', () => finish(new RequestFailure('reset', `${this.address} closed the connection in the middle of an answer`)));
        res.on('end', () => finish(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      client.end(req.body);
    });
  }

  #classify(err: Error, reused: boolean): RequestFailure {
    const code = (err as NodeJS.ErrnoException).code;
    const cause = Object.assign(err, { reused });
    switch (code) {
      case 'ECONNREFUSED':
        return new RequestFailure('refused', `Connection refused by ${this.address} — is the printer on and PrusaLink enabled?`, { cause });
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return new RequestFailure('unreachable', `Cannot resolve the printer's host name ${this.host}`, { cause });
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
      case 'EHOSTDOWN':
        return new RequestFailure('unreachable', `${this.address} is unreachable from this server`, { cause });
      case 'ECONNRESET':
      case 'EPIPE':
        return new RequestFailure('reset', `${this.address} closed the connection without an answer`, { cause });
      case 'ETIMEDOUT':
        return new RequestFailure('timeout', `No answer from ${this.address} within ${formatSeconds(this.#timeoutMs)}`, { cause });
      default:
        return new RequestFailure('network', `Could not talk to ${this.address}: ${err.message}`, { cause });
    }
  }
}

export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}
