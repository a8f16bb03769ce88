import { api, ApiError, currentToken, detailText, retryAfterSeconds } from '@/api/client';
import type { PrintFile } from '@/components/catalogue/catalogue-queries';

import type { UploadEvents } from './upload-queue';

interface Reply {
  status: number;
  text: string;
  retryAfter: string | null;
}

/** fetch() cannot report upload progress; XMLHttpRequest can. One multipart POST with the session's token. */
function send(file: File, token: string | null, events: UploadEvents, signal: AbortSignal): Promise<Reply> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new DOMException('The upload was cancelled', 'AbortError'));
      return;
    }
    const request = new XMLHttpRequest();
    request.open('POST', '/api/print-files/upload');
    if (token) request.setRequestHeader('authorization', `Bearer ${token}`);
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) events.progress(event.loaded, event.total);
    });
    request.upload.addEventListener('load', () => events.sent());
    request.addEventListener('load', () =>
      resolve({ status: request.status, text: request.responseText, retryAfter: request.getResponseHeader('retry-after') }),
    );
    // No reply at all (server down, connection cut): errorText words a non-ApiError as "cannot reach the server".
    request.addEventListener('error', () => reject(new TypeError('The upload did not reach the server')));
    request.addEventListener('abort', () => reject(new DOMException('The upload was cancelled', 'AbortError')));
    signal.addEventListener('abort', () => request.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}

function parse(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

/**
 * Uploads one print file, reporting progress. A 401 (the access token expired during a long
 * upload) renews the session through the API client, then sends the file once more.
 */
export async function uploadPrintFile(file: File, events: UploadEvents, signal: AbortSignal): Promise<PrintFile> {
  const token = currentToken();
  let reply = await send(file, token, events, signal);
  if (reply.status === 401 && token !== null) {
    // Any authorised request renews an expired token (or ends the session); then try once more.
    await api.GET('/api/auth/me').catch(() => undefined);
    const fresh = currentToken();
    if (fresh !== null && fresh !== token) reply = await send(file, fresh, events, signal);
  }
  const body = parse(reply.text);
  if (reply.status >= 200 && reply.status < 300) return body as PrintFile;
  const code = typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : undefined;
  throw new ApiError(
    reply.status,
    detailText(body, reply.status),
    typeof code === 'string' && code ? code : null,
    retryAfterSeconds(reply.retryAfter),
  );
}
