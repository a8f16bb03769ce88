import fs from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiClient, type ErrorReply, startWithAdmin, startWithRoles } from '../../../test/client.js';
import { startTestServer, type TestServer } from '../../../test/harness.js';

interface Config {
  spoolman_url: string;
  blackout_start: string;
  blackout_end: string;
  timezone: string;
}

type Problem = ErrorReply;

interface AuditEntry {
  id: number;
  action: string;
  entity_type: string | null;
  username: string | null;
  details: Record<string, unknown> | null;
}

const expectedDatabase = process.env['ODIN_TEST_DB'] === 'postgres' ? 'postgres' : 'sqlite';
const serverVersion = (JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

describe('health', () => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    ({ server, api } = await startWithAdmin());
  });
  afterAll(() => server.close());

  it.each(['/health', '/api/health'])('answers %s without credentials with status, version and database', async (url) => {
    const response = await api.get(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.body).toEqual({ status: 'ok', version: serverVersion, database: 'ok', database_type: expectedDatabase });
  });

  it('still answers when a (stale or bogus) token is sent', async () => {
    const response = await api.get('/health', { token: 'not-a-real-token' });
    expect(response.status).toBe(200);
  });
});

describe('health when the database is gone', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    // The database handle was destroyed on purpose; closing it again may complain.
    await server.odin.close().catch(() => undefined);
    await server.close();
  });

  it('answers 503 with status degraded and database unreachable, so monitoring notices', async () => {
    await server.odin.database.db.destroy();
    const api = new ApiClient(server.url);
    for (const url of ['/health', '/api/health']) {
      const response = await api.get(url);
      expect(response.status, url).toBe(503);
      expect(response.body).toEqual({
        status: 'degraded',
        version: serverVersion,
        database: 'unreachable',
        database_type: expectedDatabase,
      });
    }
  });
});

