import zlib from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type ApiClient, type ErrorReply, startWithAdmin, userWithRole } from '../../../test/client.js';
import { type TestServer } from '../../../test/harness.js';

interface Branding {
  app_name: string;
  app_subtitle: string;
  primary_color: string;
  accent_color: string;
  font_body: string;
  font_mono: string;
  logo_url: string | null;
  favicon_url: string | null;
  footer_text: string;
  support_url: string;
  [key: string]: unknown;
}

type Problem = ErrorReply;

// ---- Real image bytes, built by hand -------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid 1×1 RGBA PNG of the given colour. */
function png(rgba: [number, number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0); // width
  header.writeUInt32BE(1, 4); // height
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(6, 9); // colour type RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(Buffer.from([0, ...rgba]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A valid one-image ICO whose image is a PNG (as modern favicons are). */
function ico(image: Buffer): Buffer {
  const header = Buffer.from([0, 0, 1, 0, 1, 0]);
  const entry = Buffer.alloc(16);
  entry.writeUInt8(1, 0); // width
  entry.writeUInt8(1, 1); // height
  entry.writeUInt16LE(1, 4); // colour planes
  entry.writeUInt16LE(32, 6); // bits per pixel
  entry.writeUInt32LE(image.length, 8);
  entry.writeUInt32LE(header.length + entry.length, 12);
  return Buffer.concat([header, entry, image]);
}

/** The start of a baseline JPEG (SOI + JFIF APP0 + EOI): what a JPEG file looks like to anyone sniffing it. */
const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9,
]);

const RED_PNG = png([255, 0, 0, 255]);
const BLUE_PNG = png([0, 0, 255, 255]);
const CLEAN_SVG = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#f59e0b"/></svg>',
);

function upload(bytes: Buffer, filename: string, type: string, field = 'file'): { raw: { body: FormData } } {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(bytes)], { type }), filename);
  return { raw: { body: form } };
}

/** Fetches a URL the branding points at, with no credentials at all (the login page does). */
async function fetchAsset(
  server: TestServer,
  url: string,
): Promise<{ status: number; type: string | null; bytes: Buffer; headers: Headers }> {
  const response = await fetch(server.url + url);
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    bytes: Buffer.from(await response.arrayBuffer()),
    headers: response.headers,
  };
}

function pathOf(url: string | null): string {
  expect(url).not.toBeNull();
  return url!.split('?')[0]!;
}

// ---- Settings ------------------------------------------------------------------------------------

