import { useEffect, useState, useSyncExternalStore } from 'react';

/**
 * Files dropped on the page go up one after another (a farm's uplink is shared with the printers,
 * and the server parses each file as it arrives). Each file has its own state and its own error,
 * so one damaged file does not stop the rest.
 *
 *   queued → uploading (bytes going up, with progress) → processing (all sent, the server reads it)
 *          → done | failed (→ queued again on retry)
 */
export type UploadState = 'queued' | 'uploading' | 'processing' | 'done' | 'failed';

export interface UploadItem<R> {
  id: number;
  file: File;
  name: string;
  size: number;
  state: UploadState;
  /** 0…1 of the bytes sent; 1 once processing. */
  progress: number;
  error: unknown;
  result: R | null;
}

export interface UploadEvents {
  /** Bytes sent so far of the whole request. */
  progress(loaded: number, total: number): void;
  /** Every byte is sent; the server is now reading the file. */
  sent(): void;
}

export type Uploader<R> = (file: File, events: UploadEvents, signal: AbortSignal) => Promise<R>;

export class UploadQueue<R> {
  private items: readonly UploadItem<R>[] = [];
  private nextId = 1;
  private running = false;
  private controller: AbortController | null = null;
  private attached = true;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly uploader: Uploader<R>,
    private onDone: (result: R, item: UploadItem<R>) => void = () => {},
  ) {}

  /** Who is told of every finished upload (the page's latest callback). */
  notify(onDone: (result: R, item: UploadItem<R>) => void): void {
    this.onDone = onDone;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): readonly UploadItem<R>[] => this.items;

  add(files: Iterable<File>): void {
    const added = [...files].map((file): UploadItem<R> => ({
      id: this.nextId++,
      file,
      name: file.name,
      size: file.size,
      state: 'queued',
      progress: 0,
      error: null,
      result: null,
    }));
    if (added.length === 0) return;
    this.set([...this.items, ...added]);
    void this.pump();
  }

  retry(id: number): void {
    this.update(id, (item) => (item.state === 'failed' ? { ...item, state: 'queued', progress: 0, error: null } : item));
    void this.pump();
  }

  /** Takes a file off the list; a file going up right now is cancelled. */
  remove(id: number): void {
    const item = this.items.find((entry) => entry.id === id);
    if (!item) return;
    if (item.state === 'uploading' || item.state === 'processing') this.controller?.abort();
    this.set(this.items.filter((entry) => entry.id !== id));
  }

  clearFinished(): void {
    this.set(this.items.filter((item) => item.state !== 'done'));
  }

  /** The page is open (again): queued files may go up. */
  attach(): void {
    this.attached = true;
    void this.pump();
  }

  /** The page closed: whatever is going up is cancelled, nothing more starts. */
  detach(): void {
    this.attached = false;
    this.controller?.abort();
  }

  private set(items: readonly UploadItem<R>[]): void {
    this.items = items;
    for (const listener of this.listeners) listener();
  }

  private update(id: number, change: (item: UploadItem<R>) => UploadItem<R>): void {
    if (!this.items.some((item) => item.id === id)) return;
    this.set(this.items.map((item) => (item.id === id ? change(item) : item)));
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        if (!this.attached) return;
        const next = this.items.find((item) => item.state === 'queued');
        if (!next) return;
        await this.send(next);
      }
    } finally {
      this.running = false;
    }
  }

  private async send(item: UploadItem<R>): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    this.update(item.id, (current) => ({ ...current, state: 'uploading', progress: 0 }));
    const events: UploadEvents = {
      progress: (loaded, total) => {
        if (total > 0)
          this.update(item.id, (current) =>
            current.state === 'uploading' ? { ...current, progress: Math.min(1, loaded / total) } : current,
          );
      },
      sent: () => this.update(item.id, (current) => ({ ...current, state: 'processing', progress: 1 })),
    };
    try {
      const result = await this.uploader(item.file, events, controller.signal);
      if (controller.signal.aborted) return;
      this.update(item.id, (current) => ({ ...current, state: 'done', progress: 1, result }));
      const done = this.items.find((entry) => entry.id === item.id);
      if (done) this.onDone(result, done);
    } catch (error) {
      if (controller.signal.aborted) return;
      this.update(item.id, (current) => ({ ...current, state: 'failed', error }));
    } finally {
      if (this.controller === controller) this.controller = null;
    }
  }
}

/** The queue for one page: created once, its list re-rendered as it changes, uploads cancelled when the page closes. */
export function useUploadQueue<R>(uploader: Uploader<R>, onDone: (result: R, item: UploadItem<R>) => void) {
  const [queue] = useState(() => new UploadQueue<R>(uploader, onDone));
  // The latest callback, so a finished upload sees this render's props and not the first one's.
  useEffect(() => {
    queue.notify(onDone);
  });
  const items = useSyncExternalStore(queue.subscribe, queue.snapshot);
  useEffect(() => {
    queue.attach();
    return () => queue.detach();
  }, [queue]);
  return { queue, items };
}

/** How many are finished of how many were added, for the summary line. */
export function queueSummary(items: readonly UploadItem<unknown>[]): { done: number; total: number; active: boolean } {
  return {
    done: items.filter((item) => item.state === 'done').length,
    total: items.length,
    active: items.some((item) => item.state === 'queued' || item.state === 'uploading' || item.state === 'processing'),
  };
}
