import { createHash, randomUUID } from 'node:crypto';

import { PrinterCommandError } from '../../driver.js';
import { isTimeout, noAnswer } from '../shared/network-errors.js';
import { parseUploadReply, uploadErrorWords } from './messages.js';
import type { SdcpEndpoint } from './sdcp-session.js';

/** The chunk size of the printer's upload endpoint (protocols.md §4.5). */
export const UPLOAD_CHUNK_SIZE = 1024 * 1024;
export const UPLOAD_PATH = '/uploadFile/upload';

export interface ChunkedUpload {
  fileName: string;
  data: Buffer;
  uuid: string;
  md5: string;
}

export function prepareUpload(fileName: string, data: Buffer): ChunkedUpload {
  return { fileName, data, uuid: randomUUID().replaceAll('-', ''), md5: createHash('md5').update(data).digest('hex') };
}

/**
 * Sends the file in 1 MB chunks (`POST /uploadFile/upload`, multipart: S-File-MD5, Check, Offset,
 * Uuid, TotalSize, File). Rejects with a PrinterCommandError in words at the first chunk the
 * printer refuses or cannot be sent; `timeoutMs` applies to each chunk.
 */
export async function sendChunks(endpoint: SdcpEndpoint, upload: ChunkedUpload, timeoutMs: number): Promise<void> {
  const { data, fileName } = upload;
  const total = data.length;
  let offset = 0;
  do {
    const chunk = data.subarray(offset, Math.min(total, offset + UPLOAD_CHUNK_SIZE));
    const form = new FormData();
    form.append('S-File-MD5', upload.md5);
    form.append('Check', '1');
    form.append('Offset', String(offset));
    form.append('Uuid', upload.uuid);
    form.append('TotalSize', String(total));
    // A Buffer's memory is never shared; the cast lets the DOM typings (the web app's tests) accept it too.
    form.append('File', new Blob([new Uint8Array(chunk.buffer as ArrayBuffer, chunk.byteOffset, chunk.byteLength)]), fileName);
    const where = `at byte ${offset} of ${total}`;
    let status: number;
    let text: string;
    try {
      const response = await fetch(`${endpoint.httpBase}${UPLOAD_PATH}`, {
        method: 'POST',
        body: form,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (err) {
      if (isTimeout(err))
        throw new PrinterCommandError(`Upload of ${fileName} failed ${where}: ${noAnswer(endpoint.hostPort, timeoutMs)}`, 504);
      throw new PrinterCommandError(`Upload of ${fileName} failed ${where}: ${endpoint.describeNetworkError(err, timeoutMs)}`, 502);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    const reply = parseUploadReply(body);
    if (!reply) {
      throw new PrinterCommandError(
        `Upload of ${fileName} failed ${where}: the printer answered HTTP ${status} to ${UPLOAD_PATH} without an upload reply`,
        502,
      );
    }
    if (!reply.ok) {
      const words = reply.codes.length > 0 ? reply.codes.map(uploadErrorWords).join('; ') : 'the printer refused the chunk';
      const fields = reply.fields.filter((f) => f !== 'common_field');
      throw new PrinterCommandError(
        `Upload of ${fileName} failed ${where}: ${words}${fields.length > 0 ? ` (${fields.join(', ')})` : ''}`,
        502,
      );
    }
    offset += chunk.length;
  } while (offset < total);
}
