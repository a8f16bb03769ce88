import { createHash } from 'node:crypto';
import { request } from 'node:http';

import { describe, expect, it } from 'vitest';

import { cleanupAfterEach, waitFor } from '../test-support.js';
import { type JsonObject, prusaLinkFixtures } from './fixtures.js';
import { PrusaLinkSimulator, type PrusaLinkSimulatorOptions } from './prusalink-simulator.js';
import { shortName } from './short-name.js';

const KEY = 'sim-key';
const cleanups = cleanupAfterEach();

async function sim(options: PrusaLinkSimulatorOptions = {}): Promise<PrusaLinkSimulator> {
  const s = new PrusaLinkSimulator({ auth: { apiKey: KEY }, ...options });
  await s.start();
  cleanups.push(() => s.stop());
  return s;
}

async function get(s: PrusaLinkSimulator, path: string, headers: Record<string, string> = { 'X-Api-Key': KEY }): Promise<Response> {
  return fetch(`${s.url}${path}`, { headers });
}

async function json(s: PrusaLinkSimulator, path: string): Promise<JsonObject> {
  const res = await get(s, path);
  expect(res.status).toBe(200);
  return (await res.json()) as JsonObject;
}

/** A raw request, for headers fetch would not send as given (no Content-Length, chunked bodies...). */
function raw(
  s: PrusaLinkSimulator,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
  apiKey: string | null = KEY,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: s.port,
        method,
        path,
        agent: false,
        headers: { ...(apiKey === null ? {} : { 'X-Api-Key': apiKey }), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const keys = (value: unknown): string[] => Object.keys(value as object).sort();

describe('PrusaLinkSimulator payload shapes', () => {
  const fx = prusaLinkFixtures();

  it('Buddy answers with exactly the key sets of the recorded payloads', async () => {
    const s = await sim({ speed: 100 });
    expect(keys(await json(s, '/api/version'))).toEqual(keys(fx.version));
    expect(keys(await json(s, '/api/v1/info'))).toEqual(keys(fx.info));
    const idle = await json(s, '/api/v1/status');
    expect(keys(idle)).toEqual(keys(fx.statusIdle));
    expect(keys(idle['printer'])).toEqual(keys(fx.statusIdle['printer']));
    expect(idle['storage']).toEqual(fx.statusIdle['storage']);
    expect((await get(s, '/api/v1/job')).status).toBe(204);

    s.startPrint('TabletStand3.bgcode', { heatSeconds: 1 });
    await waitFor('printing', () => s.state === 'PRINTING');
    const printing = await json(s, '/api/v1/status');
    expect(keys(printing)).toEqual(keys(fx.statusPrinting));
    expect(keys(printing['printer'])).toEqual(keys(fx.statusPrinting['printer']));
    expect(keys(printing['job'])).toEqual(keys(fx.statusPrinting['job']));
    const job = await json(s, '/api/v1/job');
    expect(keys(job)).toEqual(keys(fx.jobPrinting));
    expect(keys(job['file'])).toEqual(keys(fx.jobPrinting['file']));
    // The stick's file is the recorded one, 8.3 name and refs included.
    expect(job['file']).toEqual(fx.jobPrinting['file']);
    expect(job['state']).toBe('PRINTING');
  });

  it('Pi answers with a storage list, firmware and capabilities, and the spec Info keys', async () => {
    const s = await sim({ firmware: 'pi', name: 'mk3' });
    const status = await json(s, '/api/v1/status');
    expect(status['storage']).toEqual([
      { path: '/local', name: 'local', read_only: false },
      { path: '/sdcard', name: 'sdcard', read_only: true },
    ]);
    const version = await json(s, '/api/version');
    expect(version).toMatchObject({ api: '2.0.0', hostname: 'mk3', capabilities: { 'upload-by-put': true } });
    expect(version['firmware']).toBeTypeOf('string');
    expect(keys(await json(s, '/api/v1/info'))).toEqual(
      [
        'active_camera',
        'farm_mode',
        'hostname',
        'location',
        'mmu',
        'name',
        'network_error_chime',
        'nozzle_diameter',
        'port',
        'sd_ready',
        'serial',
        'min_extrusion_temp',
      ].sort(),
    );
    const storage = await json(s, '/api/v1/storage');
    expect((storage['storage_list'] as JsonObject[]).map((x) => [x['type'], x['path'], x['read_only']])).toEqual([
      ['LOCAL', '/local', false],
      ['SDCARD', '/sdcard', true],
    ]);
    s.startPrint('benchy.gcode');
    const job = await json(s, '/api/v1/job');
    expect(job['file']).toMatchObject({
      name: 'benchy.gcode',
      display_name: 'benchy.gcode',
      path: '/local',
      display_path: '/PrusaLink gcodes',
    });
  });

  it('gives Buddy files 8.3 short names', () => {
    expect(shortName('benchy.gcode', new Set())).toBe('BENCHY~1.GCO');
    expect(shortName('benchy.gcode', new Set(['BENCHY~1.GCO']))).toBe('BENCHY~2.GCO');
    expect(shortName('A.GCO', new Set())).toBe('A.GCO');
    expect(shortName('TabletStand3.bgcode', new Set())).toBe('TABLET~1.BGC');
    expect(shortName('no extension', new Set())).toBe('NOEXTE~1');
  });
});

describe('PrusaLinkSimulator protocol rules', () => {
  it('runs the job state machine: BUSY → PRINTING → FINISHED, job ids rise, 404/409 on job actions', async () => {
    const s = await sim({ speed: 1000 });
    const first = s.startPrint('a.gcode', { heatSeconds: 50, durationSeconds: 100 });
    expect(s.state).toBe('BUSY');
    expect((await raw(s, 'PUT', `/api/v1/job/${first + 1}/pause`, {})).status).toBe(404);
    expect((await raw(s, 'PUT', `/api/v1/job/${first}/resume`, {})).status).toBe(409);
    expect((await raw(s, 'PUT', `/api/v1/job/${first}/pause`, {})).status).toBe(204);
    expect(s.state).toBe('PAUSED');
    expect((await raw(s, 'PUT', `/api/v1/job/${first}/resume`, {})).status).toBe(204);
    await waitFor('finished', () => s.state === 'FINISHED');
    expect((await raw(s, 'DELETE', `/api/v1/job/${first}`, {})).status).toBe(409);
    // FINISHED persists (autoAcknowledgeMs null) until the next print.
    expect(s.state).toBe('FINISHED');
    const second = s.startPrint('b.gcode');
    expect(second).toBe(first + 1);
    expect((await raw(s, 'DELETE', `/api/v1/job/${second}`, {})).status).toBe(204);
    expect(s.state).toBe('STOPPED');
    s.acknowledge();
    expect(s.state).toBe('IDLE');
    expect((await get(s, '/api/v1/job')).status).toBe(204);
  });

  it('auto-acknowledges FINISHED after autoAcknowledgeMs', async () => {
    const s = await sim({ speed: 10_000, autoAcknowledgeMs: 100 });
    s.startPrint('x.gcode', { heatSeconds: 1, durationSeconds: 10 });
    await waitFor('finished', () => s.state === 'FINISHED');
    await waitFor('idle', () => s.state === 'IDLE');
    expect(s.jobId).toBeNull();
  });

  it('upload: 411 without Content-Length, RFC 8941 booleans taken only as exact ?1, 409 on an existing file', async () => {
    const s = await sim();
    const chunked = await raw(s, 'PUT', '/api/v1/files/usb/a.gcode', { 'Transfer-Encoding': 'chunked' }, Buffer.from('G28\n'));
    expect(chunked.status).toBe(411);
    const body = Buffer.from('G28\n');
    const put = (path: string, headers: Record<string, string>) =>
      raw(s, 'PUT', path, { 'Content-Length': String(body.length), ...headers }, body);

    const loose = await put('/api/v1/files/usb/a.gcode', { 'Print-After-Upload': 'true' });
    expect(loose.status).toBe(201);
    expect(s.state).toBe('IDLE');
    expect(JSON.parse(loose.body)).toMatchObject({ name: 'A~1.GCO', display_name: 'a.gcode', size: 4, ro: false, type: 'PRINT_FILE' });

    expect((await put('/api/v1/files/usb/a.gcode', {})).status).toBe(409);
    expect((await put('/api/v1/files/usb/a.gcode', { Overwrite: '?0' })).status).toBe(409);
    expect((await put('/api/v1/files/usb/a.gcode', { Overwrite: 'true' })).status).toBe(409);
    expect((await put('/api/v1/files/usb/a.gcode', { Overwrite: '?1', 'Print-After-Upload': '?1' })).status).toBe(201);
    expect(s.state).toBe('BUSY');
    expect(s.lastUpload).toMatchObject({ printAfterUpload: '?1', overwrite: '?1', printStarted: true });
    expect((await put('/api/v1/files/usb/b.gcode', { 'Print-After-Upload': '?1' })).status).toBe(409);
    expect((await put('/api/v1/files/nope/b.gcode', {})).status).toBe(404);
  });

  it('starts stored files by POST: 204, 404 unknown, 409 while printing; the Pi sdcard is read-only', async () => {
    const s = await sim({ firmware: 'pi' });
    expect((await raw(s, 'POST', '/api/v1/files/local/missing.gcode', {})).status).toBe(404);
    expect((await raw(s, 'POST', '/api/v1/files/local/TabletStand3.bgcode', {})).status).toBe(204);
    expect((await raw(s, 'POST', '/api/v1/files/local/TabletStand3.bgcode', {})).status).toBe(409);
    expect((await raw(s, 'PUT', '/api/v1/files/sdcard/x.gcode', { 'Content-Length': '1' }, Buffer.from('x'))).status).toBe(409);
  });

  it('errors are {code,title,text} JSON when JSON is accepted, plain text otherwise', async () => {
    const s = await sim();
    const asJson = await raw(s, 'PUT', '/api/v1/job/99/pause', { Accept: 'application/json' });
    expect(asJson.status).toBe(404);
    expect(asJson.headers['content-type']).toBe('application/json');
    expect(keys(JSON.parse(asJson.body))).toEqual(['code', 'text', 'title']);
    const asText = await raw(s, 'PUT', '/api/v1/job/99/pause', {});
    expect(asText.headers['content-type']).toMatch(/^text\/plain/);
    expect(asText.body).toBe('There is no job with id 99.');
  });
});

describe('PrusaLinkSimulator authentication', () => {
  const md5 = (text: string) => createHash('md5').update(text).digest('hex');
  const digest = (challenge: string, method: string, uri: string, nc: string, password = 'pw') => {
    const nonce = /nonce="([^"]+)"/.exec(challenge)?.[1] ?? '';
    const ha1 = md5(`maker:Administrator:${password}`);
    const response = md5(`${ha1}:${nonce}:${nc}:c1:auth:${md5(`${method}:${uri}`)}`);
    return `Digest username="maker", realm="Administrator", nonce="${nonce}", uri="${uri}", algorithm=MD5, response="${response}", qop=auth, nc=${nc}, cnonce="c1"`;
  };

  it('challenges with Digest, accepts a right digest once per nc, and flags old nonces as stale', async () => {
    const s = await sim({ auth: { password: 'pw' } });
    const denied = await raw(s, 'GET', '/api/v1/status', {}, undefined, null);
    expect(denied.status).toBe(401);
    const challenge = String(denied.headers['www-authenticate']);
    expect(challenge).toMatch(/^Digest realm="Administrator", nonce="[^"]+", qop="auth"/);
    expect(challenge).not.toContain('stale');

    /** GET /api/v1/status answering the first challenge, with this nonce count (and password). */
    const status = (nc: string, password?: string) =>
      raw(s, 'GET', '/api/v1/status', { Authorization: digest(challenge, 'GET', '/api/v1/status', nc, password) }, undefined, null);
    expect((await status('00000001')).status).toBe(200);
    // A replayed nonce count is refused; the next one is accepted.
    expect((await status('00000001')).status).toBe(401);
    expect((await status('00000002')).status).toBe(200);
    const wrong = await status('00000003', 'nope');
    expect(wrong.status).toBe(401);
    expect(String(wrong.headers['www-authenticate'])).not.toContain('stale');

    s.expireNonces();
    const stale = await status('00000004');
    expect(stale.status).toBe(401);
    expect(String(stale.headers['www-authenticate'])).toMatch(/stale=true$/);
    expect(s.stats.stale).toBe(1);
  });

  it('with a key and a password: X-Api-Key is checked when sent, otherwise Digest is required', async () => {
    const s = await sim({ auth: { apiKey: KEY, password: 'pw' } });
    expect((await get(s, '/api/version')).status).toBe(200);
    expect((await get(s, '/api/version', { 'X-Api-Key': 'wrong' })).status).toBe(401);
    const none = await get(s, '/api/version', {});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Digest /);
    s.setCredentials({ apiKey: 'new-key' });
    expect((await get(s, '/api/version')).status).toBe(401);
    expect((await get(s, '/api/version', { 'X-Api-Key': 'new-key' })).status).toBe(200);
  });
});

