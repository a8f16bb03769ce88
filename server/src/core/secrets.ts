import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { generateFernetKey } from './crypto/fernet.js';

export interface InstanceSecrets {
  jwtSecret: string;
  encryptionKey: string;
}

/**
 * Secrets live in the data directory (mode 0600), generated on first start and reused afterwards;
 * environment overrides win so an install migrated from the original keeps its keys.
 */
export function ensureSecrets(dataDir: string, overrides: Partial<InstanceSecrets> = {}): InstanceSecrets {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return {
    jwtSecret: overrides.jwtSecret ?? readOrCreate(path.join(dataDir, '.jwt_secret'), () => randomBytes(48).toString('base64url')),
    encryptionKey: overrides.encryptionKey ?? readOrCreate(path.join(dataDir, '.encryption_key'), generateFernetKey),
  };
}

function readOrCreate(file: string, generate: () => string): string {
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const value = generate();
  // Write-then-rename so a crash never leaves a half-written key behind.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, value + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
  fs.chmodSync(file, 0o600);
  return value;
}