describe('branding settings', () => {
  let server: TestServer;
  let api: ApiClient;
  let adminToken: string;

  beforeAll(async () => {
    ({ server, api, adminToken } = await startWithAdmin());
  });
  afterAll(() => server.close());

  it('serves the default branding to anyone, without a token', async () => {
    const response = await api.get<Branding>('/api/branding');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      app_name: 'O.D.I.N.',
      app_subtitle: 'Print Farm Manager',
      primary_color: '#f59e0b',
      logo_url: null,
      favicon_url: null,
      footer_text: '',
      support_url: '',
    });
  });

  it('lets an admin change the name, colours, fonts, footer and support link, and everyone sees it', async () => {
    const before = (await api.get<Branding>('/api/branding')).body;
    const change = {
      app_name: 'Acme Print Farm',
      primary_color: '#123ABC',
      accent_color: '#00ff00',
      font_body: 'Roboto, "Helvetica Neue", sans-serif',
      footer_text: '© Acme, 2025',
      support_url: 'https://support.acme.example/help?x=1',
    };
    const response = await api.put<Branding>('/api/branding', { token: adminToken, json: change });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject(change);

    const after = await api.get<Branding>('/api/branding');
    expect(after.body).toEqual({ ...before, ...change });

    // A later change of one field leaves the earlier ones alone; '' clears the support link.
    await api.put('/api/branding', { token: adminToken, json: { app_subtitle: 'Night shift', support_url: '' } });
    expect((await api.get<Branding>('/api/branding')).body).toEqual({ ...before, ...change, app_subtitle: 'Night shift', support_url: '' });
  });

  it('ignores keys it does not know or that only uploads may set (logo_url, favicon_url) without applying them', async () => {
    const response = await api.put<Branding>('/api/branding', {
      token: adminToken,
      json: { app_name: 'Renamed Farm', logo_url: 'https://evil.example/logo.png', favicon_url: 'javascript:alert(1)', evil: 1 },
    });
    expect(response.status).toBe(200);
    const after = await api.get<Branding>('/api/branding');
    expect(after.body.app_name).toBe('Renamed Farm');
    expect(after.body.logo_url).toBeNull();
    expect(after.body.favicon_url).toBeNull();
    expect(after.body).not.toHaveProperty('evil');
    expect(after.text).not.toContain('evil.example');
  });

  it.each([
    ['a colour name', { primary_color: 'red' }, 'primary_color'],
    ['a 3-digit colour', { accent_color: '#fff' }, 'accent_color'],
    ['a colour with a non-hex digit', { sidebar_bg: '#12345g' }, 'sidebar_bg'],
    ['a colour with CSS smuggled in', { text_primary: '#000000; background:url(x)' }, 'text_primary'],
    ['a font that breaks out of CSS', { font_body: 'Inter; } body { display: none' }, 'font_body'],
    ['a font with markup', { font_display: 'Inter</style><script>alert(1)</script>' }, 'font_display'],
    ['an empty font', { font_mono: '' }, 'font_mono'],
    ['a javascript: support link', { support_url: 'javascript:alert(1)' }, 'support_url'],
    ['an ftp support link', { support_url: 'ftp://files.example/' }, 'support_url'],
    ['an empty app name', { app_name: '' }, 'app_name'],
    ['a 61-character app name', { app_name: 'x'.repeat(61) }, 'app_name'],
    ['a number for the app name', { app_name: 5 }, 'app_name'],
    ['null for the footer', { footer_text: null }, 'footer_text'],
  ])('refuses %s with 422 naming the field, and changes nothing', async (_label, bad, field) => {
    const before = await api.get<Branding>('/api/branding');
    // A valid change rides along: the whole request is refused, not just the bad field.
    const response = await api.put<Problem>('/api/branding', { token: adminToken, json: { app_subtitle: 'Should not land', ...bad } });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('validation_failed');
    const locs = (response.body.errors ?? []).map((d) => d.loc.join('.'));
    expect(locs).toContain(`body.${field}`);
    const after = await api.get<Branding>('/api/branding');
    expect(after.body).toEqual(before.body);
  });

  it('refuses a malformed JSON body with 400 and changes nothing', async () => {
    const before = await api.get<Branding>('/api/branding');
    const response = await api.put<Problem>('/api/branding', {
      token: adminToken,
      raw: { body: '{"app_name": "Broken', contentType: 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body.detail).toBeTruthy();
    expect((await api.get<Branding>('/api/branding')).body).toEqual(before.body);
  });

  it('lets only admins change branding: no token 401, viewer and operator 403', async () => {
    const viewer = await userWithRole(api, adminToken, 'viewer');
    const operator = await userWithRole(api, adminToken, 'operator');
    const before = await api.get<Branding>('/api/branding');
    const attempt = { app_name: 'Hijacked' };

    const anonymous = await api.put<Problem>('/api/branding', { json: attempt });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    for (const token of [viewer.token, operator.token]) {
      const response = await api.put<Problem>('/api/branding', { token, json: attempt });
      expect(response.status).toBe(403);
      expect(response.body.detail).toBeTruthy();
      expect((await api.post('/api/branding/logo', { token, ...upload(RED_PNG, 'logo.png', 'image/png') })).status).toBe(403);
      expect((await api.post('/api/branding/favicon', { token, ...upload(RED_PNG, 'favicon.png', 'image/png') })).status).toBe(403);
      expect((await api.delete('/api/branding/logo', { token })).status).toBe(403);
    }
    expect((await api.post('/api/branding/logo', upload(RED_PNG, 'logo.png', 'image/png'))).status).toBe(401);
    expect((await api.delete('/api/branding/logo')).status).toBe(401);

    expect((await api.get<Branding>('/api/branding')).body).toEqual(before.body);
  });

  it('records branding changes in the audit log with the fields changed', async () => {
    await api.put('/api/branding', { token: adminToken, json: { footer_text: 'Audited footer', bogus: true } });
    const logs = await api.get<{ logs: { action: string; entity_type: string; username: string; details: { fields?: string[] } }[] }>(
      '/api/audit-logs?entity_type=branding',
      { token: adminToken },
    );
    const latest = logs.body.logs[0]!;
    expect(latest).toMatchObject({ action: 'update', entity_type: 'branding', username: 'admin' });
    expect(latest.details.fields).toEqual(['footer_text']);
  });
});

