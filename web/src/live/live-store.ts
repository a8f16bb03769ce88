import type { ResponseOf, Schemas } from '@/api/types';

/**
 * The live farm in the browser: one `/ws` connection, one entry per printer, updated by deltas.
 *
 * - Entries are replaced (never mutated) when they change, so a card that selects its own printer
 *   re-renders only when that printer changed.
 * - Notifications are batched to one per animation frame: 200 printers sending 1 delta/s cost a few
 *   renders per second, not 200.
 * - While the socket is down the store polls `GET /api/printers/live-status` and keeps reconnecting
 *   with backoff; after a reconnect it subscribes again to the topics it had.
 * - Printers come and go with the server's messages (snapshot, `printer_added`, `printer_removed`),
 *   which always carry the whole entry: the store never invents one, so a delta for a printer it
 *   does not hold (one just deleted) is dropped.
 *
 * The message types are generated from the server's schemas (modules/live/protocol.ts, published in
 * the OpenAPI document): a field renamed there breaks this file's type check.
 */
export type LiveServerMessage = Schemas['LiveServerMessage'];
export type LiveClientMessage = Schemas['LiveClientMessage'];
type MessageOf<T extends LiveServerMessage['type']> = Extract<LiveServerMessage, { type: T }>;

export type LivePrinter = ResponseOf<'/api/printers/live-status', 'get'>[number];
export type LiveStatus = 'connecting' | 'live' | 'polling' | 'closed';
export type JobEvent = MessageOf<'job_started' | 'job_update' | 'job_completed'>;
/** A printer added, edited, reordered or removed through the API. */
export type PrinterConfigEvent = MessageOf<'printer_added' | 'printer_updated' | 'printers_reordered' | 'printer_removed'>;
type SnapshotEntry = MessageOf<'printer_snapshot'>['data']['printers'][number];

export interface LiveStoreOptions {
  /** Token for the socket; null stops the store. */
  getToken(): string | null;
  /** Called when the server refuses the token (close 4401). */
  onUnauthorized?(): void;
  /** Builds the socket (tests pass their own URL); default: same host as the page. */
  socketUrl?(): string;
  fetchLiveStatus?(token: string): Promise<LivePrinter[]>;
  pollIntervalMs?: number;
  /**
   * How long an open socket may stay silent before the store also polls over HTTP (a proxy that
   * upgrades the connection and then passes nothing would otherwise leave the page waiting forever).
   */
  snapshotTimeoutMs?: number;
  /** Schedules a batched notification (tests use a microtask; the browser uses rAF). */
  schedule?(flush: () => void): void;
  WebSocketImpl?: typeof WebSocket;
}

const MAX_BACKOFF_MS = 15_000;
/** WebSocket.CONNECTING / OPEN, without touching the global (tests pass their own implementation). */
const CONNECTING = 0;
const OPEN = 1;
/** What the server follows for a connection that never subscribed. */
const DEFAULT_TOPICS = ['printers', 'jobs'];

/**
 * A socket entry as a store row. The protocol and the last-seen time come only with HTTP rows, so
 * an entry the socket brings first has them unknown (pages read both from the printer list anyway).
 */
function socketRow(entry: SnapshotEntry, current: LivePrinter | undefined): LivePrinter {
  return { api_type: null, last_seen: null, ...current, ...entry, name: entry.name ?? current?.name ?? '' };
}

/**
 * Closes a socket we no longer want. One still connecting is closed once it opens: closing it
 * mid-handshake makes the browser log an error (React's development double mount does exactly that).
 */
function closeQuietly(socket: WebSocket): void {
  socket.onmessage = null;
  if (socket.readyState === CONNECTING) socket.onopen = () => socket.close(1000);
  else socket.close(1000);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  // AMS units and HMS lists are small; comparing their JSON is cheaper than a generic deep-equal.
  return JSON.stringify(a) === JSON.stringify(b);
}

function defaultSocketUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws`;
}

async function defaultFetchLiveStatus(token: string): Promise<LivePrinter[]> {
  const response = await fetch('/api/printers/live-status', { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`live-status HTTP ${response.status}`);
  return (await response.json()) as LivePrinter[];
}

function defaultSchedule(flush: () => void): void {
  if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && document.visibilityState === 'visible') {
    requestAnimationFrame(flush);
  } else {
    setTimeout(flush, 50);
  }
}

export class LiveStore {
  // Changes land in #printers/#ids at once and are published (what readers see) on the next
  // flush, so printer(id), ids(), all() and hasSnapshot always describe one moment.
  #printers = new Map<number, LivePrinter>();
  #ids: number[] = [];
  #published = new Map<number, LivePrinter>();
  #publishedIds: number[] = [];
  #publishedHasSnapshot = false;
  #all: LivePrinter[] = [];
  #status: LiveStatus = 'closed';
  #topics: string[] | null = null;
  #socket: WebSocket | null = null;
  #attempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  #silenceTimer: ReturnType<typeof setTimeout> | null = null;
  #pollTimer: ReturnType<typeof setInterval> | null = null;
  #started = false;
  #hasSnapshot = false;

  #listeners = new Set<() => void>();
  #printerListeners = new Map<number, Set<() => void>>();
  #jobListeners = new Set<(event: JobEvent) => void>();
  #configListeners = new Set<(event: PrinterConfigEvent) => void>();
  #dirtyPrinters = new Set<number>();
  #dirtyFleet = false;
  #flushScheduled = false;

  constructor(private readonly options: LiveStoreOptions) {}

  // ---- reading (useSyncExternalStore-friendly: stable references until something changes) ----
  /** Changes at once (a stopped store is closed right away); notified with the next flush. */
  get status(): LiveStatus {
    return this.#status;
  }
  get hasSnapshot(): boolean {
    return this.#publishedHasSnapshot;
  }
  /** A printer as of the last notification (so it always agrees with all() and ids()). */
  printer(id: number): LivePrinter | undefined {
    return this.#published.get(id);
  }
  /** Every printer; a new array only when something changed since the last flush. */
  all(): LivePrinter[] {
    return this.#all;
  }
  ids(): number[] {
    return this.#publishedIds;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  subscribePrinter(id: number, listener: () => void): () => void {
    let set = this.#printerListeners.get(id);
    if (!set) this.#printerListeners.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#printerListeners.delete(id);
    };
  }
  onJob(listener: (event: JobEvent) => void): () => void {
    this.#jobListeners.add(listener);
    return () => this.#jobListeners.delete(listener);
  }
  /** Called after the store applied the change (so readers already see it). */
  onPrinterConfig(listener: (event: PrinterConfigEvent) => void): () => void {
    this.#configListeners.add(listener);
    return () => this.#configListeners.delete(listener);
  }

  // ---- lifecycle ----
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#connect();
  }

  stop(): void {
    this.#started = false;
    // A later start() is a first connection again ("connecting", short backoff), not a retry.
    this.#attempt = 0;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    this.#clearSilenceTimer();
    this.#stopPolling();
    const socket = this.#socket;
    this.#socket = null;
    if (socket) closeQuietly(socket);
    this.#setStatus('closed');
  }

  /** Hands a refreshed session token to the open socket, which stays open; reconnects read getToken(). */
  reauthenticate(token: string): void {
    if (this.#socket?.readyState === OPEN) this.#send({ type: 'auth', token });
  }

  /**
   * Follow only these topics (e.g. ["printer:3"]); null = the server's defaults (the whole fleet).
   * The server adds topics on every subscribe after the first, so topics dropped from the list are
   * unsubscribed explicitly; after a reconnect the current list is sent again.
   */
  setTopics(topics: string[] | null): void {
    const previous = this.#topics;
    this.#topics = topics ? [...topics] : null;
    if (this.#socket?.readyState !== OPEN) return;
    const wanted = topics ?? DEFAULT_TOPICS;
    const dropped = (previous ?? []).filter((topic) => !wanted.includes(topic));
    if (dropped.length) this.#send({ type: 'unsubscribe', topics: dropped });
    this.#send({ type: 'subscribe', topics: wanted });
  }

  /** Apply rows fetched over HTTP (initial page data or polling) as if they came from the socket. */
  applyRows(rows: LivePrinter[], replace = false): void {
    if (replace) {
      const seen = new Set(rows.map((row) => row.printer_id));
      for (const id of this.#printers.keys()) if (!seen.has(id)) this.#remove(id);
    }
    for (const row of rows) this.#put(row);
    this.#hasSnapshot = true;
    this.#dirtyFleet = true;
    this.#scheduleFlush();
  }

  // ---- socket ----
  #connect(): void {
    const token = this.options.getToken();
    if (!token || !this.#started) return;
    this.#setStatus(this.#attempt === 0 ? 'connecting' : this.#status);
    const url = `${(this.options.socketUrl ?? defaultSocketUrl)()}?token=${encodeURIComponent(token)}`;
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    let socket: WebSocket;
    try {
      socket = new Impl(url);
    } catch {
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') this.#handle(event.data);
    };
    socket.onopen = () => {
      this.#attempt = 0;
      this.#clearSilenceTimer();
      this.#silenceTimer = setTimeout(() => {
        this.#silenceTimer = null;
        if (this.#socket === socket) this.#startPolling();
      }, this.options.snapshotTimeoutMs ?? 10_000);
      if (this.#topics) this.#send({ type: 'subscribe', topics: this.#topics });
    };
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#clearSilenceTimer();
      if (event.code === 4401) {
        this.#started = false;
        this.#stopPolling();
        this.#setStatus('closed');
        this.options.onUnauthorized?.();
        return;
      }
      this.#scheduleReconnect();
    };
  }

  #clearSilenceTimer(): void {
    if (this.#silenceTimer) clearTimeout(this.#silenceTimer);
    this.#silenceTimer = null;
  }

  #scheduleReconnect(): void {
    if (!this.#started) return;
    this.#startPolling();
    const base = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.#attempt);
    this.#attempt += 1;
    const wait = base / 2 + Math.random() * (base / 2);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      this.#connect();
    }, wait);
  }

  #send(message: LiveClientMessage): void {
    try {
      this.#socket?.send(JSON.stringify(message));
    } catch {
      // the close handler reconnects
    }
  }

  #handle(raw: string): void {
    let message: LiveServerMessage;
    try {
      // The server's own messages: their shape is its schema, which these types are generated from.
      message = JSON.parse(raw) as LiveServerMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case 'printer_snapshot': {
        this.#clearSilenceTimer();
        const rows = message.data.printers;
        // The default snapshot is the whole fleet: printers missing from it are gone.
        if (!this.#topics) {
          const seen = new Set(rows.map((row) => row.printer_id));
          for (const id of [...this.#printers.keys()]) if (!seen.has(id)) this.#remove(id);
        }
        for (const row of rows) this.#put(socketRow(row, this.#printers.get(row.printer_id)));
        this.#hasSnapshot = true;
        this.#dirtyFleet = true;
        this.#stopPolling();
        this.#setStatus('live');
        break;
      }
      case 'printer_state':
      case 'printer_telemetry':
        this.#merge(message.data.printer_id, message.data.changes);
        break;
      case 'job_started':
      case 'job_update':
      case 'job_completed':
        for (const listener of this.#jobListeners) listener(message);
        break;
      case 'printer_added':
      case 'printer_updated':
      case 'printers_reordered':
      case 'printer_removed':
        this.#applyConfig(message);
        for (const listener of this.#configListeners) listener(message);
        break;
      default:
        break;
    }
    this.#scheduleFlush();
  }

  #applyConfig(event: PrinterConfigEvent): void {
    switch (event.type) {
      case 'printer_added': {
        const { printer_id, printer, state } = event.data;
        const current = this.#printers.get(printer_id);
        this.#put({ ...state, printer_id, name: printer.name, api_type: printer.api_type, last_seen: current?.last_seen ?? null });
        break;
      }
      case 'printer_updated': {
        const { printer_id, changes } = event.data;
        // The entry mirrors only these two; the rest of the listing is the printer list's (refetched).
        this.#merge(printer_id, { name: changes.name, api_type: changes.api_type });
        break;
      }
      case 'printers_reordered':
        this.#reorder(event.data.printer_ids);
        break;
      case 'printer_removed':
        if (this.#printers.has(event.data.printer_id)) this.#remove(event.data.printer_id);
        break;
    }
  }

  /** A complete row (HTTP, snapshot, added): a new entry, or merged into the one held. */
  #put(row: LivePrinter): void {
    const id = row.printer_id;
    if (this.#printers.has(id)) {
      this.#merge(id, row);
      return;
    }
    this.#printers.set(id, row);
    this.#ids = [...this.#ids, id];
    this.#dirtyPrinters.add(id);
    this.#dirtyFleet = true;
  }

  /** Changes to an entry the store holds; nothing for one it does not (deleted, or never announced). */
  #merge(id: number, changes: Partial<LivePrinter>): void {
    const current = this.#printers.get(id);
    if (!current) return;
    // Only what really differs replaces the entry: a poll or a re-sent snapshot that repeats the
    // known state keeps every entry (and so every card) as it was.
    let next: LivePrinter | null = null;
    for (const [key, value] of Object.entries(changes) as [keyof LivePrinter, unknown][]) {
      if (value === undefined || sameValue(current[key], value)) continue;
      next ??= { ...current };
      (next as Record<keyof LivePrinter, unknown>)[key] = value;
    }
    if (!next) return;
    this.#printers.set(id, next);
    this.#dirtyPrinters.add(id);
    this.#dirtyFleet = true;
  }

  /** The ids in the given order; ids not named keep their order after them. */
  #reorder(order: readonly number[]): void {
    const rank = new Map(order.map((id, index) => [id, index]));
    const last = order.length;
    const ids = [...this.#ids].sort((a, b) => (rank.get(a) ?? last) - (rank.get(b) ?? last));
    if (ids.every((id, index) => id === this.#ids[index])) return;
    this.#ids = ids;
    this.#dirtyFleet = true;
  }

  #remove(id: number): void {
    this.#printers.delete(id);
    this.#ids = this.#ids.filter((other) => other !== id);
    this.#dirtyPrinters.add(id);
    this.#dirtyFleet = true;
  }

  // ---- polling fallback ----
  #startPolling(): void {
    if (this.#pollTimer || !this.#started) return;
    this.#setStatus('polling');
    const poll = async () => {
      const token = this.options.getToken();
      if (!token) return;
      try {
        const rows = await (this.options.fetchLiveStatus ?? defaultFetchLiveStatus)(token);
        if (this.#pollTimer) this.applyRows(rows, !this.#topics);
      } catch {
        // keep the last known state; the next poll or the socket brings news
      }
    };
    this.#pollTimer = setInterval(() => void poll(), this.options.pollIntervalMs ?? 5000);
    void poll();
  }

  #stopPolling(): void {
    if (this.#pollTimer) clearInterval(this.#pollTimer);
    this.#pollTimer = null;
  }

  // ---- notifications ----
  #setStatus(status: LiveStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.#dirtyFleet = true;
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || (!this.#dirtyFleet && this.#dirtyPrinters.size === 0)) return;
    this.#flushScheduled = true;
    (this.options.schedule ?? defaultSchedule)(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    const printers = [...this.#dirtyPrinters];
    this.#dirtyPrinters.clear();
    for (const id of printers) {
      const row = this.#printers.get(id);
      if (row) this.#published.set(id, row);
      else this.#published.delete(id);
    }
    if (this.#dirtyFleet) {
      this.#dirtyFleet = false;
      this.#publishedIds = this.#ids;
      this.#publishedHasSnapshot = this.#hasSnapshot;
      this.#all = this.#ids.map((id) => this.#printers.get(id)).filter((row): row is LivePrinter => row !== undefined);
      for (const listener of [...this.#listeners]) listener();
    }
    for (const id of printers) {
      const set = this.#printerListeners.get(id);
      if (set) for (const listener of [...set]) listener();
    }
  }
}