describe('general configuration', () => {
  let server: TestServer;
  let api: ApiClient;
  let adminToken: string;
  let viewer: string;
  let operator: string;

  const config = async () => (await api.get<Config>('/api/config', { token: viewer })).body;
  const configAudit = async () =>
    (await api.get<{ logs: AuditEntry[] }>('/api/audit-logs?entity_type=config&action=update&limit=1000', { token: adminToken })).body.logs;

  beforeAll(async () => {
    ({ server, api, adminToken, operator, viewer } = await startWithRoles());
  });
  afterAll(() => server.close());

  it('shows the defaults to a viewer: no Spoolman, no quiet hours, UTC', async () => {
    const response = await api.get<Config>('/api/config', { token: viewer });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ spoolman_url: '', blackout_start: '', blackout_end: '', timezone: 'UTC' });
  });

  it('asks for a login to read it (401) and for an admin to change it (403 for viewer and operator)', async () => {
    const anonymous = await api.get<Problem>('/api/config');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');

    const change = { spoolman_url: 'http://attacker.example:7912' };
    expect((await api.put('/api/config', { json: change })).status).toBe(401);
    for (const token of [viewer, operator]) {
      const response = await api.put<Problem>('/api/config', { token, json: change });
      expect(response.status).toBe(403);
      expect(response.body.detail).toBeTruthy();
    }
    expect((await config()).spoolman_url).toBe('');
  });

  it('lets an admin set Spoolman, quiet hours and time zone; everyone then reads the new values', async () => {
    const change = {
      spoolman_url: 'http://spoolman.local:7912',
      blackout_start: '22:00',
      blackout_end: '06:30',
      timezone: 'Europe/Berlin',
    };
    const response = await api.put<Config & { success: boolean }>('/api/config', { token: adminToken, json: change });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ...change, success: true });
    expect(await config()).toEqual(change);
    expect((await api.get<Config>('/api/config', { token: operator })).body).toEqual(change);
  });

  it('changes only the fields sent, and turns quiet hours off when both are cleared', async () => {
    const before = await config();
    await api.put('/api/config', { token: adminToken, json: { timezone: 'America/New_York' } });
    expect(await config()).toEqual({ ...before, timezone: 'America/New_York' });

    const off = await api.put<Config>('/api/config', { token: adminToken, json: { blackout_start: '', blackout_end: '' } });
    expect(off.status).toBe(200);
    expect(await config()).toEqual({ ...before, timezone: 'America/New_York', blackout_start: '', blackout_end: '' });

    await api.put('/api/config', { token: adminToken, json: { blackout_start: '23:15', blackout_end: '05:45', spoolman_url: '' } });
    expect(await config()).toEqual({ spoolman_url: '', blackout_start: '23:15', blackout_end: '05:45', timezone: 'America/New_York' });
  });

  it.each([
    ['an ftp:// Spoolman URL', { spoolman_url: 'ftp://x' }],
    ['a Spoolman URL without a scheme', { spoolman_url: 'spoolman.local:7912' }],
    ['a javascript: Spoolman URL', { spoolman_url: 'javascript:alert(1)' }],
    ['hour 25', { blackout_start: '25:00' }],
    ['minute 60', { blackout_end: '06:60' }],
    ['a time without leading zero', { blackout_start: '7:00' }],
    ['a time with seconds', { blackout_start: '07:00:00' }],
    ['an unknown time zone', { timezone: 'Mars/Base' }],
    ['an empty time zone', { timezone: '' }],
    ['only a quiet-hours start being cleared', { blackout_start: '' }],
    ['only a quiet-hours end being cleared', { blackout_end: '' }],
    ['a number for the Spoolman URL', { spoolman_url: 7912 }],
    ['a number for the start time', { blackout_start: 2200 }],
    ['null for the time zone', { timezone: null }],
    ['a list for the end time', { blackout_end: ['06:00'] }],
  ])('refuses %s with a 4xx and a detail, changing nothing and logging nothing', async (_label, bad) => {
    const before = await config();
    const auditBefore = (await configAudit()).length;
    // A valid change rides along; it must not land either.
    const response = await api.put<Problem>('/api/config', {
      token: adminToken,
      json: { spoolman_url: 'http://should-not-land:1', ...bad },
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body.detail).toBeTruthy();
    expect(await config()).toEqual(before);
    expect((await configAudit()).length).toBe(auditBefore);
  });

  it('names the bad field in a validation error', async () => {
    const response = await api.put<Problem>('/api/config', { token: adminToken, json: { blackout_start: '25:00' } });
    expect(response.status).toBe(422);
    expect((response.body.errors ?? []).map((d) => d.loc.join('.'))).toContain('body.blackout_start');
  });

  it('says which time zone it does not know', async () => {
    const response = await api.put<Problem>('/api/config', { token: adminToken, json: { timezone: 'Mars/Base' } });
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/Mars\/Base/);
  });

  it('refuses quiet hours with only a start when none were set before', async () => {
    await api.put('/api/config', { token: adminToken, json: { blackout_start: '', blackout_end: '' } });
    const response = await api.put<Problem>('/api/config', { token: adminToken, json: { blackout_start: '22:00' } });
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/blackout_start and blackout_end/);
    expect((await config()).blackout_start).toBe('');
  });

  it('ignores keys it does not know', async () => {
    const before = await config();
    const response = await api.put<Record<string, unknown>>('/api/config', {
      token: adminToken,
      json: { timezone: 'Asia/Tokyo', database_url: 'postgres://evil', is_admin: true },
    });
    expect(response.status).toBe(200);
    expect(response.body).not.toHaveProperty('database_url');
    const after = await api.get<Record<string, unknown>>('/api/config', { token: viewer });
    expect(after.body).toEqual({ ...before, timezone: 'Asia/Tokyo' });
  });

  // Intl.supportedValuesOf('timeZone') lists only ICU's canonical ids, so current names were once refused.
  it('accepts every IANA time zone name the runtime understands (Asia/Kolkata, Europe/Kyiv, Etc/UTC)', async () => {
    for (const timezone of ['Asia/Kolkata', 'Europe/Kyiv', 'Etc/UTC']) {
      const response = await api.put<Config>('/api/config', { token: adminToken, json: { timezone } });
      expect(response.status, timezone).toBe(200);
      expect((await config()).timezone).toBe(timezone);
    }
  });

  it('writes an audit entry with what changed, from and to, and none when nothing changed', async () => {
    await api.put('/api/config', { token: adminToken, json: { spoolman_url: '', timezone: 'UTC' } });
    const before = await configAudit();

    const change = await api.put('/api/config', {
      token: adminToken,
      json: { spoolman_url: 'http://spools.farm:7912', timezone: 'Europe/Paris' },
    });
    expect(change.status).toBe(200);
    const after = await configAudit();
    expect(after.length).toBe(before.length + 1);
    expect(after[0]).toMatchObject({ action: 'update', entity_type: 'config', username: 'admin' });
    expect(after[0]!.details).toEqual({
      changed: { spoolman_url: { from: '', to: 'http://spools.farm:7912' }, timezone: { from: 'UTC', to: 'Europe/Paris' } },
    });

    // Sending the same values again changes nothing, and the log stays quiet.
    await api.put('/api/config', { token: adminToken, json: { spoolman_url: 'http://spools.farm:7912', timezone: 'Europe/Paris' } });
    expect((await configAudit()).length).toBe(after.length);
  });
});

