import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ADMIN, type ApiClient, type ErrorReply, PASSWORD, startWithAdmin, userWithRole } from '../../../test/client.js';
import { type TestServer } from '../../../test/harness.js';
import { csvCell, csvLine } from '../../core/http/csv.js';

interface AuditEntry {
  id: number;
  timestamp: string;
  action: string;
  entity_type: string | null;
  entity_id: number | null;
  details: Record<string, unknown> | null;
  ip_address: string | null;
  user_id: number | null;
  username: string | null;
}

interface Page {
  logs: AuditEntry[];
  total: number;
}

type Problem = ErrorReply;

const CSV_HEADER = ['id', 'timestamp', 'action', 'entity_type', 'entity_id', 'username', 'user_id', 'ip_address', 'details'];

/** A strict RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      if (cell !== '') throw new Error(`stray quote in unquoted cell at ${i}`);
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      throw new Error(`bare line break outside quotes at ${i}`);
    } else {
      cell += c;
    }
  }
  if (quoted) throw new Error('unterminated quoted cell');
  if (cell !== '' || row.length > 0) throw new Error('last record is not terminated by CRLF');
  return rows;
}

/** Records as objects keyed by the header row. */
function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  expect(header).toEqual(CSV_HEADER);
  for (const row of rows) expect(row).toHaveLength(CSV_HEADER.length);
  return rows.map((row) => Object.fromEntries(CSV_HEADER.map((name, i) => [name, row[i]!])));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function failLogin(api: ApiClient, username: string, headers: Record<string, string> = {}): Promise<void> {
  const response = await api.post('/api/auth/login', { form: { username, password: 'Wrong1Password' }, headers });
  expect(response.status, username).toBe(401);
}

describe('audit log access', () => {
  let server: TestServer;
  let api: ApiClient;
  let adminToken: string;

  beforeAll(async () => {
    ({ server, api, adminToken } = await startWithAdmin());
  });
  afterAll(() => server.close());

  it('is for admins only: no token 401, viewer and operator 403, for the list and the export', async () => {
    const viewer = await userWithRole(api, adminToken, 'viewer');
    const operator = await userWithRole(api, adminToken, 'operator');
    for (const url of ['/api/audit-logs', '/api/export/audit-logs']) {
      const anonymous = await api.get<Problem>(url);
      expect(anonymous.status, url).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
      for (const token of [viewer.token, operator.token]) {
        const response = await api.get<Problem>(url, { token });
        expect(response.status, url).toBe(403);
        expect(response.body.detail).toBeTruthy();
      }
      expect((await api.get(url, { token: adminToken })).status, url).toBe(200);
    }
  });
});