// ---- Logo and favicon ------------------------------------------------------------------------------

describe('logo and favicon uploads', () => {
  let server: TestServer;
  let api: ApiClient;
  let adminToken: string;

  beforeAll(async () => {
    ({ server, api, adminToken } = await startWithAdmin());
  });
  afterAll(() => server.close());

  const branding = async () => (await api.get<Branding>('/api/branding')).body;

  it('stores an uploaded PNG logo and serves the same bytes publicly as image/png', async () => {
    const response = await api.post<Branding>('/api/branding/logo', { token: adminToken, ...upload(RED_PNG, 'my logo.png', 'image/png') });
    expect(response.status).toBe(200);
    expect(response.body.logo_url).toMatch(/^\/static\/branding\/logo\.png(\?|$)/);

    const current = await branding();
    expect(current.logo_url).toBe(response.body.logo_url);
    expect(current.app_name).toBe('O.D.I.N.');

    const asset = await fetchAsset(server, current.logo_url!);
    expect(asset.status).toBe(200);
    expect(asset.type).toMatch(/^image\/png/);
    expect(asset.bytes.equals(RED_PNG)).toBe(true);
  });

  it('changes the logo URL when the logo is replaced, so browsers do not keep the old one', async () => {
    const before = (await branding()).logo_url;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const response = await api.post<Branding>('/api/branding/logo', { token: adminToken, ...upload(BLUE_PNG, 'logo.png', 'image/png') });
    expect(response.status).toBe(200);
    expect(response.body.logo_url).not.toBe(before);
    const asset = await fetchAsset(server, response.body.logo_url!);
    expect(asset.bytes.equals(BLUE_PNG)).toBe(true);
  });

  it('refuses a text file named .png with 415, whatever type the client claims, and keeps the old logo', async () => {
    const before = await branding();
    const response = await api.post<Problem>('/api/branding/logo', {
      token: adminToken,
      ...upload(Buffer.from('just some text, not a picture\n'), 'logo.png', 'image/png'),
    });
    expect(response.status).toBe(415);
    expect(response.body.detail).toMatch(/PNG/);
    expect(await branding()).toEqual(before);
    expect((await fetchAsset(server, before.logo_url!)).bytes.equals(BLUE_PNG)).toBe(true);
  });

  it.each([
    ['a <script> element', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>', /script/i],
    ['an event handler', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>', /event handler/i],
    [
      'a javascript: link',
      '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect width="1" height="1"/></a></svg>',
      /javascript/i,
    ],
    ['embedded HTML', '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div>x</div></foreignObject></svg>', /HTML/i],
    ['an external image', '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/p.png"/></svg>', /external/i],
  ])('refuses an SVG logo containing %s with 400 and keeps the old logo', async (_label, svg, message) => {
    const before = await branding();
    const response = await api.post<Problem>('/api/branding/logo', {
      token: adminToken,
      ...upload(Buffer.from(svg), 'logo.svg', 'image/svg+xml'),
    });
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(message);
    expect(await branding()).toEqual(before);
    expect((await fetchAsset(server, '/static/branding/logo.svg')).status).toBe(404);
  });

  it('refuses a logo over 2 MB with 413 and keeps serving the previous one', async () => {
    const before = await branding();
    const oversize = Buffer.concat([RED_PNG, Buffer.alloc(2 * 1024 * 1024 + 1 - RED_PNG.length)]);
    const response = await api.post<Problem>('/api/branding/logo', { token: adminToken, ...upload(oversize, 'huge.png', 'image/png') });
    expect(response.status).toBe(413);
    expect(response.body.detail).toBeTruthy();
    expect(await branding()).toEqual(before);
    const asset = await fetchAsset(server, before.logo_url!);
    expect(asset.status).toBe(200);
    expect(asset.bytes.equals(BLUE_PNG)).toBe(true);
  });

  it('accepts a logo of exactly 2 MB', async () => {
    const largest = Buffer.concat([BLUE_PNG, Buffer.alloc(2 * 1024 * 1024 - BLUE_PNG.length)]);
    const response = await api.post<Branding>('/api/branding/logo', { token: adminToken, ...upload(largest, 'big.png', 'image/png') });
    expect(response.status).toBe(200);
    const asset = await fetchAsset(server, response.body.logo_url!);
    expect(asset.bytes.length).toBe(2 * 1024 * 1024);
    expect(asset.bytes.equals(largest)).toBe(true);
  });

  it('accepts a clean SVG logo, serves it sandboxed, and drops the PNG it replaces', async () => {
    const old = (await branding()).logo_url!;
    const response = await api.post<Branding>('/api/branding/logo', {
      token: adminToken,
      ...upload(CLEAN_SVG, 'logo.svg', 'image/svg+xml'),
    });
    expect(response.status).toBe(200);
    expect(response.body.logo_url).toMatch(/^\/static\/branding\/logo\.svg(\?|$)/);
    const asset = await fetchAsset(server, response.body.logo_url!);
    expect(asset.status).toBe(200);
    expect(asset.type).toMatch(/^image\/svg\+xml/);
    expect(asset.bytes.equals(CLEAN_SVG)).toBe(true);
    expect(asset.headers.get('content-security-policy')).toMatch(/sandbox/);
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetchAsset(server, pathOf(old))).status).toBe(404);
  });

  it('accepts an ICO favicon and serves it as an icon, leaving the logo alone', async () => {
    const logo = (await branding()).logo_url;
    const icon = ico(RED_PNG);
    const response = await api.post<Branding>('/api/branding/favicon', {
      token: adminToken,
      ...upload(icon, 'favicon.ico', 'image/x-icon'),
    });
    expect(response.status).toBe(200);
    expect(response.body.favicon_url).toMatch(/^\/static\/branding\/favicon\.ico(\?|$)/);
    expect(response.body.logo_url).toBe(logo);
    const asset = await fetchAsset(server, response.body.favicon_url!);
    expect(asset.status).toBe(200);
    expect(asset.type).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/);
    expect(asset.bytes.equals(icon)).toBe(true);
  });

  it('accepts a PNG favicon in place of the ICO', async () => {
    const old = (await branding()).favicon_url!;
    const response = await api.post<Branding>('/api/branding/favicon', {
      token: adminToken,
      ...upload(BLUE_PNG, 'favicon.png', 'image/png'),
    });
    expect(response.status).toBe(200);
    expect(response.body.favicon_url).toMatch(/^\/static\/branding\/favicon\.png(\?|$)/);
    expect((await fetchAsset(server, response.body.favicon_url!)).bytes.equals(BLUE_PNG)).toBe(true);
    expect((await fetchAsset(server, pathOf(old))).status).toBe(404);
  });

  it('refuses a JPEG favicon with 415 and keeps the current favicon', async () => {
    const before = await branding();
    const response = await api.post<Problem>('/api/branding/favicon', { token: adminToken, ...upload(JPEG, 'favicon.jpg', 'image/jpeg') });
    expect(response.status).toBe(415);
    expect(response.body.detail).toMatch(/ICO/);
    expect(await branding()).toEqual(before);
    expect((await fetchAsset(server, '/static/branding/favicon.jpg')).status).toBe(404);
  });

  it('refuses an empty file with 400', async () => {
    const before = await branding();
    const response = await api.post<Problem>('/api/branding/logo', {
      token: adminToken,
      ...upload(Buffer.alloc(0), 'logo.png', 'image/png'),
    });
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/empty/i);
    expect(await branding()).toEqual(before);
  });

  it('answers an upload that is not multipart with a 4xx and a detail', async () => {
    const asJson = await api.post<Problem>('/api/branding/logo', { token: adminToken, json: { file: RED_PNG.toString('base64') } });
    expect(asJson.status).toBeGreaterThanOrEqual(400);
    expect(asJson.status).toBeLessThan(500);
    expect(asJson.body.detail).toMatch(/multipart/i);

    const asBytes = await api.post<Problem>('/api/branding/logo', { token: adminToken, raw: { body: RED_PNG, contentType: 'image/png' } });
    expect(asBytes.status).toBeGreaterThanOrEqual(400);
    expect(asBytes.status).toBeLessThan(500);
    expect(asBytes.body.detail).toBeTruthy();
  });

  it('answers a multipart form without a file with 400 and a detail', async () => {
    const form = new FormData();
    form.append('note', 'I forgot the file');
    const response = await api.post<Problem>('/api/branding/logo', { token: adminToken, raw: { body: form } });
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/file/i);
  });

  // busboy's errors for a broken multipart body carry no status code; they once reached the client as 500.
  it('answers a malformed multipart body (no boundary, cut off) with a 4xx, not 500', async () => {
    const noBoundary = await api.post<Problem>('/api/branding/logo', {
      token: adminToken,
      raw: { body: 'garbage', contentType: 'multipart/form-data' },
    });
    expect(noBoundary.status).toBeGreaterThanOrEqual(400);
    expect(noBoundary.status).toBeLessThan(500);
    const cutOff = await api.post<Problem>('/api/branding/logo', {
      token: adminToken,
      raw: {
        body: '--xx\r\nContent-Disposition: form-data; name="file"; filename="logo.png"\r\n\r\n\x89PNG',
        contentType: 'multipart/form-data; boundary=xx',
      },
    });
    expect(cutOff.status).toBeGreaterThanOrEqual(400);
    expect(cutOff.status).toBeLessThan(500);
  });

  it('removes the logo on DELETE: logo_url becomes null, the old URL is gone, the favicon stays', async () => {
    const before = await branding();
    expect(before.logo_url).not.toBeNull();
    const response = await api.delete<Branding>('/api/branding/logo', { token: adminToken });
    expect(response.status).toBe(200);
    expect(response.body.logo_url).toBeNull();
    const after = await branding();
    expect(after.logo_url).toBeNull();
    expect(after.favicon_url).toBe(before.favicon_url);
    expect((await fetchAsset(server, pathOf(before.logo_url))).status).toBe(404);
    expect((await fetchAsset(server, pathOf(before.favicon_url))).status).toBe(200);

    // Deleting again is harmless.
    expect((await api.delete<Branding>('/api/branding/logo', { token: adminToken })).body.logo_url).toBeNull();
  });

  it('serves nothing under /static/branding/ but the stored assets', async () => {
    for (const name of ['..%2F.jwt_secret', '.jwt_secret', 'logo.exe', 'logo.png.bak', '%2e%2e%2fbranding.db']) {
      const response = await fetch(`${server.url}/static/branding/${name}`);
      expect(response.status, name).toBe(404);
    }
  });

  it('records uploads and removals in the audit log', async () => {
    const logs = await api.get<{ logs: { action: string; details: { asset?: string; bytes?: number } }[] }>(
      '/api/audit-logs?entity_type=branding',
      {
        token: adminToken,
      },
    );
    const events = logs.body.logs.map((l) => `${l.action}:${l.details.asset}`);
    expect(events).toContain('upload:logo');
    expect(events).toContain('upload:favicon');
    expect(events).toContain('delete:logo');
    const logoUpload = logs.body.logs.find((l) => l.action === 'upload' && l.details.asset === 'logo')!;
    expect(logoUpload.details.bytes).toBe(CLEAN_SVG.length);
  });
});

describe('simultaneous uploads', () => {
  let server: TestServer;
  let api: ApiClient;
  let adminToken: string;

  beforeAll(async () => {
    ({ server, api, adminToken } = await startWithAdmin());
  });
  afterAll(() => server.close());

  // Uploads once shared one temporary file name, so concurrent uploads raced on it and the loser answered 500.
  it('accepts several uploads of the logo at once, and the logo it ends with is one of them', async () => {
    const images = [RED_PNG, BLUE_PNG, png([0, 255, 0, 255]), png([1, 2, 3, 255]), png([4, 5, 6, 255]), png([7, 8, 9, 255])];
    const responses = await Promise.all(
      images.map((image) => api.post<Branding>('/api/branding/logo', { token: adminToken, ...upload(image, 'logo.png', 'image/png') })),
    );
    expect(responses.map((r) => r.status)).toEqual(images.map(() => 200));
    const served = await fetchAsset(server, (await api.get<Branding>('/api/branding')).body.logo_url!);
    expect(served.status).toBe(200);
    expect(images.some((image) => image.equals(served.bytes))).toBe(true);
  });
});
