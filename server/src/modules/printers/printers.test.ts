import fs from 'node:fs';
import path from 'node:path';

import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type ApiClient, startWithRoles } from '../../../test/client.js';
import { type TestServer, usingPostgres } from '../../../test/harness.js';
import { parseApiHost } from './api-host.js';

interface Printer {
  id: number;
  name: string;
  api_type: string | null;
  api_host: string | null;
  api_key_set: boolean;
  password_set: boolean;
  username: string | null;
  slot_count: number;
  display_order: number;
  status: string;
  online: boolean;
  filament_slots: { slot_number: number; color_hex: string | null; filament_type: string | null }[];
  loaded_colors: string[];
  nozzle_type: string | null;
  nozzle_diameter: number | null;
}

describe('api_host parsing', () => {
  it.each([
    ['192.168.1.20', { host: '192.168.1.20', port: null }],
    ['printer.local:7125', { host: 'printer.local', port: 7125 }],
    ['http://10.0.0.5:7125/', { host: '10.0.0.5', port: 7125 }],
    ['[fe80::1]:80', { host: 'fe80::1', port: 80 }],
  ])('reads %s', (input, expected) => expect(parseApiHost(input)).toEqual(expected));

  it.each(['', 'http://', 'ftp://x', 'user:pw@host', 'bad host name', 'a'.repeat(300)])('refuses %j', (input) =>
    expect(parseApiHost(input)).toBeNull(),
  );
});

