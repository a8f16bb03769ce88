import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type ApiClient, startWithRoles } from '../../../test/client.js';
import { type TestServer } from '../../../test/harness.js';
import { waitFor } from '../../../test/wait.js';

/** A Spoolman peer answering in the shapes of Spoolman's published REST API (v1). */
function fakeSpoolman() {
  const vendor = { id: 1, name: 'Polymaker', registered: '2024-01-01T00:00:00Z' };
  const filaments = [
    {
      id: 10,
      registered: '2024-01-01T00:00:00Z',
      name: 'PolyTerra Charcoal',
      vendor,
      material: 'PLA',
      price: 20,
      density: 1.24,
      diameter: 1.75,
      weight: 1000,
      spool_weight: 140,
      color_hex: '2A2A2A',
      settings_extruder_temp: 210,
      settings_bed_temp: 60,
    },
    {
      id: 11,
      registered: '2024-01-01T00:00:00Z',
      name: 'PolyLite PETG Teal',
      vendor,
      material: 'PETG',
      price: 25,
      density: 1.27,
      diameter: 1.75,
      weight: 1000,
      color_hex: '00808080',
    },
  ];
  const spools = [
    {
      id: 100,
      registered: '2024-02-01T00:00:00Z',
      filament: filaments[0],
      initial_weight: 1000,
      spool_weight: 140,
      remaining_weight: 640,
      used_weight: 360,
      location: 'Rack 3',
      lot_nr: 'L-77',
      archived: false,
    },
    { id: 101, registered: '2024-02-01T00:00:00Z', filament: filaments[1], remaining_weight: 1000, used_weight: 0, archived: false },
  ];
  const uses: { id: number; body: unknown }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const use = /^\/api\/v1\/spool\/(\d+)\/use$/.exec(req.url ?? '');
      if (req.method === 'GET' && req.url === '/api/v1/info') return send(200, { version: '0.21.0', debug_mode: false });
      if (req.method === 'GET' && req.url === '/api/v1/filament') return send(200, filaments);
      if (req.method === 'GET' && req.url === '/api/v1/spool') return send(200, spools);
      if (req.method === 'PUT' && use) {
        uses.push({ id: Number(use[1]), body: JSON.parse(body) as unknown });
        return send(
          200,
          spools.find((s) => s.id === Number(use[1])),
        );
      }
      send(404, { message: 'Not found' });
    });
  });
  return { server, uses, spools };
}

describe('Spoolman', () => {
  const peer = fakeSpoolman();
  // Accepts connections and never answers: the "Spoolman hangs" case.
  const silent = http.createServer(() => undefined);
  let server: TestServer;
  let api: ApiClient;
  let admin: string;
  let operator: string;
  let viewer: string;
  const url = (s: http.Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  const setUrl = (spoolmanUrl: string) => api.put('/api/config', { token: admin, json: { spoolman_url: spoolmanUrl } });

  beforeAll(async () => {
    await new Promise<void>((resolve) => peer.server.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    ({ server, api, adminToken: admin, operator, viewer } = await startWithRoles({ env: { ODIN_SPOOLMAN_TIMEOUT_MS: '700' } }));
  });
  afterAll(async () => {
    await server.close();
    silent.closeAllConnections();
    peer.server.close();
    silent.close();
  });

  it('says clearly when no Spoolman is configured, and the combined list still has the library', async () => {
    const test = await api.get<{ code: string }>('/api/spoolman/test', { token: viewer });
    expect(test.status).toBe(400);
    expect(test.body.code).toBe('spoolman_not_configured');
    const combined = await api.get<{ spoolman: string }>('/api/filaments/combined', { token: viewer });
    expect(combined.body.spoolman).toBe('off');
  });

  it('tests, lists and imports from Spoolman without duplicating on a second sync', async () => {
    expect((await setUrl(url(peer.server))).status).toBe(200);
    expect((await api.get<{ ok: boolean; version: string }>('/api/spoolman/test', { token: viewer })).body).toEqual({
      ok: true,
      version: '0.21.0',
    });
    expect((await api.get<unknown[]>('/api/spoolman/spools', { token: viewer })).body).toHaveLength(2);
    const combined = (
      await api.get<{ filaments: { id: string; source: string; color_hex: string | null }[]; spoolman: string }>(
        '/api/filaments/combined',
        { token: viewer },
      )
    ).body;
    expect(combined.spoolman).toBe('ok');
    expect(combined.filaments.filter((f) => f.source === 'spoolman').map((f) => [f.id, f.color_hex])).toEqual([
      ['spoolman:10', '#2A2A2A'],
      ['spoolman:11', '#008080'],
    ]);

    expect((await api.post('/api/spoolman/sync', { token: viewer })).status).toBe(403);
    const first = await api.post<Record<string, number>>('/api/spoolman/sync', { token: operator });
    expect(first.body).toEqual({ filaments_created: 2, filaments_updated: 0, spools_created: 2, spools_updated: 0 });
    const again = await api.post<Record<string, number>>('/api/spoolman/sync', { token: operator });
    expect(again.body).toEqual({ filaments_created: 0, filaments_updated: 2, spools_created: 0, spools_updated: 2 });

    const spools = (
      await api.get<
        {
          id: number;
          spoolman_spool_id: number;
          remaining_weight_g: number;
          storage_location: string;
          lot_number: string;
          source: string;
        }[]
      >('/api/spools', { token: viewer })
    ).body;
    const charcoal = spools.find((s) => s.spoolman_spool_id === 100)!;
    expect(charcoal).toMatchObject({ remaining_weight_g: 640, storage_location: 'Rack 3', lot_number: 'L-77', source: 'spoolman' });
    // Imported filaments are listed once in the combined list, as library entries.
    const after = (await api.get<{ filaments: { source: string }[] }>('/api/filaments/combined', { token: viewer })).body;
    expect(after.filaments.filter((f) => f.source === 'spoolman')).toEqual([]);

    // Use recorded in ODIN is reported back to Spoolman.
    await api.post(`/api/spools/${charcoal.id}/use`, { token: operator, json: { weight_used_g: 42 } });
    await waitFor('the use in Spoolman', () => peer.uses.length > 0);
    expect(peer.uses).toEqual([{ id: 100, body: { use_weight: 42 } }]);
  });

  it('answers 502 within seconds when Spoolman hangs or is down, and the library list survives', async () => {
    await setUrl(url(silent));
    const started = Date.now();
    const hung = await api.get<{ code: string; detail: string }>('/api/spoolman/spools', { token: viewer });
    expect(hung.status).toBe(502);
    expect(hung.body.code).toBe('spoolman_unreachable');
    expect(hung.body.detail).toMatch(/did not answer within/);
    expect(Date.now() - started).toBeLessThan(5000);
    const combined = (
      await api.get<{ filaments: unknown[]; spoolman: string; spoolman_error: string }>('/api/filaments/combined', { token: viewer })
    ).body;
    expect(combined.spoolman).toBe('unreachable');
    expect(combined.filaments.length).toBeGreaterThan(0);

    await setUrl('http://127.0.0.1:1');
    const down = await api.post<{ code: string; detail: string }>('/api/spoolman/sync', { token: operator });
    expect(down.status).toBe(502);
    expect(down.body.detail).toMatch(/cannot be reached/);
  });
});