describe('PrusaLinkSimulator faults', () => {
  it('garbage, HTTP failures, stalls, refused and dropped connections', async () => {
    const s = await sim();
    s.sendGarbage(true);
    const garbage = await get(s, '/api/v1/status');
    expect(garbage.status).toBe(200);
    await expect(garbage.json()).rejects.toThrow();
    s.sendGarbage(false);

    s.failHttp(503);
    expect((await get(s, '/api/version')).status).toBe(503);
    s.failHttp(null);

    s.stall(true);
    const before = s.stats.requests;
    const hung = raw(s, 'GET', '/api/version', {}).then(
      () => 'answered',
      () => 'failed',
    );
    await waitFor('the request to arrive', () => s.stats.requests > before);
    s.stall(false);
    expect(await hung).toBe('failed');

    s.refuseConnections(true);
    s.dropConnections();
    await expect(raw(s, 'GET', '/api/version', {})).rejects.toThrow();
    s.refuseConnections(false);
    expect((await get(s, '/api/version')).status).toBe(200);
  });

  it('is cheap: 100 instances answer a status round quickly', async () => {
    const many = await Promise.all(Array.from({ length: 100 }, () => sim({ speed: 60 })));
    many.forEach((s, i) => i % 2 === 0 && s.startPrint('bench.gcode'));
    const started = Date.now();
    const answers = await Promise.all(many.map((s) => json(s, '/api/v1/status')));
    expect(answers.filter((a) => a['job'] !== undefined)).toHaveLength(50);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
