import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BambuSimulator, createSimulatorCa } from '../../../../simulators/src/bambu/index.js';
import { ADMIN, ApiClient, setupAdmin } from '../../../test/client.js';
import { createPostgresDatabase, startTestServer, tempDir, type TestServer, usingPostgres } from '../../../test/harness.js';
import { waitFor } from '../../../test/wait.js';

interface Spool {
  id: number;
  qr_code: string;
  rfid_tag: string | null;
  source: string;
  material: string;
  color_hex: string | null;
  remaining_weight_g: number;
  location_printer_id: number | null;
  location_slot: number | null;
  usage?: { kind: string; weight_used_g: number }[];
}
interface Slot {
  slot_number: number;
  filament_type: string | null;
  color_hex: string | null;
  assigned_spool_id: number | null;
  spool_confirmed: boolean;
  remaining_percent: number | null;
  attention: string | null;
}
interface Attention extends Slot {
  reason: string;
  candidates: (Spool & { colour_distance: number | null })[];
}

const ORANGE_TAG = '1A2B3C4D5E6F7081';
const CF_TAG = '99AA88BB77CC66DD';

/** AMS trays become slots and spools end to end: Bambu simulator over MQTT/TLS, real server, real database. */
describe('AMS trays matched to spools', () => {
  const ca = createSimulatorCa();
  const simulator = (serial: string) =>
    new BambuSimulator({ serial, accessCode: 'abcd1234', model: 'P1S', ca, speed: 50, pushIntervalMs: 100, amsUnits: 1 });
  const simA = simulator('01P00A350100001');
  const simB = simulator('01P00A350100002');
  const dataDir = tempDir();
  let caFile: string;
  let database: { url: string; drop(): Promise<void> } | null = null;
  let server: TestServer;
  let api: ApiClient;
  let token: string;
  let printerA: number;

  const start = async () => {
    server = await startTestServer({
      dataDir,
      ...(database ? { databaseUrl: database.url } : {}),
      env: { ODIN_BAMBU_CA_FILE: caFile, ODIN_RECONNECT_BASE_MS: '50', ODIN_RECONNECT_MAX_SECONDS: '1' },
    });
    api = new ApiClient(server.url);
  };
  const spools = async () => (await api.get<Spool[]>('/api/spools?status=all', { token })).body;
  const slots = async (printerId: number) => (await api.get<Slot[]>(`/api/printers/${printerId}/slots`, { token })).body;
  const slot = async (printerId: number, n: number) => (await slots(printerId)).find((s) => s.slot_number === n);
  const addPrinter = async (name: string, sim: BambuSimulator) =>
    (
      await api.post<{ id: number }>('/api/printers', {
        token,
        json: { name, api_type: 'bambu', api_host: `127.0.0.1:${sim.mqttPort}`, serial: sim.serial, access_code: 'abcd1234' },
      })
    ).body.id;

  beforeAll(async () => {
    caFile = path.join(tempDir(), 'ca.pem');
    fs.writeFileSync(caFile, ca.caPem);
    if (usingPostgres) database = await createPostgresDatabase();
    for (const sim of [simA, simB]) {
      await sim.start();
      for (let slotIndex = 0; slotIndex < 4; slotIndex++) sim.setTray(0, slotIndex, null);
    }
    simA.setTray(0, 0, { type: 'PLA', color: 'FF6A13FF', remain: 80, tagUid: ORANGE_TAG, filamentId: 'GFA00' });
    simA.setTray(0, 1, { type: 'PETG', color: '1A1A1AFF', remain: -1 });
    simA.setTray(0, 2, { type: 'PETG-CF', color: '2B2B2BFF', remain: 50, tagUid: CF_TAG, filamentId: 'GFG50' });
    await start();
    token = await setupAdmin(api);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
    await simA.stop();
    await simB.stop();
  });

  it('creates one spool per RFID tray, fills the slots, and flags the untagged tray', async () => {
    printerA = await addPrinter('P1S A', simA);
    const tagged = await waitFor('two RFID spools', async () => {
      const all = (await spools()).filter((s) => s.source === 'rfid');
      return all.length === 2 ? all : undefined;
    });
    const orange = tagged.find((s) => s.rfid_tag === ORANGE_TAG)!;
    expect(orange).toMatchObject({
      material: 'PLA',
      color_hex: '#FF6A13',
      remaining_weight_g: 800,
      location_printer_id: printerA,
      location_slot: 1,
    });
    expect(orange.qr_code).toMatch(/^SPL-/);
    const first = await waitFor('slot 2 reported', async () => {
      const s = await slot(printerA, 2);
      return s?.filament_type ? s : undefined;
    });
    expect(first).toMatchObject({ filament_type: 'PETG', color_hex: '#1A1A1AFF', assigned_spool_id: null, attention: 'unmatched' });
    expect(await slot(printerA, 1)).toMatchObject({
      assigned_spool_id: orange.id,
      spool_confirmed: true,
      remaining_percent: 80,
      attention: null,
    });
    const attention = (await api.get<Attention[]>(`/api/printers/${printerA}/slots/needs-attention`, { token })).body;
    expect(attention.map((a) => [a.slot_number, a.reason])).toEqual([[2, 'unmatched']]);
  });

  it('follows what is left, and records the step down as use of that spool', async () => {
    simA.setTray(0, 0, { type: 'PLA', color: 'FF6A13FF', remain: 75, tagUid: ORANGE_TAG, filamentId: 'GFA00' });
    const orange = await waitFor('750 g left', async () => {
      const s = (await spools()).find((x) => x.rfid_tag === ORANGE_TAG)!;
      return s.remaining_weight_g === 750 ? s : undefined;
    });
    const detail = (await api.get<Spool>(`/api/spools/${orange.id}`, { token })).body;
    expect(detail.usage!.map((u) => [u.kind, u.weight_used_g])).toEqual([['rfid', 50]]);
  });

  it('keeps one spool when the tray moves to another slot', async () => {
    simA.setTray(0, 2, null);
    simA.setTray(0, 3, { type: 'PETG-CF', color: '2B2B2BFF', remain: 50, tagUid: CF_TAG, filamentId: 'GFG50' });
    const moved = await waitFor('the CF spool in slot 4', async () => {
      const s = (await spools()).find((x) => x.rfid_tag === CF_TAG);
      return s?.location_slot === 4 ? s : undefined;
    });
    expect((await spools()).filter((s) => s.source === 'rfid')).toHaveLength(2);
    expect(await slot(printerA, 4)).toMatchObject({ assigned_spool_id: moved.id, spool_confirmed: true });
    expect(await slot(printerA, 3)).toMatchObject({ filament_type: null, assigned_spool_id: null });
  });

  it('suggests the perceptually nearest untagged spool, not the one whose hex looks alike, and an operator confirms it', async () => {
    const petg = (await api.post<{ id: number }>('/api/filaments', { token, json: { brand: 'Sunlu', name: 'PETG', material: 'PETG' } }))
      .body;
    // "#1A1AFA" differs from the tray's #1A1A1A in one hex digit but is bright blue; #262626 is a near-black.
    const blue = (await api.post<Spool>('/api/spools', { token, json: { filament_id: petg.id, color_hex: '#1A1AFA' } })).body;
    const black = (await api.post<Spool>('/api/spools', { token, json: { filament_id: petg.id, color_hex: '#262626' } })).body;
    const synced = await api.post(`/api/printers/${printerA}/sync-ams`, { token });
    expect(synced.status).toBe(200);
    expect(await slot(printerA, 2)).toMatchObject({ assigned_spool_id: black.id, spool_confirmed: false, attention: 'suggested' });
    const attention = (await api.get<Attention[]>(`/api/printers/${printerA}/slots/needs-attention`, { token })).body;
    expect(attention[0]!.candidates.map((c) => c.id)).toEqual([black.id, blue.id]);
    expect(attention[0]!.candidates[0]!.colour_distance).toBeLessThan(5);

    const confirmed = await api.post<Slot>(`/api/printers/${printerA}/slots/2/confirm`, { token });
    expect(confirmed.body).toMatchObject({ assigned_spool_id: black.id, spool_confirmed: true, attention: null });
    expect((await api.get<Spool>(`/api/spools/${black.id}`, { token })).body).toMatchObject({
      location_printer_id: printerA,
      location_slot: 2,
    });
    expect((await api.get<Attention[]>(`/api/printers/${printerA}/slots/needs-attention`, { token })).body).toEqual([]);
  });

  it('does not duplicate spools after a restart', async () => {
    const before = await spools();
    await server.close();
    await start();
    token = await api.login(ADMIN.username, ADMIN.password);
    await waitFor('printer A online again', async () => {
      const live = (await api.get<{ online: boolean }>(`/api/printers/${printerA}/live-status`, { token })).body;
      return live.online;
    });
    // Nudge a report so the matcher runs on the fresh process.
    simA.setTray(0, 0, { type: 'PLA', color: 'FF6A13FF', remain: 74, tagUid: ORANGE_TAG, filamentId: 'GFA00' });
    await waitFor('the new reading', async () => (await spools()).find((s) => s.rfid_tag === ORANGE_TAG)!.remaining_weight_g === 740);
    expect((await spools()).map((s) => s.id).sort()).toEqual(before.map((s) => s.id).sort());
  });

  it('refuses to place one RFID tag in two printers at once', async () => {
    simB.setTray(0, 0, { type: 'PLA', color: 'FF6A13FF', remain: 74, tagUid: ORANGE_TAG, filamentId: 'GFA00' });
    const printerB = await addPrinter('P1S B', simB);
    const conflicted = await waitFor('the conflict on B', async () => {
      const s = await slot(printerB, 1);
      return s?.attention ? s : undefined;
    });
    expect(conflicted).toMatchObject({ attention: 'rfid_conflict', assigned_spool_id: null });
    const orange = (await spools()).find((s) => s.rfid_tag === ORANGE_TAG)!;
    expect(orange).toMatchObject({ location_printer_id: printerA, location_slot: 1 });
    expect((await spools()).filter((s) => s.rfid_tag === ORANGE_TAG)).toHaveLength(1);
  });
});
