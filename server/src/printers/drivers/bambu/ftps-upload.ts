/**
 * Upload over the printer's implicit FTPS (protocols.md §1.4): TLS from the first byte on port 990,
 * user `bblp` / access code, PBSZ 0, PROT P, passive mode, TYPE I, STOR /<name>.
 *
 * basic-ftp (6.2.x) does what the printers need, checked in its source and against the simulator
 * (which refuses data connections that do not resume the control connection's TLS session):
 * - every TLS data connection passes `session: <the control connection's session>` (or the latest
 *   ticket it received), so P1/A1 printers accept it;
 * - an upload ends with `pipeline(source, dataSocket)`, which waits for the socket's `finish`
 *   (our close_notify and FIN are sent), not for the printer's close_notify; the 226 on the control
 *   connection completes it.
 * The data connection gets the same TLS options as the control connection, so the chain and the
 * serial are verified there too.
 */
import { Readable } from 'node:stream';

import { Client, FTPError } from 'basic-ftp';

import { PrinterCommandError } from '../../driver.js';
import { hostPort } from '../shared/address.js';
import { errorCode, formatSeconds } from '../shared/network-errors.js';
import { ACCESS_CODE_REFUSED, describeConnectError } from './network-errors.js';
import type { BambuTlsOptions } from './tls.js';

export interface FtpsUploadRequest {
  host: string;
  port: number;
  accessCode: string;
  tls: BambuTlsOptions;
  extraCaCount: number;
  /** "/name.3mf" */
  remotePath: string;
  data: Buffer;
  /** Inactivity limit for the control and data connections (ms). */
  timeoutMs: number;
}

/** Stores `data` on the printer; rejects with a PrinterCommandError in words. Never leaves a socket open. */
export async function uploadOverFtps(request: FtpsUploadRequest): Promise<void> {
  const where = hostPort(request.host, request.port);
  const client = new Client(request.timeoutMs);
  let stage: 'connect' | 'transfer' = 'connect';
  try {
    await client.access({
      host: request.host,
      port: request.port,
      user: 'bblp',
      password: request.accessCode,
      secure: 'implicit',
      // basic-ftp keeps (and extends) this object for the data connections.
      secureOptions: { ...request.tls },
    });
    stage = 'transfer';
    await client.uploadFrom(Readable.from([request.data]), request.remotePath);
  } catch (err) {
    throw new PrinterCommandError(describeFtpsError(err, stage, where, request), statusFor(err));
  } finally {
    client.close();
  }
}

function statusFor(err: unknown): number {
  if (err instanceof FTPError) return err.code === 550 || err.code === 553 || err.code === 452 ? 409 : 502;
  const message = err instanceof Error ? err.message : String(err);
  return /timeout/i.test(message) ? 504 : 502;
}

function describeFtpsError(err: unknown, stage: 'connect' | 'transfer', where: string, request: FtpsUploadRequest): string {
  const name = request.remotePath.replace(/^\/+/, '');
  if (err instanceof FTPError) {
    const said = `FTP ${err.code}: ${err.message.replace(/^\d{3}\s*/, '').trim()}`;
    if (err.code === 530) return `${ACCESS_CODE_REFUSED} (FTPS on ${where})`;
    if (err.code === 426 || err.code === 451) return `The printer cut off the upload of ${name} (${said})`;
    if (err.code === 425) return `The printer refused the data connection for ${name} (${said})`;
    if (err.code === 452) return `Not enough space on the printer's storage for ${name} (${said})`;
    if (err.code === 550 || err.code === 553) return `The printer could not store ${name} (${said}) — is the SD card in and writable?`;
    return `The printer's FTPS server refused the upload of ${name} (${said})`;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/timeout/i.test(message)) return `No answer from ${where} within ${formatSeconds(request.timeoutMs)} s while uploading ${name}`;
  const code = errorCode(err);
  if (
    stage === 'transfer' &&
    (code === null || /^(ECONNRESET|EPIPE|ECONNABORTED|ERR_STREAM_)/.test(code) || /closed|FIN packet/i.test(message))
  ) {
    return `The upload of ${name} to ${where} was cut off (${code ?? message})`;
  }
  return describeConnectError(err, where, request.timeoutMs, request.extraCaCount, "the printer's FTPS server");
}