describe('printers API', () => {
  let server: TestServer;
  let api: ApiClient;
  let admin: string;
  let operator: string;
  let viewer: string;

  beforeAll(async () => {
    ({ server, api, adminToken: admin, operator, viewer } = await startWithRoles());
  });
  afterAll(() => server.close());

  const create = (body: Record<string, unknown>, token = operator) => api.post<Printer>('/api/printers', { token, json: body });

  it('adds a printer (201) with its slots, storing credentials encrypted and never returning them', async () => {
    const response = await create({
      name: 'Prusa MK4 #1',
      model: 'MK4',
      api_type: 'prusalink',
      api_host: '10.0.0.31',
      api_key: 'PL-SECRET-KEY',
      username: 'maker',
      password: 'digest-pass',
      slot_count: 5,
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      name: 'Prusa MK4 #1',
      api_type: 'prusalink',
      api_host: '10.0.0.31',
      api_key_set: true,
      password_set: true,
      username: 'maker',
      slot_count: 5,
    });
    expect(response.body.filament_slots.map((s) => s.slot_number)).toEqual([1, 2, 3, 4, 5]);
    const everything = JSON.stringify((await api.get('/api/printers', { token: viewer })).body) + response.text;
    expect(everything).not.toContain('PL-SECRET-KEY');
    expect(everything).not.toContain('digest-pass');

    if (!usingPostgres) {
      const db = new SQLite(path.join(server.dataDir, 'odin.db'), { readonly: true });
      const row = db.prepare('select api_key, api_password from printers where id = ?').get(response.body.id) as {
        api_key: string;
        api_password: string;
      };
      db.close();
      expect(row.api_key.startsWith('gAAAAA')).toBe(true);
      expect(row.api_key).not.toContain('PL-SECRET-KEY');
      expect(server.odin.services.secretBox.decrypt(row.api_key)).toBe('PL-SECRET-KEY');
      expect(fs.existsSync(path.join(server.dataDir, '.encryption_key'))).toBe(true);
    }
  });

  it('keeps a printer without a connection (tracked by hand)', async () => {
    const response = await create({ name: 'Old Ender 3' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ api_type: null, status: 'offline', online: false, slot_count: 4 });
  });

  it('refuses duplicates, a missing or bad host, and bad values — writing nothing', async () => {
    const before = (await api.get<Printer[]>('/api/printers', { token: viewer })).body.length;
    expect((await create({ name: 'Prusa MK4 #1' })).status).toBe(400);
    const noHost = await create({ name: 'Voron', api_type: 'moonraker' });
    expect(noHost.status).toBe(400);
    expect((noHost.body as unknown as { detail: string }).detail).toMatch(/api_host is required/);
    expect((await create({ name: 'Voron', api_type: 'moonraker', api_host: 'not a host!' })).status).toBe(400);
    expect((await create({ name: 'Voron', api_type: 'octoprint', api_host: '10.0.0.9' })).status).toBe(422);
    expect((await create({ name: 'Voron', slot_count: 17 })).status).toBe(422);
    expect((await create({ name: '' })).status).toBe(422);
    expect((await create({ name: 'Voron', camera_url: 'javascript:alert(1)' })).status).toBe(422);
    expect((await api.get<Printer[]>('/api/printers', { token: viewer })).body.length).toBe(before);
  });

  it('lets viewers read but not change printers', async () => {
    expect((await api.get('/api/printers', { token: viewer })).status).toBe(200);
    expect((await create({ name: 'Sneaky' }, viewer)).status).toBe(403);
    const [first] = (await api.get<Printer[]>('/api/printers', { token: viewer })).body;
    expect((await api.patch(`/api/printers/${first!.id}`, { token: viewer, json: { name: 'x' } })).status).toBe(403);
    expect((await api.delete(`/api/printers/${first!.id}`, { token: viewer })).status).toBe(403);
    expect((await api.post(`/api/printers/${first!.id}/pause`, { token: viewer })).status).toBe(403);
    expect((await api.get('/api/printers')).status).toBe(401);
  });

  it('edits a printer: clearing a key, keeping the password, growing and shrinking slots', async () => {
    const printer = (await create({ name: 'Editable', api_type: 'moonraker', api_host: '10.0.0.40', api_key: 'abc', slot_count: 2 })).body;
    const edited = await api.patch<Printer>(`/api/printers/${printer.id}`, {
      token: operator,
      json: { api_key: '', slot_count: 4, nickname: 'Eddie', unknown_field: 1 },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.api_key_set).toBe(false);
    expect(edited.body.filament_slots.map((s) => s.slot_number)).toEqual([1, 2, 3, 4]);
    const shrunk = await api.patch<Printer>(`/api/printers/${printer.id}`, { token: operator, json: { slot_count: 1 } });
    expect(shrunk.body.filament_slots.map((s) => s.slot_number)).toEqual([1]);
    expect((await api.patch(`/api/printers/${printer.id}`, { token: operator, json: { name: 'Prusa MK4 #1' } })).status).toBe(400);
    expect((await api.patch('/api/printers/999999', { token: operator, json: { name: 'x' } })).status).toBe(404);
  });

  it('loads filament into a slot and shows its colour in loaded_colors', async () => {
    const printer = (await create({ name: 'Colourful', slot_count: 2 })).body;
    const slot = await api.patch<{ color_hex: string; filament_type: string; loaded_at: string }>(`/api/printers/${printer.id}/slots/2`, {
      token: operator,
      json: { filament_type: 'petg', color: 'Galaxy Black', color_hex: '1a1a1aff' },
    });
    expect(slot.status).toBe(200);
    expect(slot.body).toMatchObject({ filament_type: 'PETG', color_hex: '#1A1A1AFF' });
    expect(slot.body.loaded_at).toBeTruthy();
    const read = (await api.get<Printer>(`/api/printers/${printer.id}`, { token: viewer })).body;
    expect(read.loaded_colors).toEqual(['#1a1a1aff']);
    expect((await api.patch(`/api/printers/${printer.id}/slots/3`, { token: operator, json: { color: 'x' } })).status).toBe(404);
    expect((await api.patch(`/api/printers/${printer.id}/slots/1`, { token: operator, json: { color_hex: 'red' } })).status).toBe(422);
    expect((await api.get<unknown[]>(`/api/printers/${printer.id}/slots`, { token: viewer })).body).toHaveLength(2);
  });

  it('reorders printers', async () => {
    const list = (await api.get<Printer[]>('/api/printers', { token: viewer })).body;
    const reversed = list.map((p) => p.id).reverse();
    expect((await api.post('/api/printers/reorder', { token: operator, json: { printer_ids: reversed } })).status).toBe(200);
    expect((await api.get<Printer[]>('/api/printers', { token: viewer })).body.map((p) => p.id)).toEqual(reversed);
    expect((await api.post('/api/printers/reorder', { token: operator, json: { printer_ids: [999999] } })).status).toBe(400);
  });

  it('tracks nozzles: installing retires the previous one, and each can be retired once', async () => {
    const printer = (await create({ name: 'Nozzled' })).body;
    expect((await api.get(`/api/printers/${printer.id}/nozzle`, { token: viewer })).body).toBeNull();
    const first = await api.post<{ id: number; removed_at: string | null }>(`/api/printers/${printer.id}/nozzle`, {
      token: operator,
      json: { nozzle_type: 'hardened_steel', nozzle_diameter: 0.4 },
    });
    expect(first.status).toBe(200);
    const second = await api.post<{ id: number }>(`/api/printers/${printer.id}/nozzle`, {
      token: operator,
      json: { nozzle_type: 'brass', nozzle_diameter: 0.6, notes: 'for PETG' },
    });
    const current = await api.get<{ id: number; nozzle_diameter: number }>(`/api/printers/${printer.id}/nozzle`, { token: viewer });
    expect(current.body).toMatchObject({ id: second.body.id, nozzle_diameter: 0.6 });
    const history = await api.get<{ id: number; removed_at: string | null }[]>(`/api/printers/${printer.id}/nozzle/history`, {
      token: viewer,
    });
    expect(history.body.map((n) => n.id)).toEqual([second.body.id, first.body.id]);
    expect(history.body[1]!.removed_at).not.toBeNull();
    expect((await api.get<Printer>(`/api/printers/${printer.id}`, { token: viewer })).body).toMatchObject({
      nozzle_type: 'brass',
      nozzle_diameter: 0.6,
    });
    expect((await api.patch(`/api/printers/${printer.id}/nozzle/${second.body.id}/retire`, { token: operator })).status).toBe(200);
    expect((await api.patch(`/api/printers/${printer.id}/nozzle/${second.body.id}/retire`, { token: operator })).status).toBe(409);
    expect((await api.get(`/api/printers/${printer.id}/nozzle`, { token: viewer })).body).toBeNull();
  });

  it('answers control commands on a printer without a connection with 409, in words', async () => {
    const printer = (await create({ name: 'Manual one' })).body;
    const response = await api.post<{ detail: string }>(`/api/printers/${printer.id}/pause`, { token: operator });
    expect(response.status).toBe(409);
    expect(response.body.detail).toMatch(/no printer connection/i);
  });

  it('deletes a printer (204) and its slots with it', async () => {
    const printer = (await create({ name: 'Doomed' })).body;
    const response = await api.delete(`/api/printers/${printer.id}`, { token: operator });
    expect(response.status).toBe(204);
    expect((await api.get(`/api/printers/${printer.id}`, { token: viewer })).status).toBe(404);
    expect((await api.get(`/api/printers/${printer.id}/slots`, { token: viewer })).status).toBe(404);
    const logs = await api.get<{ logs: { action: string; entity_type: string }[] }>('/api/audit-logs?entity_type=printer', {
      token: admin,
    });
    expect(logs.body.logs.map((l) => l.action)).toEqual(expect.arrayContaining(['create', 'update', 'delete']));
  });

  it('records each printer change once in the audit log, saying what changed', async () => {
    const printer = (await create({ name: 'Audited' })).body;
    expect((await api.patch(`/api/printers/${printer.id}`, { token: operator, json: { name: 'Audited 2', model: 'MK4S' } })).status).toBe(
      200,
    );
    expect((await api.patch(`/api/printers/${printer.id}`, { token: operator, json: {} })).status).toBe(200);
    const nozzle = await api.post<{ id: number }>(`/api/printers/${printer.id}/nozzle`, {
      token: operator,
      json: { nozzle_type: 'brass', nozzle_diameter: 0.4 },
    });
    expect((await api.post(`/api/printers/${printer.id}/pause`, { token: operator })).status).toBe(409);
    expect((await api.delete(`/api/printers/${printer.id}`, { token: operator })).status).toBe(204);

    type Entry = { action: string; entity_id: number | null; username: string | null; details: Record<string, unknown> | null };
    const logs = await api.get<{ logs: Entry[] }>('/api/audit-logs?entity_type=printer&limit=1000', { token: admin });
    const trail = logs.body.logs.filter((l) => l.entity_id === printer.id).reverse();
    // The empty edit and the refused pause change nothing, so they leave no entry.
    expect(trail.map(({ action, username, details }) => ({ action, username, details }))).toEqual([
      { action: 'create', username: 'operator1', details: { name: 'Audited', api_type: null } },
      { action: 'update', username: 'operator1', details: { name: 'Audited 2', fields: ['name', 'model'] } },
      {
        action: 'install_nozzle',
        username: 'operator1',
        details: { nozzle_id: nozzle.body.id, nozzle_type: 'brass', nozzle_diameter: 0.4 },
      },
      { action: 'delete', username: 'operator1', details: { name: 'Audited 2' } },
    ]);
  });

  it('reports every printer in /api/stats and /metrics', async () => {
    const count = (await api.get<Printer[]>('/api/printers', { token: viewer })).body.length;
    const stats = await api.get<{ total_printers: number; offline_printers: number }>('/api/stats', { token: viewer });
    expect(stats.body.total_printers).toBe(count);
    expect(stats.body.offline_printers).toBe(count);
    const metrics = await api.get('/metrics');
    expect(metrics.headers.get('content-type')).toMatch(/text\/plain/);
    expect(metrics.text).toContain(`odin_printers_total ${count}`);
    expect(metrics.text).toMatch(/odin_printer_status\{printer_id="\d+",printer="Prusa MK4 #1",status="offline"\} 1/);
  });
});
