import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

/**
 * The layering rules of docs/architecture.md, checked on the source text so a violation fails
 * the build the day it is written rather than when someone notices.
 */
const SRC = path.resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = sourceFiles(SRC).map((file) => ({
  file: path.relative(SRC, file).split(path.sep).join('/'),
  text: fs.readFileSync(file, 'utf8'),
}));

/** Relative specifiers of every import/export-from in a file, resolved against src/. */
function importsOf(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
  return specifiers.filter((s) => s.startsWith('.')).map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(file), s)));
}

/** Kysely query builders; only repositories (and core/database itself) may start a query. */
const QUERY = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\.transaction\(\)\.execute/;
const isRepository = (file: string) => /(^|\/|-)repository\.ts$/.test(file);

// Left to the engineers who own these files in the same issue; remove an entry when its file is done.
const PENDING_SQL = new Set<string>([]);

describe('architecture', () => {
  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((f) => f.file === 'core/event-bus.ts')).toBe(true);
  });

  it('keeps core/ independent: nothing under core imports from outside core', () => {
    const offenders = files
      .filter((f) => f.file.startsWith('core/'))
      .flatMap((f) =>
        importsOf(f.file, f.text)
          .filter((target) => !target.startsWith('core/'))
          .map((target) => `${f.file} → ${target}`),
      );
    expect(offenders).toEqual([]);
  });

  it('writes SQL only in repositories', () => {
    const offenders = files
      .filter((f) => !f.file.startsWith('core/database/') && !isRepository(f.file) && !PENDING_SQL.has(f.file))
      .filter((f) => QUERY.test(f.text))
      .map((f) => f.file);
    expect(offenders).toEqual([]);
  });

  it('records audit entries in services, never in routes', () => {
    const offenders = files
      .filter((f) => /(^|\/)routes\.ts$/.test(f.file))
      .filter((f) => /\baudit\.record\(/.test(f.text))
      .map((f) => f.file);
    expect(offenders).toEqual([]);
  });

  it('hands services plain inputs, never a FastifyRequest', () => {
    const offenders = files.filter((f) => /(service|repository)\.ts$/.test(f.file) && /\bFastifyRequest\b/.test(f.text)).map((f) => f.file);
    expect(offenders).toEqual([]);
  });
});
