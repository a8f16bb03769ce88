/**
 * The printer's implicit-FTPS server (protocols.md §1.4): TLS from the first byte (port 990 on a
 * real printer), user `bblp` / the access code, `PBSZ 0`, `PROT P`, passive mode only, and passive
 * data connections in TLS too. With `requireSessionReuse` a data connection whose TLS session does
 * not resume a session this server issued is refused (425), as P1/A1 printers do; a client has to
 * pass the control connection's session when it opens the data connection.
 *
 * Uploads are hashed and counted, not kept (see FileStore). The end of an upload is the client's
 * FIN: the server does not wait for a TLS close_notify (a real printer doesn't either), it
 * destroys the data socket and answers 226.
 *
 * Written here rather than taken from a library: no FTP server library enforces session reuse,
 * and the subset a printer speaks is small.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { posix } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';

import { destroyAll, listen, trackConnections } from '../net.js';
import { FileStore } from './file-store.js';

export interface FtpsServerOptions {
  host: string;
  /** 0 = ephemeral. */
  port: number;
  key: string;
  cert: string;
  files: FileStore;
  /** Read at every login, so the access code can change while running. */
  accessCode: () => string;
  requireSessionReuse: boolean;
  /** X1: NLST answers with full paths; P1: with bare names. */
  nlstFullPaths: boolean;
  /** Faults, read when they matter. */
  refusing: () => boolean;
  stalled: () => boolean;
  failMidTransfer: () => boolean;
  /** How long a passive port waits for the client's data connection (default 10 s). */
  dataTimeoutMs?: number;
}

const MAX_LINE = 8192;

const FEATURES = ['EPSV', 'PASV', 'PBSZ', 'PROT', 'SIZE', 'UTF8'];

export class FtpsServer {
  readonly #options: FtpsServerOptions;
  /** Shared by the control server and every passive data server, so a ticket issued on one resumes on the other. */
  readonly #ticketKeys = randomBytes(48);
  readonly #sessions = new Set<FtpSession>();
  readonly #rawSockets = new Set<Socket>();
  #server: TlsServer | null = null;
  #port = 0;

  constructor(options: FtpsServerOptions) {
    this.#options = options;
  }

