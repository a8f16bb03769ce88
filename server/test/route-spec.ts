import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Access } from '../src/core/auth/roles.js';

export interface SpecRoute {
  method: string;
  /** Fastify style, `:param`. */
  path: string;
  access: Access;
  group: string;
}

const SPEC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'spec', 'api-routes.tsv');

/** The public API table (spec/api-routes.tsv), with its access column mapped to our levels. */
export function loadSpecRoutes(): SpecRoute[] {
  const [, ...lines] = fs.readFileSync(SPEC, 'utf8').trim().split('\n');
  return lines.map((line) => {
    const [method = '', rawPath = '', rawAccess = '', , , group = ''] = line.split('\t');
    const access = rawAccess.split(' ')[0] as Access;
    return { method, path: rawPath.replace(/\{([^}:]+)(:[^}]*)?\}/g, ':$1'), access, group: group.trim() };
  });
}
