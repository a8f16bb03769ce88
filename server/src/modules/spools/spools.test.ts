import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type ApiClient, startWithRoles } from '../../../test/client.js';
import { type TestServer } from '../../../test/harness.js';

interface Filament {
  id: number;
  brand: string;
  name: string;
  material: string;
  color_hex: string | null;
  spool_count: number;
  stock_g: number;
  is_low: boolean;
}
interface Spool {
  id: number;
  qr_code: string;
  filament_id: number;
  color_hex: string | null;
  remaining_weight_g: number;
  remaining_percent: number;
  status: string;
  location_printer_id: number | null;
  location_slot: number | null;
  storage_location: string | null;
  material: string;
  cost_per_gram: number | null;
  usage?: { kind: string; weight_used_g: number; remaining_after_g: number | null }[];
}
interface Slot {
  slot_number: number;
  assigned_spool_id: number | null;
  spool_confirmed: boolean;
  filament_type: string | null;
  color_hex: string | null;
}

describe('filaments and spools', () => {
  let server: TestServer;
  let api: ApiClient;
  let admin: string;
  let operator: string;
  let viewer: string;
  let pla: Filament;
  let printerId: number;

  beforeAll(async () => {
    ({ server, api, adminToken: admin, operator, viewer } = await startWithRoles());
    const printer = await api.post<{ id: number }>('/api/printers', {
      token: admin,
      json: { name: 'Shelf MK4', model: 'MK4', slot_count: 1 },
    });
    printerId = printer.body.id;
  });
  afterAll(() => server.close());

  it('keeps a filament library and reads colours in every shape people type', async () => {
    const shapes: [string, string][] = [
      ['#fff', '#FFFFFF'],
      ['FF0000FF', '#FF0000'],
      ['red', '#FF0000'],
      ['rgb(0, 128, 255)', '#0080FF'],
    ];
    for (const [input, expected] of shapes) {
      const created = await api.post<Filament>('/api/filaments', {
        token: operator,
        json: { brand: 'Prusament', name: `Colour ${input}`, material: 'pla', color_hex: input },
      });
      expect(created.status, input).toBe(200);
      expect(created.body.color_hex, input).toBe(expected);
      expect(created.body.material).toBe('PLA');
    }
    const bad = await api.post<{ code: string }>('/api/filaments', {
      token: operator,
      json: { brand: 'X', name: 'Y', color_hex: 'not-a-colour' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('colour_invalid');
    const viewerTry = await api.post('/api/filaments', { token: viewer, json: { brand: 'X', name: 'Y' } });
    expect(viewerTry.status).toBe(403);

    const created = await api.post<Filament>('/api/filaments', {
      token: operator,
      json: {
        brand: 'Polymaker',
        name: 'PolyLite Galaxy Black',
        material: 'PLA',
        color_hex: '#1B1B1F',
        cost_per_gram: 0.025,
        spool_weight_g: 140,
        net_weight_g: 1000,
      },
    });
    pla = created.body;
    const list = await api.get<Filament[]>('/api/filaments?search=polylite', { token: viewer });
    expect(list.body.map((f) => f.name)).toEqual(['PolyLite Galaxy Black']);
    const patched = await api.patch<Filament>(`/api/filaments/${pla.id}`, { token: operator, json: { name: 'PolyLite Black' } });
    expect(patched.body.name).toBe('PolyLite Black');
    expect((await api.get(`/api/filaments/999999`, { token: viewer })).status).toBe(404);
  });

  it('adds spools with unique QR codes (bulk too), finds them by code, and counts them as stock', async () => {
    const one = await api.post<Spool>('/api/spools', {
      token: operator,
      json: { filament_id: pla.id, price: 25, storage_location: 'Shelf A' },
    });
    expect(one.status).toBe(200);
    expect(one.body.qr_code).toMatch(/^SPL-[A-Z2-9]{8}$/);
    expect(one.body).toMatchObject({
      remaining_weight_g: 1000,
      remaining_percent: 100,
      status: 'active',
      color_hex: '#1B1B1F',
      cost_per_gram: 0.025,
    });

    const bulk = await api.post<Spool[]>('/api/spools/bulk', { token: operator, json: { filament_id: pla.id, quantity: 3 } });
    expect(bulk.body).toHaveLength(3);
    const codes = new Set([one.body.qr_code, ...bulk.body.map((s) => s.qr_code)]);
    expect(codes.size).toBe(4);

    const found = await api.get<Spool>(`/api/spools/lookup/${one.body.qr_code.toLowerCase()}`, { token: viewer });
    expect(found.body.id).toBe(one.body.id);
    const missing = await api.get<{ code: string }>('/api/spools/lookup/SPL-NOPE2345', { token: viewer });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('spool_qr_not_found');

    const filament = (await api.get<Filament>(`/api/filaments/${pla.id}`, { token: viewer })).body;
    expect(filament).toMatchObject({ spool_count: 4, stock_g: 4000 });
    expect((await api.delete<{ code: string }>(`/api/filaments/${pla.id}`, { token: operator })).body.code).toBe('filament_in_use');
  });

  it('records use and scale readings, refuses impossible weights, and keeps the history', async () => {
    const spool = (await api.post<Spool>('/api/spools', { token: operator, json: { filament_id: pla.id } })).body;
    const used = await api.post<Spool>(`/api/spools/${spool.id}/use`, {
      token: operator,
      json: { weight_used_g: 120.5, notes: 'benchy batch' },
    });
    expect(used.body.remaining_weight_g).toBe(879.5);
    // Filament 140 g spool: 740 g on the scale leaves 600 g.
    const weighed = await api.post<Spool>(`/api/spools/${spool.id}/weigh`, { token: operator, json: { gross_weight_g: 740 } });
    expect(weighed.body.remaining_weight_g).toBe(600);

    const negative = await api.post<{ code: string }>(`/api/spools/${spool.id}/use`, { token: operator, json: { weight_used_g: -5 } });
    expect(negative.status).toBe(422);
    const lighter = await api.post<{ code: string }>(`/api/spools/${spool.id}/weigh`, { token: operator, json: { gross_weight_g: 50 } });
    expect(lighter.status).toBe(400);
    expect(lighter.body.code).toBe('spool_weight_invalid');
    const absurd = await api.post<{ code: string }>(`/api/spools/${spool.id}/weigh`, { token: operator, json: { gross_weight_g: 9000 } });
    expect(absurd.body.code).toBe('spool_weight_invalid');
    expect((await api.get<Spool>(`/api/spools/${spool.id}`, { token: viewer })).body.remaining_weight_g).toBe(600);

    const detail = (await api.get<Spool>(`/api/spools/${spool.id}`, { token: viewer })).body;
    expect(detail.usage!.map((u) => [u.kind, u.weight_used_g, u.remaining_after_g])).toEqual([
      ['weigh', 279.5, 600],
      ['use', 120.5, 879.5],
    ]);

    // Using more than is left empties the spool, it does not go negative.
    const emptied = await api.post<Spool>(`/api/spools/${spool.id}/use`, { token: operator, json: { weight_used_g: 700 } });
    expect(emptied.body).toMatchObject({ remaining_weight_g: 0, status: 'empty' });
    // A spool with history is archived, not deleted.
    const removed = await api.delete<{ archived: boolean }>(`/api/spools/${spool.id}`, { token: operator });
    expect(removed.body).toEqual({ deleted: false, archived: true });
    expect((await api.get<Spool[]>('/api/spools', { token: viewer })).body.some((s) => s.id === spool.id)).toBe(false);
    expect((await api.get<Spool[]>('/api/spools?status=archived', { token: viewer })).body.map((s) => s.id)).toContain(spool.id);
  });

  it('loads a spool into a slot (the slot follows), scans one in by QR, and unloads to storage', async () => {
    const [a, b] = (await api.post<Spool[]>('/api/spools/bulk', { token: operator, json: { filament_id: pla.id, quantity: 2 } })).body;
    const loaded = await api.post<Spool>(`/api/spools/${a!.id}/load`, { token: operator, json: { printer_id: printerId, slot_number: 1 } });
    expect(loaded.body).toMatchObject({ location_printer_id: printerId, location_slot: 1, storage_location: null });
    let slots = (await api.get<Slot[]>(`/api/printers/${printerId}/slots`, { token: viewer })).body;
    expect(slots.find((s) => s.slot_number === 1)).toMatchObject({
      assigned_spool_id: a!.id,
      spool_confirmed: true,
      filament_type: 'PLA',
      color_hex: '#1B1B1F',
    });

    // Scanning B at the same slot replaces A, which goes back to storage.
    const scanned = await api.post<Spool>('/api/spools/scan-assign', {
      token: operator,
      json: { qr_code: b!.qr_code, printer_id: printerId, slot_number: 1 },
    });
    expect(scanned.body.location_slot).toBe(1);
    expect((await api.get<Spool>(`/api/spools/${a!.id}`, { token: viewer })).body.location_printer_id).toBeNull();
    slots = (await api.get<Slot[]>(`/api/printers/${printerId}/slots`, { token: viewer })).body;
    expect(slots.find((s) => s.slot_number === 1)!.assigned_spool_id).toBe(b!.id);
    expect((await api.get<Spool[]>(`/api/spools?printer_id=${printerId}`, { token: viewer })).body.map((s) => s.id)).toEqual([b!.id]);

    // The unfiltered list is served from a cache: every change shows up in it at once.
    const listed = async () =>
      (await api.get<(Spool & { location_printer_name: string | null; notes: string | null })[]>('/api/spools', { token: viewer })).body;
    expect((await listed()).find((s) => s.id === b!.id)!.location_printer_name).toBe('Shelf MK4');
    await api.patch(`/api/printers/${printerId}`, { token: admin, json: { name: 'Shelf MK4S' } });
    expect((await listed()).find((s) => s.id === b!.id)!.location_printer_name).toBe('Shelf MK4S');
    await api.patch(`/api/spools/${b!.id}`, { token: operator, json: { notes: 'opened 3 Dec' } });
    expect((await listed()).find((s) => s.id === b!.id)!.notes).toBe('opened 3 Dec');
    const gzipped = await fetch(`${server.url}/api/spools`, { headers: { authorization: `Bearer ${viewer}`, 'accept-encoding': 'gzip' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(((await gzipped.json()) as Spool[]).length).toBe((await listed()).length);

    const unloaded = await api.post<Spool>(`/api/spools/${b!.id}/unload`, { token: operator, json: { storage_location: 'Dry box 2' } });
    expect(unloaded.body).toMatchObject({ location_printer_id: null, storage_location: 'Dry box 2' });
    slots = (await api.get<Slot[]>(`/api/printers/${printerId}/slots`, { token: viewer })).body;
    expect(slots.find((s) => s.slot_number === 1)).toMatchObject({ assigned_spool_id: null, filament_type: null });
    expect((await api.post<{ code: string }>(`/api/spools/${b!.id}/unload`, { token: operator, json: {} })).body.code).toBe(
      'spool_not_loaded',
    );
    const noSlot = await api.post<{ code: string }>(`/api/spools/${a!.id}/load`, {
      token: operator,
      json: { printer_id: printerId, slot_number: 7 },
    });
    expect(noSlot.body.code).toBe('slot_not_found');
  });

  it('prints labels without a login (PNG and PDF, one or a batch) and refuses unknown sizes', async () => {
    const spools = (await api.get<Spool[]>('/api/spools', { token: viewer })).body;
    const png = await api.get(`/api/spools/${spools[0]!.id}/label`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const pdf = await api.get(`/api/spools/labels/batch?ids=${spools.map((s) => s.id).join(',')}&layout=a4`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.text.startsWith('%PDF')).toBe(true);
    const size = await api.get<{ code: string }>(`/api/spools/${spools[0]!.id}/label?size=napkin`);
    expect(size.status).toBe(400);
    expect(size.body.code).toBe('label_size_unknown');
    expect((await api.get(`/api/spools/999999/label`)).status).toBe(404);
    const qr = await api.get<{ svg: string; qr_code: string }>(`/api/spools/${spools[0]!.id}/qr`, { token: viewer });
    expect(qr.body.svg).toMatch(/^<svg/);
  });

  it('exports spools and the history of use as CSV for operators', async () => {
    const csv = await api.get('/api/export/spools', { token: operator });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = csv.text.trim().split('\r\n');
    expect(header!.split(',').slice(0, 5)).toEqual(['id', 'qr_code', 'filament_brand', 'filament_name', 'material']);
    expect(rows.length).toBe((await api.get<Spool[]>('/api/spools?status=all', { token: viewer })).body.length);
    expect(rows.some((r) => r.includes('Polymaker') && r.includes('archived'))).toBe(true);
    const usage = await api.get('/api/export/filament-usage', { token: operator });
    expect(usage.text.split('\r\n')[0]).toBe(
      'used_at,spool_id,qr_code,brand,name,material,color_hex,weight_used_g,kind,remaining_after_g,printer_name,job_id,print_job_id,notes',
    );
    expect(usage.text).toContain('benchy batch');
    expect((await api.get('/api/export/spools', { token: viewer })).status).toBe(403);
  });

  it('writes the audit trail for inventory changes', async () => {
    const logs = await api.get<{ logs: { action: string; entity_type: string }[] }>('/api/audit-logs?entity_type=spool&limit=200', {
      token: admin,
    });
    const actions = new Set(logs.body.logs.map((l) => l.action));
    for (const action of ['create', 'use', 'weigh', 'load', 'unload', 'archive']) expect(actions, action).toContain(action);
  });
});