describe('audit log list', () => {
  let server: TestServer;
  let api: ApiClient;
  let adminToken: string;
  let operator: { id: number; token: string };
  /** An instant between the first and second batch of events. */
  let midpoint: Date;

  const list = async (query = '') => {
    const response = await api.get<Page>(`/api/audit-logs${query}`, { token: adminToken });
    expect(response.status, query).toBe(200);
    return response.body;
  };

  beforeAll(async () => {
    ({ server, api, adminToken } = await startWithAdmin());
    operator = await userWithRole(api, adminToken, 'operator', 'Mira.Operator');
    await failLogin(api, 'ghost-user');
    await pause(20);
    midpoint = new Date();
    await pause(20);
    await api.login('Mira.Operator', PASSWORD);
    await api.patch(`/api/users/${operator.id}`, { token: adminToken, json: { email: 'mira@farm.example' } });
    await failLogin(api, 'grant%total');
    await failLogin(api, 'grantXtotal');
    await failLogin(api, 'under_score');
    await failLogin(api, 'underXscore');
  });
  afterAll(() => server.close());

  it('lists entries newest first, with who, what, from where, and the total', async () => {
    const page = await list();
    expect(page.total).toBe(page.logs.length);
    expect(page.total).toBeGreaterThanOrEqual(10);
    const ids = page.logs.map((l) => l.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const times = page.logs.map((l) => Date.parse(l.timestamp));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const log of page.logs) expect(log.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

    // The most recent thing that happened comes first.
    expect(page.logs[0]).toMatchObject({ action: 'login_failed', details: { username: 'underXscore' }, ip_address: '127.0.0.1' });
    const operatorLogin = page.logs.find((l) => l.action === 'login' && l.username === 'Mira.Operator')!;
    expect(operatorLogin).toMatchObject({ user_id: operator.id, entity_type: 'user', entity_id: operator.id });
    const userCreated = page.logs.find((l) => l.action === 'create' && l.entity_type === 'user' && l.entity_id === operator.id)!;
    expect(userCreated.username).toBe(ADMIN.username);
  });

  it('filters by action and by entity type', async () => {
    const failed = await list('?action=login_failed');
    expect(failed.total).toBe(5);
    expect(failed.logs.every((l) => l.action === 'login_failed')).toBe(true);

    const setup = await list('?entity_type=system');
    expect(setup.total).toBeGreaterThanOrEqual(1);
    expect(setup.logs.every((l) => l.entity_type === 'system')).toBe(true);

    const both = await list('?action=update&entity_type=user');
    expect(both.total).toBe(1);
    expect(both.logs[0]!.entity_id).toBe(operator.id);

    expect((await list('?action=no-such-action')).total).toBe(0);
  });

  it('filters by the user who acted', async () => {
    // The operator logged in twice (once when created, once later) and did nothing else.
    const mine = await list(`?user_id=${operator.id}`);
    expect(mine.total).toBe(2);
    for (const log of mine.logs) expect(log).toMatchObject({ action: 'login', user_id: operator.id, username: 'Mira.Operator' });

    const admin = await list('?user_id=1');
    expect(admin.total).toBeGreaterThanOrEqual(3);
    expect(admin.logs.every((l) => l.user_id === 1)).toBe(true);
  });

  it('filters by time with since and until, in any ISO offset', async () => {
    const all = await list();
    const expectedAfter = all.logs.filter((l) => Date.parse(l.timestamp) >= midpoint.getTime());
    const expectedBefore = all.logs.filter((l) => Date.parse(l.timestamp) <= midpoint.getTime());
    expect(expectedAfter.length).toBe(6);
    expect(expectedBefore.length).toBe(all.total - 6);

    const since = await list(`?since=${encodeURIComponent(midpoint.toISOString())}`);
    expect(since.logs.map((l) => l.id)).toEqual(expectedAfter.map((l) => l.id));
    expect(since.total).toBe(6);
    const until = await list(`?until=${encodeURIComponent(midpoint.toISOString())}`);
    expect(until.logs.map((l) => l.id)).toEqual(expectedBefore.map((l) => l.id));

    // The same instant written as Berlin summer time (UTC+02:00) selects the same entries.
    const shifted = new Date(midpoint.getTime() + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    expect((await list(`?since=${encodeURIComponent(shifted)}`)).total).toBe(6);

    // A window in the future is empty; since after until is empty.
    expect((await list(`?since=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`)).total).toBe(0);
    const inverted = `?since=${encodeURIComponent(new Date().toISOString())}&until=${encodeURIComponent(midpoint.toISOString())}`;
    expect((await list(inverted)).total).toBe(0);
  });

  it('refuses dates that are not ISO date-times with 422', async () => {
    for (const bad of ['yesterday', '2025-13-01T00:00:00Z', '1700000000']) {
      const response = await api.get<Problem>(`/api/audit-logs?since=${encodeURIComponent(bad)}`, { token: adminToken });
      expect(response.status, bad).toBe(422);
      expect(response.body.detail).toBeTruthy();
    }
  });

  it('searches details, usernames and addresses, ignoring case', async () => {
    const byName = await list('?search=mira.OPERATOR');
    expect(byName.total).toBeGreaterThanOrEqual(3); // created, logged in, updated
    expect(byName.logs.every((l) => JSON.stringify(l).toLowerCase().includes('mira.operator'))).toBe(true);
    expect(byName.logs.map((l) => l.action)).toEqual(expect.arrayContaining(['create', 'login', 'update']));

    const byDetail = await list('?search=GHOST');
    expect(byDetail.logs.map((l) => l.details?.['username'])).toEqual(['ghost-user']);

    expect((await list('?search=127.0.0.1')).total).toBe((await list()).total);
    expect((await list('?search=nothing-like-this')).total).toBe(0);
  });

  it('treats % and _ in a search as plain characters, not wildcards', async () => {
    const percent = await list(`?search=${encodeURIComponent('grant%total')}`);
    expect(percent.logs.map((l) => l.details?.['username'])).toEqual(['grant%total']);
    const underscore = await list('?search=under_score');
    expect(underscore.logs.map((l) => l.details?.['username'])).toEqual(['under_score']);
  });

  it('pages with limit and offset, keeping the total of all matches', async () => {
    const all = await list();
    const first = await list('?limit=3');
    const second = await list('?limit=3&offset=3');
    expect(first.logs).toHaveLength(3);
    expect(second.logs).toHaveLength(3);
    expect(first.total).toBe(all.total);
    expect(second.total).toBe(all.total);
    expect([...first.logs, ...second.logs].map((l) => l.id)).toEqual(all.logs.slice(0, 6).map((l) => l.id));

    const beyond = await list(`?offset=${all.total}`);
    expect(beyond.logs).toEqual([]);
    expect(beyond.total).toBe(all.total);

    const filteredPage = await list('?action=login_failed&limit=2&offset=1');
    expect(filteredPage.total).toBe(5);
    expect(filteredPage.logs.map((l) => l.details?.['username'])).toEqual(['under_score', 'grantXtotal']);
  });

  it('refuses out-of-range and malformed paging and filters with 422', async () => {
    for (const query of [
      '?limit=0',
      '?limit=5000',
      '?limit=-1',
      '?limit=abc',
      '?offset=-1',
      '?user_id=0',
      '?user_id=abc',
      `?search=${'x'.repeat(201)}`,
    ]) {
      const response = await api.get<Problem>(`/api/audit-logs${query}`, { token: adminToken });
      expect(response.status, query).toBe(422);
      expect(response.body.code, query).toBe('validation_failed');
      expect(response.body.errors?.length, query).toBeGreaterThan(0);
    }
    expect((await list('?limit=1000')).logs.length).toBe((await list()).total);
  });

  // An offset beyond any integer the database takes, and a leap-second date-time (valid for the schema,
  // Invalid Date for JavaScript), once ended in 500.
  it('answers an absurd offset and a leap-second date with a 4xx, not 500', async () => {
    for (const query of ['?offset=99999999999999999999', `?since=${encodeURIComponent('2016-12-31T23:59:60Z')}`]) {
      const response = await api.get<Problem>(`/api/audit-logs${query}`, { token: adminToken });
      expect(response.status, query).toBeGreaterThanOrEqual(400);
      expect(response.status, query).toBeLessThan(500);
    }
  });

  // A user_id beyond PostgreSQL's integer column once answered 500 there (and cut the streaming export).
  it('answers a user id beyond any real id without a server error, in the list and the export', async () => {
    const response = await api.get<Page>('/api/audit-logs?user_id=3000000000', { token: adminToken });
    expect(response.status).toBeLessThan(500);
    const exported = await api.get<string>('/api/export/audit-logs?user_id=3000000000', { token: adminToken });
    expect(exported.status).toBeLessThan(500);
    if (exported.status === 200) expect(csvRecords(exported.text)).toEqual([]);
  });

  it('is not changed by reading or exporting it', async () => {
    const before = (await list()).total;
    await api.get('/api/export/audit-logs', { token: adminToken });
    await list('?search=x');
    expect((await list()).total).toBe(before);
  });
});

describe('audit log CSV export', () => {
  let server: TestServer;
  let api: ApiClient;
  let adminToken: string;
  const awkward = 'o\'brien, "the boss"\nsecond line';

  const exportCsv = async (query = '') => {
    const response = await api.get<string>(`/api/export/audit-logs${query}`, { token: adminToken });
    expect(response.status, query).toBe(200);
    return response;
  };

  beforeAll(async () => {
    // Behind a reverse proxy the client address comes from X-Forwarded-For, so a client controls it.
    ({ server, api, adminToken } = await startWithAdmin({ env: { ODIN_TRUST_PROXY: 'true' } }));
    await userWithRole(api, adminToken, 'viewer', 'csv.viewer');
    await failLogin(api, '=HYPERLINK("http://evil.example","click")');
    await failLogin(api, awkward);
    await failLogin(api, 'spoofed-address', { 'x-forwarded-for': '=cmd|/c calc' });
    await failLogin(api, 'plus-address', { 'x-forwarded-for': '+1+1' });
    await failLogin(api, 'at-address', { 'x-forwarded-for': '@SUM(1)' });
  });
  afterAll(() => server.close());

  it('downloads as a CSV attachment with a header row and one record per entry, newest first', async () => {
    const response = await exportCsv();
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="odin-audit-log-\d{4}-\d\d-\d\d\.csv"$/);
    expect(response.text.startsWith(`${CSV_HEADER.join(',')}\r\n`)).toBe(true);

    const records = csvRecords(response.text);
    const list = await api.get<Page>('/api/audit-logs?limit=1000', { token: adminToken });
    expect(records.map((r) => Number(r['id']))).toEqual(list.body.logs.map((l) => l.id));
    const login = list.body.logs.find((l) => l.action === 'login' && l.username === 'csv.viewer')!;
    const row = records.find((r) => Number(r['id']) === login.id)!;
    expect(row).toMatchObject({
      action: 'login',
      entity_type: 'user',
      username: 'csv.viewer',
      user_id: String(login.user_id),
      timestamp: login.timestamp,
    });
    expect(JSON.parse(row['details']!)).toEqual(login.details);
    // Empty values are empty cells, not "null".
    const setupDone = records.find((r) => r['action'] === 'setup_completed')!;
    expect(setupDone['entity_id']).toBe('');
    expect(setupDone['details']).toBe('');
  });

  it('applies the same filters as the list', async () => {
    const records = csvRecords((await exportCsv('?action=login_failed')).text);
    expect(records).toHaveLength(5);
    expect(records.every((r) => r['action'] === 'login_failed')).toBe(true);
    expect(csvRecords((await exportCsv('?search=plus-address')).text)).toHaveLength(1);
    expect(csvRecords((await exportCsv(`?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).text)).toHaveLength(0);
    expect((await api.get<Problem>('/api/export/audit-logs?since=yesterday', { token: adminToken })).status).toBe(422);
  });

  it('keeps commas, quotes and line breaks inside their cell, and they read back exactly', async () => {
    const text = (await exportCsv()).text;
    const row = csvRecords(text).find((r) => r['details']?.includes('brien'))!;
    expect(JSON.parse(row['details']!)).toMatchObject({ username: awkward });
    // The cell is quoted, with its quotes doubled.
    expect(text).toContain('"{""username"":""o\'brien, \\""the boss\\""\\nsecond line""');
  });

  it('never lets a cell start with a formula character, so a spreadsheet cannot run it', async () => {
    const records = csvRecords((await exportCsv()).text);
    for (const record of records) {
      for (const [column, value] of Object.entries(record)) expect(value, `${column} of entry ${record['id']}`).not.toMatch(/^[=+\-@\t\r]/);
    }
    // Client-controlled addresses are kept, but defused with a leading quote.
    const addresses = records.map((r) => r['ip_address']);
    expect(addresses).toContain("'=cmd|/c calc");
    expect(addresses).toContain("'+1+1");
    expect(addresses).toContain("'@SUM(1)");
    // A formula in the attempted username stays inside the JSON details, which a spreadsheet shows as text.
    const hyperlink = records.find((r) => r['details']?.includes('HYPERLINK'))!;
    expect(hyperlink['details']!.startsWith('{')).toBe(true);
    expect(JSON.parse(hyperlink['details']!)).toMatchObject({ username: '=HYPERLINK("http://evil.example","click")' });
  });
});

describe('CSV cells', () => {
  it('quotes commas, quotes and line breaks per RFC 4180', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rlf')).toBe('"cr\rlf"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(42)).toBe('42');
    expect(csvCell({ a: 'b,c' })).toBe('"{""a"":""b,c""}"');
    expect(parseCsv(csvLine(['a,b', 'say "hi"', 'two\nlines', null]))).toEqual([['a,b', 'say "hi"', 'two\nlines', '']]);
  });

  it('prefixes formula starters with a quote, then quotes as needed', () => {
    expect(csvCell('=HYPERLINK(1)')).toBe("'=HYPERLINK(1)");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('=A1,B1')).toBe(`"'=A1,B1"`);
    expect(csvCell('a=b')).toBe('a=b');
  });
});
