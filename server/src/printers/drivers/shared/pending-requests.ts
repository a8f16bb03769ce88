/** No reply to a request within the time limit. */
export class NoReplyError extends Error {
  constructor(readonly request: string) {
    super(`no reply to ${request}`);
    this.name = 'NoReplyError';
  }
}

/** The connection ended (or could not carry the request) with the request still waiting. */
export class RequestClosedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RequestClosedError';
  }
}

interface Waiting<Meta, Result> {
  meta: Meta;
  resolve: (result: Result) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Requests sent over a socket and waiting for the reply that carries their id (JSON-RPC ids for
 * Moonraker, RequestIDs for SDCP): each one rejects with NoReplyError after its time limit, and
 * all of them with RequestClosedError when the socket goes.
 */
export class PendingRequests<Id, Meta, Result> {
  readonly #waiting = new Map<Id, Waiting<Meta, Result>>();

  /** Registers a request before it is sent; `request` names it in the NoReplyError. */
  wait(id: Id, meta: Meta, request: string, timeoutMs: number): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new NoReplyError(request));
      }, timeoutMs);
      this.#waiting.set(id, { meta, resolve, reject, timer });
    });
  }

  /** The request a reply answers, no longer waiting (undefined: none, or it timed out). */
  take(id: Id): Pick<Waiting<Meta, Result>, 'meta' | 'resolve' | 'reject'> | undefined {
    const waiting = this.#waiting.get(id);
    if (!waiting) return undefined;
    clearTimeout(waiting.timer);
    this.#waiting.delete(id);
    return waiting;
  }

  /** Sending failed: the request rejects at once, if it is still waiting. */
  fail(id: Id, reason: string): void {
    this.take(id)?.reject(new RequestClosedError(reason));
  }

  /** The socket closed: every waiting request rejects. */
  failAll(reason: string): void {
    for (const id of [...this.#waiting.keys()]) this.fail(id, reason);
  }
}
