import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The SDCP captures and spec examples live only in the shared fixture set
 * (`<repo>/../shared/fixtures/sdcp`): their source repositories carry no licence, so they are not
 * copied into this repository (see simulators/fixtures/sdcp/SOURCES.md). Tests that replay them
 * read them from there and skip, saying why, when the folder is absent.
 */
export const SHARED_SDCP_DIR = fileURLToPath(new URL('../../../../shared/fixtures/sdcp/', import.meta.url));

export const SHARED_SDCP_AVAILABLE = existsSync(`${SHARED_SDCP_DIR}SOURCES.md`);

export const SHARED_SDCP_SKIP_REASON = `shared SDCP fixtures not found at ${SHARED_SDCP_DIR} (unlicensed captures are not copied into the repository)`;

/** A shared fixture, parsed; throws when the folder is absent (guard with SHARED_SDCP_AVAILABLE). */
export function sharedSdcpFixture(name: string): unknown {
  return JSON.parse(readFileSync(`${SHARED_SDCP_DIR}${name}`, 'utf8')) as unknown;
}