describe('interface language', () => {
  let server: TestServer;
  let api: ApiClient;
  let adminToken: string;
  let viewer: string;
  let operator: string;

  beforeAll(async () => {
    ({ server, api, adminToken, operator, viewer } = await startWithRoles());
  });
  afterAll(() => server.close());

  it('is English by default and lists the supported languages to a viewer', async () => {
    const response = await api.get<{ language: string; supported: string[] }>('/api/settings/language', { token: viewer });
    expect(response.status).toBe(200);
    expect(response.body.language).toBe('en');
    expect(response.body.supported).toEqual(expect.arrayContaining(['en', 'de']));
  });

  it('needs a login to read (401)', async () => {
    expect((await api.get('/api/settings/language')).status).toBe(401);
  });

  it('lets an admin switch to German, which every user then sees, and logs it', async () => {
    const response = await api.put<{ language: string }>('/api/settings/language', { token: adminToken, json: { language: 'de' } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ language: 'de' });
    for (const token of [viewer, operator, adminToken]) {
      expect((await api.get<{ language: string }>('/api/settings/language', { token })).body.language).toBe('de');
    }
    const logs = await api.get<{ logs: AuditEntry[] }>('/api/audit-logs?entity_type=config', { token: adminToken });
    expect(logs.body.logs[0]).toMatchObject({ action: 'update', username: 'admin', details: { language: 'de' } });
  });

  it('refuses an unsupported language with 422 and keeps the current one', async () => {
    for (const language of ['xx', 'DE', '', 42]) {
      const response = await api.put<Problem>('/api/settings/language', { token: adminToken, json: { language } });
      expect(response.status, String(language)).toBe(422);
      expect(response.body.detail).toBeTruthy();
    }
    expect((await api.put<Problem>('/api/settings/language', { token: adminToken, json: {} })).status).toBe(422);
    expect((await api.get<{ language: string }>('/api/settings/language', { token: viewer })).body.language).toBe('de');
  });

  it('lets only admins change it: none 401, viewer and operator 403', async () => {
    expect((await api.put('/api/settings/language', { json: { language: 'en' } })).status).toBe(401);
    for (const token of [viewer, operator]) {
      expect((await api.put('/api/settings/language', { token, json: { language: 'en' } })).status).toBe(403);
    }
    expect((await api.get<{ language: string }>('/api/settings/language', { token: viewer })).body.language).toBe('de');
  });

  it('survives a server restart', async () => {
    // Same data directory (and database, under PostgreSQL): settings live in the database, not in memory.
    const restarted = await startTestServer({
      dataDir: server.dataDir,
      ...(server.config.databaseUrl ? { databaseUrl: server.config.databaseUrl } : {}),
    });
    try {
      const again = new ApiClient(restarted.url);
      const response = await again.get<{ language: string }>('/api/settings/language', { token: viewer });
      expect(response.status).toBe(200);
      expect(response.body.language).toBe('de');
    } finally {
      await restarted.odin.close();
    }
  });
});