  get port(): number {
    return this.#port;
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  async start(): Promise<void> {
    if (this.#server) return;
    const server = createTlsServer({ key: this.#options.key, cert: this.#options.cert, ticketKeys: this.#ticketKeys });
    trackConnections(server, this.#rawSockets, this.#options.refusing);
    server.on('secureConnection', (socket: TLSSocket) => {
      const session = new FtpSession(this, this.#options, socket);
      this.#sessions.add(session);
      socket.on('close', () => {
        this.#sessions.delete(session);
        session.dispose();
      });
    });
    server.on('tlsClientError', () => undefined); // a client that fails verification just goes away
    this.#port = await listen(server, this.#options.port, this.#options.host);
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    this.dropConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Destroys every control and data connection (no replies, no close_notify). */
  dropConnections(): void {
    for (const session of this.#sessions) session.destroy();
    destroyAll(this.#rawSockets);
  }

  /** A passive data listener with this server's certificate and ticket keys. */
  createDataServer(): TlsServer {
    return createTlsServer({ key: this.#options.key, cert: this.#options.cert, ticketKeys: this.#ticketKeys });
  }
}

/** One passive port: accepts a single TLS data connection, then stops listening. */
class PassiveChannel {
  readonly connection: Promise<TLSSocket | null>;
  #socket: TLSSocket | null = null;
  #server: TlsServer;
  #timer: NodeJS.Timeout | null = null;

  private constructor(server: TlsServer, timeoutMs: number) {
    this.#server = server;
    this.connection = new Promise<TLSSocket | null>((resolve) => {
      server.once('secureConnection', (socket: TLSSocket) => {
        this.#socket = socket;
        socket.on('error', () => undefined);
        this.#closeServer();
        resolve(socket);
      });
      server.on('tlsClientError', () => {
        this.#closeServer();
        resolve(null);
      });
      this.#timer = setTimeout(() => {
        this.#closeServer();
        resolve(null);
      }, timeoutMs);
      this.#timer.unref();
    });
  }

  static async open(owner: FtpsServer, host: string, timeoutMs: number): Promise<{ channel: PassiveChannel; port: number }> {
    const server = owner.createDataServer();
    const channel = new PassiveChannel(server, timeoutMs);
    return { channel, port: await listen(server, 0, host) };
  }

  close(): void {
    this.#closeServer();
    this.#socket?.destroy();
  }

  #closeServer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#server.listening) this.#server.close();
  }
}

class FtpSession {
  readonly #owner: FtpsServer;
  readonly #options: FtpsServerOptions;
  readonly #socket: TLSSocket;
  #buffer = '';
  #user: string | null = null;
  #loggedIn = false;
  #cwd = '/';
  #protected = false;
  #passive: PassiveChannel | null = null;
  /** The data connection of the transfer in progress. */
  #data: TLSSocket | null = null;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(owner: FtpsServer, options: FtpsServerOptions, socket: TLSSocket) {
    this.#owner = owner;
    this.#options = options;
    this.#socket = socket;
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: string) => this.#onData(chunk));
    this.#reply(220, 'Service ready for new user.');
  }

  dispose(): void {
    this.#closed = true;
    this.#passive?.close();
    this.#passive = null;
    this.#data?.destroy();
    this.#data = null;
  }

  destroy(): void {
    this.dispose();
    this.#socket.destroy();
  }

  #onData(chunk: string): void {
    if (this.#options.stalled()) return; // a hung printer reads and never answers
    this.#buffer += chunk;
    for (;;) {
      const end = this.#buffer.indexOf('\n');
      if (end < 0) break;
      const line = this.#buffer.slice(0, end).replace(/\r$/, '');
      this.#buffer = this.#buffer.slice(end + 1);
      this.#queue = this.#queue.then(() => this.#command(line)).catch(() => this.destroy());
    }
    if (this.#buffer.length > MAX_LINE) {
      this.#reply(500, 'Command line too long.');
      this.#socket.end();
      this.#buffer = '';
    }
  }

  #reply(code: number, text: string): void {
    if (!this.#closed && !this.#socket.destroyed) this.#socket.write(`${code} ${text}\r\n`);
  }

  async #command(line: string): Promise<void> {
    if (this.#closed || this.#options.stalled()) return;
    const space = line.indexOf(' ');
    const verb = (space < 0 ? line : line.slice(0, space)).toUpperCase();
    const arg = space < 0 ? '' : line.slice(space + 1).trim();
    const open = ['USER', 'PASS', 'QUIT', 'FEAT', 'SYST', 'NOOP', 'PBSZ', 'PROT', 'OPTS', 'AUTH'];
    if (!this.#loggedIn && !open.includes(verb)) return this.#reply(530, 'Please login with USER and PASS.');
    switch (verb) {
      case 'USER':
        this.#user = arg;
        this.#loggedIn = false;
        return this.#reply(331, 'Please specify the password.');
      case 'PASS':
        if (this.#user === 'bblp' && arg === this.#options.accessCode()) {
          this.#loggedIn = true;
          return this.#reply(230, 'Login successful.');
        }
        return this.#reply(530, 'Login incorrect.');
      case 'AUTH':
        return this.#reply(534, 'Already in TLS (implicit FTPS).');
      case 'PBSZ':
        return this.#reply(200, 'PBSZ=0');
      case 'PROT':
        if (arg.toUpperCase() === 'P') {
          this.#protected = true;
          return this.#reply(200, 'PROT now Private.');
        }
        return this.#reply(536, 'PROT P required.');
      case 'TYPE':
        return this.#reply(200, arg.toUpperCase().startsWith('A') ? 'Switching to ASCII mode.' : 'Switching to Binary mode.');
      case 'STRU':
        return arg.toUpperCase() === 'F' ? this.#reply(200, 'Structure set to F.') : this.#reply(504, 'Bad STRU command.');
      case 'MODE':
        return arg.toUpperCase() === 'S' ? this.#reply(200, 'Mode set to S.') : this.#reply(504, 'Bad MODE command.');
      case 'SYST':
        return this.#reply(215, 'UNIX Type: L8');
      case 'FEAT':
        this.#socket.write(`211-Features:\r\n${FEATURES.map((f) => ` ${f}\r\n`).join('')}211 End\r\n`);
        return;
      case 'OPTS':
        return arg.toUpperCase().startsWith('UTF8') ? this.#reply(200, 'Always in UTF8 mode.') : this.#reply(501, 'Option not understood.');
      case 'NOOP':
        return this.#reply(200, 'NOOP ok.');
      case 'PWD':
      case 'XPWD':
        return this.#reply(257, `"${this.#cwd}" is the current directory`);
      case 'CWD':
      case 'CDUP': {
        const target = FileStore.resolve(this.#cwd, verb === 'CDUP' ? '..' : arg || '/');
        if (!this.#options.files.isDir(target)) return this.#reply(550, 'Failed to change directory.');
        this.#cwd = target;
        return this.#reply(250, 'Directory successfully changed.');
      }
      case 'MKD': {
        const target = FileStore.resolve(this.#cwd, arg);
        return this.#options.files.mkdir(target)
          ? this.#reply(257, `"${target}" created`)
          : this.#reply(550, 'Create directory operation failed.');
      }
      case 'SIZE': {
        const file = this.#options.files.get(FileStore.resolve(this.#cwd, arg));
        return file ? this.#reply(213, String(file.size)) : this.#reply(550, 'Could not get file size.');
      }
      case 'DELE':
        return this.#options.files.delete(FileStore.resolve(this.#cwd, arg))
          ? this.#reply(250, 'Delete operation successful.')
          : this.#reply(550, 'Delete operation failed.');
      case 'PASV':
      case 'EPSV':
        return this.#openPassive(verb);
      case 'STOR':
        return this.#store(arg);
      case 'LIST':
      case 'NLST':
        return this.#list(verb, arg);
      case 'QUIT':
        this.#reply(221, 'Goodbye.');
        this.#socket.end();
        return;
      default:
        return this.#reply(502, 'Command not implemented.');
    }
  }

  async #openPassive(verb: 'PASV' | 'EPSV'): Promise<void> {
    this.#passive?.close();
    this.#passive = null;
    const local = (this.#socket.localAddress ?? '').replace(/^::ffff:/, '');
    if (verb === 'PASV' && !/^\d+\.\d+\.\d+\.\d+$/.test(local)) return this.#reply(425, 'PASV needs IPv4; use EPSV.');
    const { channel, port } = await PassiveChannel.open(this.#owner, this.#options.host, this.#options.dataTimeoutMs ?? 10_000);
    if (this.#closed) {
      channel.close();
      return;
    }
    this.#passive = channel;
    if (verb === 'EPSV') return this.#reply(229, `Entering Extended Passive Mode (|||${port}|).`);
    return this.#reply(227, `Entering Passive Mode (${local.split('.').join(',')},${port >> 8},${port & 0xff}).`);
  }

  /** The data connection for a transfer, or null after answering why there is none. */
  async #dataConnection(): Promise<TLSSocket | null> {
    const channel = this.#passive;
    this.#passive = null;
    if (!channel) {
      this.#reply(425, 'Use PASV or EPSV first.');
      return null;
    }
    if (!this.#protected) {
      channel.close();
      this.#reply(521, 'Data connections must be encrypted (PROT P).');
      return null;
    }
    const socket = await channel.connection;
    if (!socket) {
      channel.close();
      this.#reply(425, "Can't open data connection.");
      return null;
    }
    if (this.#options.requireSessionReuse && !socket.isSessionReused()) {
      channel.close();
      this.#reply(425, 'TLS session of data connection not resumed.');
      return null;
    }
    if (this.#closed) {
      channel.close();
      return null;
    }
    this.#data = socket;
    socket.once('close', () => {
      if (this.#data === socket) this.#data = null;
    });
    return socket;
  }

  async #store(arg: string): Promise<void> {
    if (!arg) return this.#reply(501, 'STOR needs a file name.');
    const path = FileStore.resolve(this.#cwd, arg);
    if (!this.#options.files.isDir(posix.dirname(path)) || this.#options.files.isDir(path)) {
      this.#passive?.close();
      this.#passive = null;
      return this.#reply(553, 'Could not create file.');
    }
    const data = await this.#dataConnection();
    if (!data) return;
    this.#reply(150, 'Ok to send data.');
    const cut = this.#options.failMidTransfer();
    const hash = createHash('md5');
    let size = 0;
    const ok = await new Promise<boolean>((resolve) => {
      data.on('data', (chunk: Buffer) => {
        size += chunk.length;
        hash.update(chunk);
        if (cut) {
          data.destroy();
          resolve(false);
        }
      });
      data.once('end', () => resolve(true));
      data.once('close', () => resolve(false));
    });
    // The upload ends with the client's FIN; like the printer, don't wait for close_notify.
    data.destroy();
    if (!ok) return this.#reply(426, 'Connection closed; transfer aborted.');
    this.#options.files.put({ path, size, md5: hash.digest('hex'), modified: new Date() });
    this.#reply(226, 'Transfer complete.');
  }

  async #list(verb: 'LIST' | 'NLST', arg: string): Promise<void> {
    const target = FileStore.resolve(
      this.#cwd,
      arg
        .split(/\s+/)
        .filter((a) => a && !a.startsWith('-'))
        .join(' ') || '.',
    );
    const files = this.#options.files;
    const single = files.get(target);
    if (!single && !files.isDir(target)) {
      this.#passive?.close();
      this.#passive = null;
      return this.#reply(550, 'Failed to open directory.');
    }
    const data = await this.#dataConnection();
    if (!data) return;
    this.#reply(150, 'Here comes the directory listing.');
    const entries = single ? [{ name: posix.basename(single.path), path: single.path, dir: false, file: single }] : files.list(target);
    const lines = entries.map((e) => {
      if (verb === 'NLST') return this.#options.nlstFullPaths ? e.path : e.name;
      const size = e.file?.size ?? 0;
      return `${e.dir ? 'drwxrwxrwx' : '-rw-rw-rw-'}    1 root     root     ${String(size).padStart(10)} ${lsDate(e.file?.modified ?? new Date())} ${e.name}`;
    });
    await new Promise<void>((resolve) => {
      data.end(lines.map((l) => `${l}\r\n`).join(''), () => resolve());
      data.once('close', () => resolve());
    });
    data.destroy();
    this.#reply(226, 'Directory send OK.');
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function lsDate(d: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()] ?? 'Jan'} ${String(d.getUTCDate()).padStart(2)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
