import { createHash, type Hash } from 'node:crypto';

import { type StoredFile, unixSeconds } from './cc-model.js';

/** Upload failure codes of the chunked endpoint (protocols.md §4.5). */
export const UPLOAD_ERROR = { offset: -1, offsetMismatch: -2, openFailed: -3, unknown: -4 } as const;

/** One chunk as the multipart form carries it. */
export interface Chunk {
  md5: string;
  check: boolean;
  offset: number;
  uuid: string;
  totalSize: number;
  fileName: string;
  data: Buffer;
}

export type ChunkResult =
  { ok: true; done: false } | { ok: true; done: true; stored: StoredFile | null } | { ok: false; field: string; message: string | number };

/** What happened to a transfer (kept for tests). */
export interface TransferRecord {
  uuid: string;
  fileName: string;
  totalSize: number;
  /** Offsets of the chunks received, in order. */
  offsets: number[];
  result: 'receiving' | 'stored' | 'md5 mismatch' | 'failed' | 'cancelled' | 'abandoned';
}

interface Transfer {
  record: TransferRecord;
  md5: string;
  check: boolean;
  next: number;
  hash: Hash;
  lastChunkAt: number;
}

/** A transfer without a chunk for this long is abandoned (the client went away). */
const ABANDON_AFTER_MS = 30_000;
const HISTORY = 20;

/**
 * The printer's side of chunked uploads: one transfer at a time, chunks in order, MD5 of the whole
 * file checked at the end (when `Check` is 1). File contents are hashed, not kept.
 */
export class Transfers {
  #current: Transfer | null = null;
  readonly #history: TransferRecord[] = [];
  /** Fault injection: the chunk at this offset fails with -3. */
  failAt: number | null = null;
  /** Fault injection: flip a byte of every chunk, so the MD5 check fails at the end. */
  corrupt = false;

  constructor(private readonly events: { onActive(active: boolean): void; onMd5Mismatch(record: TransferRecord): void }) {}

  get active(): boolean {
    return this.#current !== null;
  }

  history(): TransferRecord[] {
    return this.#history.map((r) => ({ ...r, offsets: [...r.offsets] }));
  }

  accept(chunk: Chunk): ChunkResult {
    const now = Date.now();
    let transfer = this.#current;
    if (transfer && transfer.record.uuid !== chunk.uuid && now - transfer.lastChunkAt > ABANDON_AFTER_MS) {
      this.#end(transfer, 'abandoned');
      transfer = null;
    }
    if (!transfer) {
      if (chunk.offset !== 0)
        return fail(chunk.offset > chunk.totalSize || chunk.offset < 0 ? UPLOAD_ERROR.offset : UPLOAD_ERROR.offsetMismatch);
      const record: TransferRecord = {
        uuid: chunk.uuid,
        fileName: chunk.fileName,
        totalSize: chunk.totalSize,
        offsets: [],
        result: 'receiving',
      };
      transfer = { record, md5: chunk.md5.toLowerCase(), check: chunk.check, next: 0, hash: createHash('md5'), lastChunkAt: now };
      this.#current = transfer;
      this.#history.push(record);
      if (this.#history.length > HISTORY) this.#history.shift();
      this.events.onActive(true);
    } else if (transfer.record.uuid !== chunk.uuid) {
      // Another upload is under way: the printer cannot open a second file.
      return fail(UPLOAD_ERROR.openFailed);
    }
    transfer.lastChunkAt = now;
    if (chunk.offset < 0 || chunk.offset > transfer.record.totalSize || chunk.offset + chunk.data.length > transfer.record.totalSize) {
      this.#end(transfer, 'failed');
      return fail(UPLOAD_ERROR.offset);
    }
    if (chunk.offset !== transfer.next) {
      this.#end(transfer, 'failed');
      return fail(UPLOAD_ERROR.offsetMismatch);
    }
    if (this.failAt !== null && chunk.offset === this.failAt) {
      this.#end(transfer, 'failed');
      return fail(UPLOAD_ERROR.openFailed);
    }
    transfer.record.offsets.push(chunk.offset);
    if (this.corrupt && chunk.data.length > 0) {
      const copy = Buffer.from(chunk.data);
      copy[0] = (copy[0] ?? 0) ^ 0xff;
      transfer.hash.update(copy);
    } else {
      transfer.hash.update(chunk.data);
    }
    transfer.next += chunk.data.length;
    if (transfer.next < transfer.record.totalSize) return { ok: true, done: false };

    const digest = transfer.hash.digest('hex');
    if (transfer.check && digest !== transfer.md5) {
      this.#end(transfer, 'md5 mismatch');
      this.events.onMd5Mismatch(transfer.record);
      // The chunk itself was received; the MD5 failure is reported on sdcp/error (protocols.md §4.5).
      return { ok: true, done: true, stored: null };
    }
    this.#end(transfer, 'stored');
    return {
      ok: true,
      done: true,
      stored: { name: transfer.record.fileName, size: transfer.record.totalSize, md5: digest, createdAt: unixSeconds() },
    };
  }

  /** Cmd 255; true when a transfer with this Uuid (or any, when the Uuid is empty) was cancelled. */
  cancel(uuid: string): boolean {
    const transfer = this.#current;
    if (!transfer || (uuid !== '' && transfer.record.uuid !== uuid)) return false;
    this.#end(transfer, 'cancelled');
    return true;
  }

  /** Drops a transfer whose client went away; called from the housekeeping tick. */
  expire(now = Date.now()): void {
    const transfer = this.#current;
    if (transfer && now - transfer.lastChunkAt > ABANDON_AFTER_MS) this.#end(transfer, 'abandoned');
  }

  #end(transfer: Transfer, result: TransferRecord['result']): void {
    transfer.record.result = result;
    if (this.#current === transfer) {
      this.#current = null;
      this.events.onActive(false);
    }
  }
}

function fail(code: number): ChunkResult {
  return { ok: false, field: 'common_field', message: code };
}
