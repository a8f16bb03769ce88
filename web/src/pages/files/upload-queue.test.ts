import { describe, expect, it } from 'vitest';

import { ApiError } from '@/api/client';
import { errorText } from '@/api/error-text';
import { type MessageKey, type Params, translate } from '@/i18n';

import { queueSummary, type UploadEvents, UploadQueue } from './upload-queue';

interface Pending {
  name: string;
  events: UploadEvents;
  signal: AbortSignal;
  resolve: (value: string) => void;
  reject: (error: unknown) => void;
}

/** An uploader whose requests finish when the test says so. */
function controllable() {
  const pending: Pending[] = [];
  const uploader = (file: File, events: UploadEvents, signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      pending.push({ name: file.name, events, signal, resolve, reject });
      signal.addEventListener('abort', () => reject(new DOMException('cancelled', 'AbortError')));
    });
  return { pending, uploader };
}

const file = (name: string, size = 10) => new File([new Uint8Array(size)], name);
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const t = (key: MessageKey, params?: Params) => translate('en', key, params);

describe('the upload queue', () => {
  it('sends files one after another, with progress, a reading step, and each its own result', async () => {
    const { pending, uploader } = controllable();
    const done: string[] = [];
    const queue = new UploadQueue(uploader, (result) => done.push(result));
    queue.add([file('a.3mf', 1000), file('b.gcode')]);
    await tick();
    expect(queue.snapshot().map((item) => item.state)).toEqual(['uploading', 'queued']);
    expect(pending.map((request) => request.name)).toEqual(['a.3mf']);

    pending[0]!.events.progress(250, 1000);
    expect(queue.snapshot()[0]!.progress).toBe(0.25);
    pending[0]!.events.sent();
    expect(queue.snapshot()[0]).toMatchObject({ state: 'processing', progress: 1 });
    pending[0]!.resolve('file 1');
    await tick();
    expect(queue.snapshot().map((item) => item.state)).toEqual(['done', 'uploading']);
    expect(pending.map((request) => request.name)).toEqual(['a.3mf', 'b.gcode']);
    pending[1]!.resolve('file 2');
    await tick();
    expect(done).toEqual(['file 1', 'file 2']);
    expect(queueSummary(queue.snapshot())).toEqual({ done: 2, total: 2, active: false });
    queue.clearFinished();
    expect(queue.snapshot()).toEqual([]);
  });

  it('keeps going after a refused file, says why in words, and sends it again on retry', async () => {
    const { pending, uploader } = controllable();
    const queue = new UploadQueue(uploader);
    queue.add([file('photo.3mf'), file('ok.gcode')]);
    await tick();
    pending[0]!.reject(new ApiError(415, 'Not a print file', 'print_file_type_unsupported'));
    await tick();
    const [refused, next] = queue.snapshot();
    expect(refused!.state).toBe('failed');
    expect(errorText(refused!.error, t)).toBe('This is not a 3MF project, G-code or binary G-code file.');
    expect(next!.state).toBe('uploading');
    expect(errorText(new ApiError(413, 'larger than the 2 MB limit', 'print_file_too_large'), t)).toMatch(
      /larger than the server accepts: larger than the 2 MB limit/,
    );
    expect(errorText(new TypeError('offline'), t)).toMatch(/Cannot reach the ODIN server/);

    queue.retry(refused!.id);
    expect(queue.snapshot()[0]!.state).toBe('queued');
    pending[1]!.resolve('ok');
    await tick();
    expect(queue.snapshot()[0]!.state).toBe('uploading');
    expect(pending.map((request) => request.name)).toEqual(['photo.3mf', 'ok.gcode', 'photo.3mf']);
  });

  it('cancels the file going up when it is removed, or when the page closes, and starts the next only while open', async () => {
    const { pending, uploader } = controllable();
    const queue = new UploadQueue(uploader);
    queue.add([file('a.3mf'), file('b.3mf'), file('c.3mf')]);
    await tick();
    queue.remove(queue.snapshot()[0]!.id);
    expect(pending[0]!.signal.aborted).toBe(true);
    await tick();
    expect(queue.snapshot().map((item) => [item.name, item.state])).toEqual([
      ['b.3mf', 'uploading'],
      ['c.3mf', 'queued'],
    ]);
    queue.detach();
    expect(pending[1]!.signal.aborted).toBe(true);
    await tick();
    expect(pending).toHaveLength(2);
    queue.attach();
    await tick();
    expect(pending.map((request) => request.name)).toEqual(['a.3mf', 'b.3mf', 'c.3mf']);
  });
});
