import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BambuSimulator, createSimulatorCa } from '../../simulators/src/bambu/index.js';
import { type ApiClient, startWithRoles } from './client.js';
import { tempDir, type TestServer } from './harness.js';
import { waitFor } from './wait.js';

interface Slot {
  slot_number: number;
  filament_type: string | null;
  color_hex: string | null;
}

interface AmsUnit {
  id: number;
  humidity_index: number | null;
  trays: { slot: number; empty: boolean; type: string | null; color: string | null; remain: number | null }[];
}

/** Bambu specifics through the API: AMS sync, HMS in words and history, lights, certificate checks. */
describe('Bambu printers through the API', () => {
  const ca = createSimulatorCa();
  const sim = new BambuSimulator({
    serial: '00M09A350100777',
    accessCode: 'abcd1234',
    model: 'X1C',
    ca,
    speed: 50,
    pushIntervalMs: 100,
    amsUnits: 1,
  });
  let server: TestServer;
  let api: ApiClient;
  let admin: string;
  let operator: string;
  let viewer: string;
  let printerId: number;

  beforeAll(async () => {
    await sim.start();
    sim.setTray(0, 0, { type: 'PLA', color: 'FF6A13FF', remain: 80, tagUid: '1A2B3C4D5E6F7081', filamentId: 'GFA00' });
    sim.setTray(0, 1, { type: 'PETG-CF', color: '1A1A1AFF', remain: -1 });
    sim.setTray(0, 2, null);
    sim.setTray(0, 3, null);
    const caFile = path.join(tempDir(), 'ca.pem');
    fs.writeFileSync(caFile, ca.caPem);
    ({
      server,
      api,
      adminToken: admin,
      operator,
      viewer,
    } = await startWithRoles({
      env: { ODIN_BAMBU_CA_FILE: caFile, ODIN_RECONNECT_BASE_MS: '50', ODIN_RECONNECT_MAX_SECONDS: '1' },
    }));
  });
  afterAll(async () => {
    await server?.close();
    await sim.stop();
  });

  it('refuses a wrong access code and a wrong serial in words, and accepts the right ones', async () => {
    const base = { api_host: `127.0.0.1:${sim.mqttPort}` };
    const wrongCode = await api.post<{ success: boolean; message: string }>('/api/bambu/test-connection', {
      token: operator,
      json: { ...base, serial: sim.serial, access_code: 'nope' },
    });
    expect(wrongCode.body.success).toBe(false);
    expect(wrongCode.body.message).toMatch(/access code/i);
    const wrongSerial = await api.post<{ success: boolean; message: string }>('/api/bambu/test-connection', {
      token: operator,
      json: { ...base, serial: '00M09A350100999', access_code: 'abcd1234' },
    });
    expect(wrongSerial.body.success).toBe(false);
    expect(wrongSerial.body.message).toMatch(/certificate|serial/i);
    const right = await api.post<{ success: boolean }>('/api/bambu/test-connection', {
      token: operator,
      json: { ...base, serial: sim.serial, access_code: 'abcd1234' },
    });
    expect(right.body.success).toBe(true);
  });

  it('shows the AMS live and copies it into the filament slots', async () => {
    const created = await api.post<{ id: number }>('/api/printers', {
      token: operator,
      json: { name: 'X1C', api_type: 'bambu', api_host: `127.0.0.1:${sim.mqttPort}`, serial: sim.serial, access_code: 'abcd1234' },
    });
    printerId = created.body.id;
    const current = await waitFor('AMS reported', async () => {
      const body = (await api.get<{ online: boolean; units: AmsUnit[] }>(`/api/printers/${printerId}/ams/current`, { token: viewer })).body;
      return body.online && body.units.length > 0 ? body : undefined;
    });
    const trays = current.units[0]!.trays;
    expect(trays[0]).toMatchObject({ empty: false, type: 'PLA', color: 'FF6A13FF', remain: 80 });
    expect(trays[1]).toMatchObject({ type: 'PETG-CF', remain: null });
    expect(trays[2]).toMatchObject({ empty: true });

    const synced = await api.post<{ synced: number; slots: Slot[] }>(`/api/printers/${printerId}/sync-ams`, { token: operator });
    expect(synced.status).toBe(200);
    const bySlot = new Map(synced.body.slots.map((s) => [s.slot_number, s]));
    expect(bySlot.get(1)).toMatchObject({ filament_type: 'PLA', color_hex: '#FF6A13FF' });
    expect(bySlot.get(2)).toMatchObject({ filament_type: 'PETG-CF', color_hex: '#1A1A1AFF' });
    expect(bySlot.get(3)).toMatchObject({ filament_type: null, color_hex: null });
    // The RFID spool in tray 1 became a spool of its own; the untagged PETG-CF waits for an operator.
    const unmatched = await api.get<Slot[]>(`/api/printers/${printerId}/unmatched-slots`, { token: viewer });
    expect(unmatched.body.map((s) => s.slot_number)).toEqual([2]);
    const assigned = await api.patch<{ spool_confirmed: boolean }>(`/api/printers/${printerId}/slots/2/manual-assign`, {
      token: operator,
      json: { filament_type: 'PETG-CF', color_hex: '#1A1A1A' },
    });
    expect(assigned.body.spool_confirmed).toBe(true);
    expect((await api.get<Slot[]>(`/api/printers/${printerId}/unmatched-slots`, { token: viewer })).body).toEqual([]);
  });

  it('puts HMS messages into words, keeps them on the printer and in its history', async () => {
    sim.injectHms(0x07000200, 0x00020001);
    const state = await waitFor('HMS on the printer', async () => {
      const s = (
        await api.get<{ hms_errors: { code: string; message: string; severity: string }[] }>(`/api/printers/${printerId}/live-status`, {
          token: viewer,
        })
      ).body;
      return s.hms_errors.length > 0 ? s : undefined;
    });
    expect(state.hms_errors[0]).toMatchObject({ code: '0700_0200_0002_0001', severity: 'serious' });
    expect(state.hms_errors[0]!.message.length).toBeGreaterThan(5);
    const lookup = await api.get<{ code: string; message: string }>('/api/hms-codes/0700_0200_0002_0001');
    expect(lookup.body.message).toBe(state.hms_errors[0]!.message);
    sim.clearHms();
    const history = await waitFor('HMS cleared in history', async () => {
      const rows = (
        await api.get<{ code: string; cleared_at: string | null }[]>(`/api/printers/${printerId}/hms-history`, { token: viewer })
      ).body;
      return rows.length > 0 && rows[0]!.cleared_at ? rows : undefined;
    });
    expect(history[0]!.code).toBe('0700_0200_0002_0001');
  });

  it('switches the chamber light and reports it', async () => {
    const response = await api.post<{ lights_on: boolean }>(`/api/printers/${printerId}/lights`, { token: operator, json: { on: true } });
    expect(response.status).toBe(200);
    await waitFor(
      'light on',
      async () =>
        (await api.get<{ lights_on: boolean | null }>(`/api/printers/${printerId}/live-status`, { token: viewer })).body.lights_on === true,
    );
    expect((await api.post(`/api/printers/${printerId}/lights`, { token: viewer, json: { on: false } })).status).toBe(403);
  });

  it('records the camera the printer announces (RTSPS on an X1C)', async () => {
    const printer = await waitFor('camera', async () => {
      const p = (await api.get<{ camera_url: string | null; camera_discovered: boolean }>(`/api/printers/${printerId}`, { token: viewer }))
        .body;
      return p.camera_discovered ? p : undefined;
    });
    expect(printer.camera_url).toMatch(/^rtsps:\/\/127\.0\.0\.1:322\/streaming\/live\/1$/);
  });

  it('writes one audit entry per printer action, naming the operator who did it', async () => {
    type Entry = { action: string; entity_id: number | null; username: string | null; details: Record<string, unknown> | null };
    const logs = await api.get<{ logs: Entry[] }>('/api/audit-logs?entity_type=printer&limit=100', { token: admin });
    const mine = logs.body.logs.filter((l) => l.entity_id === printerId).reverse();
    // Slot edits (manual-assign) and the failed viewer attempt leave no entry; the AMS sync leaves one, not an extra "update".
    expect(mine.map(({ action, username, details }) => ({ action, username, details }))).toEqual([
      { action: 'create', username: 'operator1', details: { name: 'X1C', api_type: 'bambu' } },
      { action: 'sync_ams', username: 'operator1', details: { synced: 4 } },
      { action: 'lights_on', username: 'operator1', details: { name: 'X1C' } },
    ]);
  });
});
