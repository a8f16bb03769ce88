import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { offlineState } from '../../state.js';
import { DigestAuth, parseDigestChallenge } from './digest.js';
import { parseErrorBody, parseJob, parseJson, parseStatus, parseVersion, storageKey } from './messages.js';
import { jobDetails, normaliseStatus } from './normalise.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../../../simulators/fixtures/prusalink/${name}`, import.meta.url), 'utf8')) as unknown;

describe('PrusaLink messages against the recorded payloads', () => {
  it('normalises the recorded printing status and job (Buddy: 8.3 name, display_name wins)', () => {
    const status = parseStatus(fixture('api_v1_status_printing.ha-core.json'));
    const job = parseJob(fixture('api_v1_job_printing.ha-core.json'));
    expect(status).not.toBeNull();
    expect(job?.file?.name).toBe('TabletStand3~4.BGC');
    const state = normaliseStatus(status!, jobDetails(job));
    expect(state).toEqual({
      ...offlineState(),
      status: 'printing',
      online: true,
      nozzle_temp: 6,
      nozzle_target_temp: 0,
      bed_temp: 53.9,
      bed_target_temp: 85,
      progress: 37,
      elapsed_seconds: 43987,
      remaining_seconds: 73020,
      file_name: 'TabletStand3.bgcode',
      job_id: '129',
      speed_factor: 100,
    });
    expect(status!.storage.map(storageKey)).toEqual(['usb']);
  });

  it('normalises the recorded idle status: no job fields, storage object read', () => {
    const status = parseStatus(fixture('api_v1_status_idle.ha-core.json'))!;
    const state = normaliseStatus(status, null);
    expect(state.status).toBe('idle');
    expect(state.nozzle_temp).toBe(47.8);
    expect(state.nozzle_target_temp).toBe(210.1);
    expect(state.bed_temp).toBe(41.9);
    expect([state.progress, state.job_id, state.file_name, state.elapsed_seconds, state.remaining_seconds]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(status.storage).toEqual([{ path: '/usb/', name: 'usb', read_only: false }]);
  });

  it('reads the Buddy /api/version capture', () => {
    expect(parseVersion(fixture('api_version.ha-core.json'))).toEqual({
      api: '2.0.0',
      server: '2.1.2',
      text: 'PrusaLink',
      hostname: 'PrusaXL',
    });
  });

  it('reads the Pi storage list and keys storages by path', () => {
    const status = parseStatus({
      printer: { state: 'IDLE' },
      storage: [
        { path: '/local', name: 'PrusaLink gcodes', read_only: false },
        { path: '/sdcard', name: 'SD Card', read_only: true },
      ],
    })!;
    expect(status.storage.map(storageKey)).toEqual(['local', 'sdcard']);
    expect(storageKey({ name: 'USB' })).toBe('usb');
    expect(storageKey({})).toBeNull();
  });

  it('maps every PrusaLink state (protocols.md §5), ATTENTION and ERROR with a message', () => {
    const map = (state: string, extra: Record<string, unknown> = {}) =>
      normaliseStatus(parseStatus({ printer: { state, ...extra } })!, null);
    expect(['IDLE', 'READY', 'BUSY', 'PRINTING', 'PAUSED', 'FINISHED', 'STOPPED', 'ERROR', 'ATTENTION'].map((s) => map(s).status)).toEqual([
      'idle',
      'idle',
      'preparing',
      'printing',
      'paused',
      'finished',
      'cancelled',
      'error',
      'error',
    ]);
    expect(map('ATTENTION').error_message).toBe('Printer needs attention');
    expect(map('ATTENTION', { status_printer: { ok: false, message: 'Filament runout' } }).error_message).toBe('Filament runout');
    expect(map('PRINTING').error_message).toBeNull();
    const unknown = map('WARMING_UP');
    expect(unknown.status).toBe('idle');
    expect(unknown.stage).toBe('unknown state WARMING_UP');
  });

  it('is total: unknown fields ignored, wrong types dropped, missing ones tolerated', () => {
    const status = parseStatus({
      printer: { state: 'PRINTING', temp_nozzle: '215', temp_bed: 60.04, speed: 'fast', future_field: { x: 1 } },
      job: { id: 7, progress: 142, time_remaining: -5 },
      storage: 'nonsense',
      transfer: { id: 1 },
    })!;
    const state = normaliseStatus(status, { id: 7, fileName: null });
    expect(state.nozzle_temp).toBeNull();
    expect(state.bed_temp).toBe(60);
    expect(state.speed_factor).toBeNull();
    expect(state.progress).toBe(100);
    expect(state.remaining_seconds).toBe(0);
    expect(state.elapsed_seconds).toBeNull();
    expect(state.job_id).toBe('7');
    expect(status.storage).toEqual([]);
    expect(parseStatus({ printer: {} })).toBeNull();
    expect(parseStatus({ job: { id: 1 } })).toBeNull();
    expect(parseStatus([])).toBeNull();
    expect(parseJson('{"printer": {"state": "PRI')).toBeUndefined();
  });

  it('reads error bodies in JSON and in plain text', () => {
    expect(parseErrorBody(Buffer.from('{"code":"409","title":"Not Printing","text":"Printer is not printing"}'))).toEqual({
      code: '409',
      title: 'Not Printing',
      text: 'Printer is not printing',
    });
    expect(parseErrorBody(Buffer.from('Printer is not printing\nmore'))).toEqual({ text: 'Printer is not printing' });
    expect(parseErrorBody(Buffer.from(''))).toBeNull();
    expect(parseErrorBody(Buffer.from('<html>oops</html>'))).toBeNull();
  });
});

describe('HTTP digest (RFC 7616)', () => {
  // RFC 7616 §3.9.1.
  const challenge = (algorithm: string) =>
    `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`;
  const cnonce = () => 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';

  it.each([
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ])('computes the RFC example response for %s', (algorithm, response) => {
    const auth = new DigestAuth('Mufasa', 'Circle of Life', cnonce);
    auth.setChallenge(parseDigestChallenge(challenge(algorithm))!);
    const header = auth.authorization('GET', '/dir/index.html')!;
    expect(header).toContain(`response="${response}"`);
    expect(header).toContain('nc=00000001');
    expect(header).toContain('qop=auth');
    expect(header).toContain('opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"');
    expect(auth.authorization('GET', '/dir/index.html')).toContain('nc=00000002');
  });

  it('parses a challenge among other schemes, with stale, and restarts nc on a new nonce', () => {
    const c = parseDigestChallenge(['Basic realm="x"', 'Digest realm="Administrator", nonce="abc", qop="auth", stale=TRUE']);
    expect(c).toEqual({ realm: 'Administrator', nonce: 'abc', qop: 'auth', algorithm: 'MD5', opaque: null, stale: true });
    const auth = new DigestAuth('maker', 'pw');
    expect(auth.authorization('GET', '/')).toBeNull();
    auth.setChallenge(c!);
    auth.authorization('GET', '/');
    expect(auth.authorization('GET', '/')).toContain('nc=00000002');
    auth.setChallenge({ ...c!, nonce: 'def' });
    expect(auth.authorization('GET', '/')).toContain('nc=00000001');
  });

  it('supports the RFC 2069 form without qop and refuses what it cannot answer', () => {
    const legacy = parseDigestChallenge('Digest realm="Printer API", nonce="0123"')!;
    expect(legacy.qop).toBeNull();
    const auth = new DigestAuth('maker', 'pw');
    auth.setChallenge(legacy);
    const header = auth.authorization('GET', '/api/v1/status')!;
    expect(header).not.toContain('nc=');
    expect(header).toMatch(/response="[0-9a-f]{32}"/);
    expect(parseDigestChallenge('Digest realm="x", nonce="y", qop="auth-int"')).toBeNull();
    expect(parseDigestChallenge('Digest realm="x", nonce="y", algorithm=SHA-512-256')).toBeNull();
    expect(parseDigestChallenge('Basic realm="x"')).toBeNull();
    expect(parseDigestChallenge(undefined)).toBeNull();
  });
});
