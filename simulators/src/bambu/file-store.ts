/**
 * The printer's SD card as far as FTPS and `project_file` see it: paths, sizes and MD5s. File
 * contents are not kept (a thousand simulators would hold every upload in memory); a simulator
 * only needs to know that a file is there and what was received.
 */
import { posix } from 'node:path';

export interface StoredFile {
  /** Absolute path on the card, e.g. "/benchy.3mf" or "/cache/plate.3mf". */
  path: string;
  size: number;
  md5: string;
  modified: Date;
}

/** Directories a Bambu card has (protocols.md §1.4): root, cloud prints, timelapses. */
const DEFAULT_DIRS = ['/', '/cache', '/timelapse', '/image', '/model'];

export class FileStore {
  readonly #files = new Map<string, StoredFile>();
  readonly #dirs = new Set(DEFAULT_DIRS);

  /** `arg` resolved against `cwd`, always absolute and normalised ("/a/../b" → "/b"). */
  static resolve(cwd: string, arg: string): string {
    const joined = arg.startsWith('/') ? arg : posix.join(cwd, arg);
    const normal = posix.normalize(joined);
    return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
  }

  put(file: StoredFile): void {
    this.#files.delete(file.path); // re-uploads move to the end, like a listing by time
    this.#files.set(file.path, file);
  }

  get(path: string): StoredFile | undefined {
    return this.#files.get(path);
  }

  delete(path: string): boolean {
    return this.#files.delete(path);
  }

  isDir(path: string): boolean {
    return this.#dirs.has(path);
  }

  mkdir(path: string): boolean {
    if (this.#dirs.has(path) || this.#files.has(path) || !this.#dirs.has(posix.dirname(path))) return false;
    this.#dirs.add(path);
    return true;
  }

  /** Entries directly inside `dir`: sub-directories first, then files. */
  list(dir: string): { name: string; path: string; dir: boolean; file?: StoredFile }[] {
    const out: { name: string; path: string; dir: boolean; file?: StoredFile }[] = [];
    for (const d of this.#dirs) if (d !== '/' && posix.dirname(d) === dir) out.push({ name: posix.basename(d), path: d, dir: true });
    for (const f of this.#files.values())
      if (posix.dirname(f.path) === dir) out.push({ name: posix.basename(f.path), path: f.path, dir: false, file: f });
    return out;
  }

  files(): StoredFile[] {
    return [...this.#files.values()];
  }
}
