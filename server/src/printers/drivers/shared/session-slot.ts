import { PrinterCommandError } from '../../driver.js';

interface Session {
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The one session a push driver holds: `open` closes the previous session before starting the
 * next (the supervisor may call connect() again after a disconnect), `close` is safe at any time.
 */
export class SessionSlot<S extends Session> {
  #session: S | null = null;

  get current(): S | null {
    return this.#session;
  }

  /** Resolves when the new session is up; rejects with the session's words when it is not. */
  async open(create: () => S): Promise<void> {
    await this.close();
    const session = create();
    this.#session = session;
    await session.start();
  }

  async close(): Promise<void> {
    const session = this.#session;
    this.#session = null;
    await session?.close();
  }

  /** The session, for a command; 503 when it is not live, so the API says "not connected". */
  live(this: SessionSlot<S & { readonly live: boolean }>, where: string): S {
    const session = this.#session;
    if (!session?.live) throw new PrinterCommandError(`Not connected to the printer at ${where}`, 503);
    return session;
  }
}
