import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type ApiClient, startWithRoles } from '../../../test/client.js';
import { type TestServer } from '../../../test/harness.js';

interface Printer {
  id: number;
  serial: string | null;
  access_code_set: boolean;
  api_key_set: boolean;
  tls_insecure: boolean;
}

describe('Bambu printer records and reference data', () => {
  let server: TestServer;
  let api: ApiClient;
  let operator: string;
  let viewer: string;

  beforeAll(async () => {
    ({ server, api, operator, viewer } = await startWithRoles());
  });
  afterAll(() => server.close());

  it('lists the Bambu filament types publicly', async () => {
    const response = await api.get<{ tray_type: string; material: string }[]>('/api/bambu/filament-types');
    expect(response.status).toBe(200);
    expect(response.body).toEqual(
      expect.arrayContaining([
        { tray_type: 'PLA', material: 'PLA', description: 'PLA' },
        expect.objectContaining({ tray_type: 'PETG-CF', material: 'PETG' }),
      ]),
    );
  });

  it('accepts explicit serial and access code, shows the serial and never the code', async () => {
    const created = await api.post<Printer>('/api/printers', {
      token: operator,
      json: { name: 'X1C-01', api_type: 'bambu', api_host: '192.168.1.50', serial: '00M09A350100123', access_code: '12345678' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ serial: '00M09A350100123', access_code_set: true, api_key_set: true, tls_insecure: false });
    const everything = created.text + (await api.get('/api/printers', { token: viewer })).text;
    expect(everything).not.toContain('12345678');

    // Changing only the access code keeps the serial.
    const edited = await api.patch<Printer>(`/api/printers/${created.body.id}`, {
      token: operator,
      json: { access_code: '87654321', tls_insecure: true },
    });
    expect(edited.body).toMatchObject({ serial: '00M09A350100123', access_code_set: true, tls_insecure: true });
    expect(server.odin.services.secretBox.decrypt(await storedKey(created.body.id))).toBe('00M09A350100123|87654321');
  });

  it('accepts the original\'s api_key = "serial|access_code"', async () => {
    const created = await api.post<Printer>('/api/printers', {
      token: operator,
      json: { name: 'P1S-07', api_type: 'bambu', api_host: '192.168.1.51', api_key: '01P00A3B0700456|abcd1234' },
    });
    expect(created.body).toMatchObject({ serial: '01P00A3B0700456', access_code_set: true });
    expect(created.text).not.toContain('abcd1234');
  });

  it('refuses a serial with characters a serial never has', async () => {
    const response = await api.post('/api/printers', {
      token: operator,
      json: { name: 'Odd', api_type: 'bambu', api_host: '192.168.1.52', serial: 'x/../y', access_code: '1' },
    });
    expect(response.status).toBe(422);
  });

  it('answers AMS questions about a printer that is not connected in words', async () => {
    const printer = (
      await api.post<Printer>('/api/printers', {
        token: operator,
        json: { name: 'Lonely P1S', api_type: 'bambu', api_host: '10.0.0.99', serial: 'SN1', access_code: 'c' },
      })
    ).body;
    const sync = await api.post<{ detail: string }>(`/api/printers/${printer.id}/sync-ams`, { token: operator });
    expect(sync.status).toBe(409);
    expect(sync.body.detail).toMatch(/offline/i);
    expect((await api.post(`/api/printers/${printer.id}/sync-ams`, { token: viewer })).status).toBe(403);
    expect((await api.get<unknown[]>(`/api/printers/${printer.id}/hms-history`, { token: viewer })).body).toEqual([]);
    expect((await api.get<unknown[]>(`/api/printers/${printer.id}/ams/environment`, { token: viewer })).body).toEqual([]);
    expect((await api.get<unknown[]>(`/api/printers/${printer.id}/unmatched-slots`, { token: viewer })).body).toEqual([]);
  });

  async function storedKey(id: number): Promise<string> {
    const row = await server.odin.database.db.selectFrom('printers').select('api_key').where('id', '=', id).executeTakeFirstOrThrow();
    return row.api_key!;
  }
});
