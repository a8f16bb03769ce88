import { createHash, randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';

import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

import { rawToString } from '../net.js';
import { cleanupAfterEach, isJson, type Json, sleep, waitFor } from '../test-support.js';
import { SdcpSimulator, type SdcpSimulatorOptions, TINY_JPEG } from './index.js';
import { SHARED_SDCP_AVAILABLE, SHARED_SDCP_SKIP_REASON, sharedSdcpFixture } from './shared-fixtures.js';

const cleanups = cleanupAfterEach();

const MB = 1024 * 1024;

async function simulator(options: SdcpSimulatorOptions = {}): Promise<SdcpSimulator> {
  const sim = new SdcpSimulator({
    speed: 100,
    statusIntervalMs: 30,
    plan: { heatSeconds: 10, durationSeconds: 50, totalLayers: 10 },
    ...options,
  });
  await sim.start();
  cleanups.push(() => sim.stop());
  return sim;
}

function obj(value: unknown): Json {
  return isJson(value) ? value : {};
}

/** A bare SDCP client: every frame kept in order, replies awaited by RequestID. */
class SdcpClient {
  readonly frames: string[] = [];
  readonly messages: Json[] = [];
  closeCode: number | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = rawToString(data);
      this.frames.push(text);
      try {
        this.messages.push(obj(JSON.parse(text)));
      } catch {
        // pong, garbage
      }
    });
    ws.on('close', (code) => {
      this.closeCode = code;
    });
  }

  static async open(sim: SdcpSimulator): Promise<SdcpClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${sim.port}/websocket`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    cleanups.push(() => ws.terminate());
    return new SdcpClient(ws);
  }

  /** Sends a request the way ODIN does (or `style: 'webui'`: no Topic, From 1, empty ids) and returns the reply's Data. */
  async request(sim: SdcpSimulator, cmd: number, data: Json = {}, style: 'odin' | 'webui' = 'odin'): Promise<Json> {
    const requestId = randomUUID().replaceAll('-', '');
    const frame =
      style === 'odin'
        ? {
            Id: 'odin',
            Data: { Cmd: cmd, Data: data, RequestID: requestId, MainboardID: sim.mainboardId, TimeStamp: 1, From: 0 },
            Topic: `sdcp/request/${sim.mainboardId}`,
          }
        : { Id: '', Data: { Cmd: cmd, Data: data, RequestID: requestId, MainboardID: '', TimeStamp: Date.now(), From: 1 } };
    this.ws.send(JSON.stringify(frame));
    const reply = await waitFor(
      `the reply to Cmd ${cmd}`,
      () => this.messages.find((m) => obj(m['Data'])['RequestID'] === requestId),
      2000,
    );
    return reply;
  }

  byTopic(prefix: string): Json[] {
    return this.messages.filter((m) => typeof m['Topic'] === 'string' && m['Topic'].startsWith(prefix));
  }

  statuses(): Json[] {
    return this.byTopic('sdcp/status/').map((m) => obj(m['Status']));
  }
}

function replyData(reply: Json): Json {
  return obj(obj(reply['Data'])['Data']);
}

function printInfo(sim: SdcpSimulator): Json {
  return obj(sim.status()['PrintInfo']);
}

async function postChunk(sim: SdcpSimulator, fields: Record<string, string>, chunk: Buffer, fileName = 'part.gcode'): Promise<Json> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('File', new Blob([new Uint8Array(chunk)]), fileName);
  const res = await fetch(`http://127.0.0.1:${sim.port}/uploadFile/upload`, { method: 'POST', body: form });
  expect(res.status).toBe(200);
  return obj(await res.json());
}

async function upload(
  sim: SdcpSimulator,
  data: Buffer,
  fileName: string,
  md5 = createHash('md5').update(data).digest('hex'),
): Promise<Json[]> {
  const uuid = randomUUID().replaceAll('-', '');
  const replies: Json[] = [];
  for (let offset = 0; offset < data.length || offset === 0; offset += MB) {
    replies.push(
      await postChunk(
        sim,
        { 'S-File-MD5': md5, Check: '1', Offset: String(offset), Uuid: uuid, TotalSize: String(data.length) },
        data.subarray(offset, offset + MB),
        fileName,
      ),
    );
    if (data.length === 0) break;
  }
  return replies;
}

describe('SdcpSimulator websocket', () => {
  it('answers text ping with pong, Cmd 1 with attributes and Cmd 0 with a full status, correlated by RequestID', async () => {
    const sim = await simulator({ name: 'Bay 1', firmware: 'V1.1.29', statusIntervalMs: 60_000 });
    const client = await SdcpClient.open(sim);
    client.ws.send('ping');
    await waitFor('pong', () => client.frames.includes('pong'));

    const reply = await client.request(sim, 1);
    expect(reply).toMatchObject({
      Data: { Cmd: 1, Data: { Ack: 0 }, MainboardID: sim.mainboardId },
      Topic: `sdcp/response/${sim.mainboardId}`,
    });
    expect(obj(reply['Data'])['TimeStamp']).toBeGreaterThan(1_700_000_000);
    const attributes = await waitFor('attributes', () => client.byTopic('sdcp/attributes/')[0]);
    expect(attributes).toMatchObject({
      MainboardID: sim.mainboardId,
      Attributes: {
        Name: 'Bay 1',
        MachineName: 'Centauri Carbon',
        BrandName: 'ELEGOO',
        ProtocolVersion: 'V3.0.0',
        FirmwareVersion: 'V1.1.29',
        MainboardIP: '127.0.0.1',
        SupportFileType: ['GCODE'],
      },
    });

    await client.request(sim, 0);
    const status = await waitFor('status', () => client.statuses()[0]);
    expect(status).toMatchObject({
      CurrentStatus: [0],
      TempOfNozzle: 22,
      TempTargetNozzle: 0,
      TempOfBox: 25,
      CurrentFanSpeed: { ModelFan: 0, AuxiliaryFan: 0, BoxFan: 0 },
      LightStatus: { SecondLight: 1, RgbLight: [0, 0, 0] },
      PrintInfo: { Status: 0, Filename: '', TaskId: '', PrintSpeedPct: 100, Progress: 0, ErrorNumber: 0 },
    });
    expect(typeof status['CurrenCoord']).toBe('string');
  });

  it('pushes the full status every interval and only the changed fields on change', async () => {
    const sim = await simulator({ statusIntervalMs: 40 });
    const client = await SdcpClient.open(sim);
    await waitFor('two periodic pushes', () => client.statuses().length >= 2);
    expect(Object.keys(client.statuses()[0] ?? {})).toContain('PrintInfo');

    const reply = await client.request(sim, 403, { LightStatus: { SecondLight: false } });
    expect(replyData(reply)).toEqual({ Ack: 0 });
    const partial = await waitFor('a partial push', () => client.statuses().find((s) => Object.keys(s).length === 1 && s['LightStatus']));
    expect(partial).toEqual({ LightStatus: { SecondLight: 0 } });
  });

  it('runs a print from Cmd 128: 16 preheating → 13 printing → 9 complete, ticks in seconds', async () => {
    const sim = await simulator();
    sim.addFile('cube.gcode');
    const client = await SdcpClient.open(sim);
    expect(replyData(await client.request(sim, 128, { Filename: '/local/missing.gcode', StartLayer: 0 }))).toEqual({ Ack: 2 });
    expect(replyData(await client.request(sim, 128, { Filename: '/local/cube.gcode', StartLayer: 0 }))).toEqual({ Ack: 0 });
    expect(replyData(await client.request(sim, 128, { Filename: '/local/cube.gcode', StartLayer: 0 }))).toEqual({ Ack: 1 });
    await waitFor('complete', () => sim.phase === 'complete', 5000);
    await waitFor('a complete push', () => client.statuses().some((s) => obj(s['PrintInfo'])['Status'] === 9));

    const subs = client
      .statuses()
      .flatMap((s) => (typeof obj(s['PrintInfo'])['Status'] === 'number' ? [obj(s['PrintInfo'])['Status']] : []));
    const distinct = subs.filter((s, i) => s !== subs[i - 1]);
    expect(distinct.slice(distinct.indexOf(16))).toEqual([16, 13, 9]);
    expect(sim.status()['CurrentStatus']).toEqual([0]);
    expect(printInfo(sim)).toMatchObject({
      Status: 9,
      Filename: 'cube.gcode',
      CurrentTicks: 60,
      TotalTicks: 60,
      Progress: 100,
      CurrentLayer: 10,
      TotalLayer: 10,
    });
  });

  it('pause 5→6, resume 12→13, stop 7→8 with the job fields cleared like the capture', async () => {
    const sim = await simulator({ statusIntervalMs: 200, plan: { heatSeconds: 0, durationSeconds: 1_000_000, totalLayers: 100 } });
    const client = await SdcpClient.open(sim);
    expect(replyData(await client.request(sim, 129))).toEqual({ Ack: 1 });
    sim.startPrint('long.gcode');
    await waitFor('printing', () => printInfo(sim)['Status'] === 13);

    // Each command's change push carries the transitional sub-state; the next interval ends it.
    const pushedSub = (from: number, sub: number) => () =>
      client
        .statuses()
        .slice(from)
        .find((s) => obj(s['PrintInfo'])['Status'] === sub);
    let from = client.statuses().length;
    expect(replyData(await client.request(sim, 129))).toEqual({ Ack: 0 });
    await waitFor('pausing pushed', pushedSub(from, 5), 1000);
    await waitFor('paused', () => printInfo(sim)['Status'] === 6, 1000);
    from = client.statuses().length;
    expect(replyData(await client.request(sim, 131))).toEqual({ Ack: 0 });
    await waitFor('resuming pushed', pushedSub(from, 12), 1000);
    await waitFor('printing again', () => printInfo(sim)['Status'] === 13, 1000);
    from = client.statuses().length;
    expect(replyData(await client.request(sim, 130))).toEqual({ Ack: 0 });
    await waitFor('stopping pushed', pushedSub(from, 7), 1000);
    await waitFor('stopped', () => printInfo(sim)['Status'] === 8, 1000);
    expect(sim.status()).toMatchObject({
      CurrentStatus: [0],
      PrintInfo: { Status: 8, Filename: '', TaskId: '', CurrentTicks: 0, CurrentLayer: 0, Progress: 0, TotalLayer: 100 },
    });
  });

  it('Cmd 403 takes one field per request and refuses out-of-range values', async () => {
    const sim = await simulator();
    const client = await SdcpClient.open(sim);
    expect(replyData(await client.request(sim, 403, { TempTargetNozzle: 210 }))).toEqual({ Ack: 0 });
    expect(replyData(await client.request(sim, 403, { TempTargetHotbed: 60 }))).toEqual({ Ack: 0 });
    expect(replyData(await client.request(sim, 403, { TempTargetBox: 40 }))).toEqual({ Ack: 0 });
    expect(replyData(await client.request(sim, 403, { PrintSpeedPct: 130 }))).toEqual({ Ack: 0 });
    expect(replyData(await client.request(sim, 403, { TargetFanSpeed: { ModelFan: 80, BoxFan: 20 } }))).toEqual({ Ack: 0 });
    expect(replyData(await client.request(sim, 403, { LightStatus: { SecondLight: 0, RgbLight: [255, 0, 0] } }))).toEqual({ Ack: 0 });
    expect(sim.status()).toMatchObject({
      TempTargetNozzle: 210,
      TempTargetHotbed: 60,
      TempTargetBox: 40,
      CurrentFanSpeed: { ModelFan: 80, BoxFan: 20 },
      LightStatus: { SecondLight: 0, RgbLight: [255, 0, 0] },
      PrintInfo: { PrintSpeedPct: 130 },
    });
    expect(replyData(await client.request(sim, 403, { TempTargetNozzle: 200, TempTargetHotbed: 50 }))).toEqual({ Ack: 1 });
    expect(replyData(await client.request(sim, 403, { TempTargetNozzle: 400 }))).toEqual({ Ack: 1 });
    expect(replyData(await client.request(sim, 403, { Unknown: 1 }))).toEqual({ Ack: 1 });
    expect(sim.status()).toMatchObject({ TempTargetNozzle: 210, TempTargetHotbed: 60 });
  });

  it('Cmd 258 lists local files, Cmd 386 gives a scheme-less VideoUrl, unknown commands are refused', async () => {
    const sim = await simulator();
    sim.addFile('a.gcode', 1234);
    const client = await SdcpClient.open(sim);
    expect(replyData(await client.request(sim, 258, { Url: '/local' }))).toEqual({
      Ack: 0,
      FileList: [{ name: '/local/a.gcode', usedSize: 1234, totalSize: 1234, storageType: 0, type: 1 }],
    });
    expect(obj((await client.request(sim, 258, { Url: '/local' }))['Data'])['Cmd']).toBe(258);
    expect(replyData(await client.request(sim, 386, { Enable: 1 }))).toEqual({ Ack: 0, VideoUrl: `127.0.0.1:${sim.videoPort}/video` });
    expect(replyData(await client.request(sim, 999))).toEqual({ Ack: 1 });
  });

  it('a request for another mainboard is ignored', async () => {
    const sim = await simulator();
    const client = await SdcpClient.open(sim);
    client.ws.send(
      JSON.stringify({ Id: 'x', Data: { Cmd: 1, Data: {}, RequestID: 'other', MainboardID: 'ffffffff', TimeStamp: 1, From: 0 } }),
    );
    await client.request(sim, 0);
    expect(client.messages.some((m) => obj(m['Data'])['RequestID'] === 'other')).toBe(false);
  });

  it('replays the requests the CC web UI sends (no Topic, From 1, empty MainboardID)', async (ctx) => {
    ctx.skip(!SHARED_SDCP_AVAILABLE, SHARED_SDCP_SKIP_REASON);
    const sim = await simulator({ statusIntervalMs: 60_000 });
    const client = await SdcpClient.open(sim);
    const observed = obj(sharedSdcpFixture('centauri_carbon_requests_observed_webui.json'));
    const expectedAcks: Record<number, number> = { 0: 0, 1: 0, 128: 2, 129: 1, 130: 1, 131: 1, 134: 0, 258: 0, 320: 0, 386: 0, 403: 0 };
    for (const [heading, request] of Object.entries(observed)) {
      const data = obj(obj(request)['Data']);
      expect(obj(request)['Topic']).toBeUndefined();
      client.ws.send(JSON.stringify(request));
      const reply = await waitFor(
        `the reply to ${heading}`,
        () => client.messages.find((m) => obj(m['Data'])['RequestID'] === data['RequestID']),
        2000,
      );
      const cmd = Number(data['Cmd']);
      expect(obj(reply['Data'])['Cmd']).toBe(cmd);
      expect(replyData(reply)['Ack']).toBe(expectedAcks[cmd]);
    }
    // The web UI's light toggle sends SecondLight: true; the status reports 1.
    expect(obj(sim.status()['LightStatus'])['SecondLight']).toBe(1);
  });

  it('has the field sets of the recorded payloads (status capture, ack capture, spec attributes)', async (ctx) => {
    ctx.skip(!SHARED_SDCP_AVAILABLE, SHARED_SDCP_SKIP_REASON);
    const sim = await simulator({ statusIntervalMs: 60_000 });
    const client = await SdcpClient.open(sim);
    await client.request(sim, 0);
    const pushed = await waitFor('status', () => client.byTopic('sdcp/status/')[0]);
    const capture = obj(sharedSdcpFixture('centauri_carbon_status_idle_fw1.1.29.json'));
    expect(Object.keys(pushed).sort()).toEqual(Object.keys(capture).sort());
    const status = obj(pushed['Status']);
    const captured = obj(capture['Status']);
    expect(Object.keys(status)).toEqual(Object.keys(captured));
    for (const nested of ['CurrentFanSpeed', 'LightStatus'])
      expect(Object.keys(obj(status[nested]))).toEqual(Object.keys(obj(captured[nested])));
    // The capture has no ErrorNumber; the spec and the brief do.
    expect(Object.keys(obj(status['PrintInfo']))).toEqual([...Object.keys(obj(captured['PrintInfo'])), 'ErrorNumber']);

    const ack = obj(sharedSdcpFixture('centauri_carbon_response_cmd128_ack2_file_not_found.json'));
    const reply = await client.request(sim, 128, { Filename: '/local/nothing.gcode', StartLayer: 0 });
    expect(Object.keys(reply).sort()).toEqual(Object.keys(ack).sort());
    expect(Object.keys(obj(reply['Data'])).sort()).toEqual(Object.keys(obj(ack['Data'])).sort());
    expect(replyData(reply)).toEqual(obj(obj(ack['Data'])['Data']));

    await client.request(sim, 1);
    const attributes = obj((await waitFor('attributes', () => client.byTopic('sdcp/attributes/')[0]))['Attributes']);
    const spec = obj(obj(obj(sharedSdcpFixture('sdcp_v3_spec_examples.json'))['Attribute Information :: example'])['Attributes']);
    // Resin-only fields of the (resin) spec example are not on a Centauri Carbon.
    const resinOnly = ['Resolution', 'ReleaseFilmMax', 'TempOfUVLEDMax', 'TLPNoCapPos', 'TLPStartCapPos', 'TLPInterLayers'];
    for (const key of Object.keys(spec).filter((k) => !resinOnly.includes(k))) expect(attributes, key).toHaveProperty(key);
  });
});

describe('SdcpSimulator upload', () => {
  it('stores a file sent in 1 MB chunks after checking the MD5; CurrentStatus 2 while it arrives', async () => {
    const sim = await simulator({ statusIntervalMs: 60_000 });
    const client = await SdcpClient.open(sim);
    const data = Buffer.alloc(2 * MB + 5000, 7);
    const md5 = createHash('md5').update(data).digest('hex');
    const uuid = 'u1';
    const fields = (offset: number) => ({
      'S-File-MD5': md5,
      Check: '1',
      Offset: String(offset),
      Uuid: uuid,
      TotalSize: String(data.length),
    });
    expect(await postChunk(sim, fields(0), data.subarray(0, MB))).toEqual({ code: '000000', messages: null, data: {}, success: true });
    expect(sim.status()['CurrentStatus']).toEqual([2]);
    await waitFor('a transfer push', () => client.statuses().some((s) => JSON.stringify(s['CurrentStatus']) === '[2]'));
    // Out of order: -2, and the transfer is dropped.
    expect(await postChunk(sim, fields(2 * MB), data.subarray(2 * MB))).toEqual({
      code: '111111',
      messages: [{ field: 'common_field', message: -2 }],
      data: null,
      success: false,
    });
    expect(sim.status()['CurrentStatus']).toEqual([0]);

    expect((await upload(sim, data, 'part.gcode')).every((r) => r['success'] === true)).toBe(true);
    expect(sim.files()).toEqual([expect.objectContaining({ name: 'part.gcode', size: data.length, md5 })]);
    expect(sim.transfers().at(-1)).toMatchObject({ fileName: 'part.gcode', offsets: [0, MB, 2 * MB], result: 'stored' });
  });

  it('an MD5 mismatch is reported on sdcp/error and the file is not kept', async () => {
    const sim = await simulator({ statusIntervalMs: 60_000 });
    const client = await SdcpClient.open(sim);
    await upload(sim, Buffer.from('G28\n'), 'bad.gcode', '0'.repeat(32));
    const error = await waitFor('sdcp/error', () => client.byTopic('sdcp/error/')[0]);
    expect(obj(error['Data'])).toMatchObject({ Data: { ErrorCode: 1 }, MainboardID: sim.mainboardId });
    expect(sim.files()).toEqual([]);
    expect(sim.transfers().at(-1)?.result).toBe('md5 mismatch');
  });

  it('failUploadAt, missing fields, a second transfer and Cmd 255', async () => {
    const sim = await simulator();
    const client = await SdcpClient.open(sim);
    sim.failUploadAt(MB);
    const replies = await upload(sim, Buffer.alloc(MB + 10), 'x.gcode').catch(() => []);
    expect(replies.at(-1)).toEqual({ code: '111111', messages: [{ field: 'common_field', message: -3 }], data: null, success: false });
    sim.failUploadAt(null);

    expect(await postChunk(sim, { Offset: '0' }, Buffer.from('x'))).toMatchObject({
      success: false,
      messages: [
        { field: 'S-File-MD5', message: 'Cannot be empty' },
        { field: 'Uuid', message: 'Cannot be empty' },
        { field: 'TotalSize', message: 'Cannot be empty' },
      ],
    });

    const first = { 'S-File-MD5': 'a'.repeat(32), Check: '1', Offset: '0', Uuid: 'first', TotalSize: '100' };
    expect((await postChunk(sim, first, Buffer.alloc(10)))['success']).toBe(true);
    expect(await postChunk(sim, { ...first, Uuid: 'second' }, Buffer.alloc(10))).toMatchObject({
      success: false,
      messages: [{ message: -3 }],
    });
    expect(replyData(await client.request(sim, 255, { Uuid: 'first', FileName: 'part.gcode' }))).toEqual({ Ack: 0 });
    expect(sim.transfers().at(-1)).toMatchObject({ uuid: 'first', result: 'cancelled' });
    expect(sim.status()['CurrentStatus']).toEqual([0]);
  });
});

describe('SdcpSimulator video and discovery', () => {
  it('serves MJPEG frames of a valid JPEG on the video port', async () => {
    const sim = await simulator();
    const controller = new AbortController();
    const res = await fetch(`http://127.0.0.1:${sim.videoPort}/video`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('multipart/x-mixed-replace; boundary=sdcpframe');
    const reader = res.body?.getReader();
    let received = Buffer.alloc(0);
    while (received.indexOf(Buffer.from('--sdcpframe'), 1) < 0) {
      const part = await reader?.read();
      if (!part || part.done) break;
      received = Buffer.concat([received, Buffer.from(part.value)]);
    }
    expect(sim.videoClientCount).toBe(1);
    controller.abort();
    const header = `--sdcpframe\r\nContent-Type: image/jpeg\r\nContent-Length: ${TINY_JPEG.length}\r\n\r\n`;
    expect(received.subarray(0, header.length).toString('latin1')).toBe(header);
    const jpeg = received.subarray(header.length, header.length + TINY_JPEG.length);
    expect(jpeg.equals(TINY_JPEG)).toBe(true);
    expect([...jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect([...jpeg.subarray(-2)]).toEqual([0xff, 0xd9]);
    await waitFor('the stream to close', () => sim.videoClientCount === 0);
    expect((await fetch(`http://127.0.0.1:${sim.videoPort}/other`)).status).toBe(404);
  });

  it('answers M99999 on its UDP port and nothing else', async () => {
    const sim = await simulator({ udpPort: 0, name: 'Bay 2' });
    const socket = createSocket('udp4');
    cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    const replies: string[] = [];
    socket.on('message', (msg) => replies.push(msg.toString()));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    socket.send('hello', sim.udpPort ?? 0, '127.0.0.1');
    socket.send('M99999', sim.udpPort ?? 0, '127.0.0.1');
    await waitFor('a reply', () => replies.length > 0);
    await sleep(50);
    expect(replies).toHaveLength(1);
    expect(JSON.parse(replies[0] ?? '')).toEqual({
      Id: expect.stringMatching(/^[0-9a-f]{32}$/) as string,
      Data: {
        Name: 'Bay 2',
        MachineName: 'Centauri Carbon',
        BrandName: 'ELEGOO',
        MainboardIP: '127.0.0.1',
        MainboardID: sim.mainboardId,
        ProtocolVersion: 'V3.0.0',
        FirmwareVersion: 'V1.1.29',
      },
    });
  });

  it('has no UDP socket unless asked', async () => {
    const sim = await simulator();
    expect(sim.udpPort).toBeNull();
  });
});

describe('SdcpSimulator faults and limits', () => {
  it('drops a socket without client traffic after idleCloseMs; client pings keep it', async () => {
    const sim = await simulator({ idleCloseMs: 200, statusIntervalMs: 50 });
    const quiet = await SdcpClient.open(sim);
    const chatty = await SdcpClient.open(sim);
    const timer = setInterval(() => chatty.ws.send('ping'), 50);
    cleanups.push(() => clearInterval(timer));
    await waitFor('the quiet socket to be dropped', () => quiet.closeCode !== null, 2000);
    expect(quiet.closeCode).toBe(1006);
    await sleep(300);
    expect(chatty.closeCode).toBeNull();
    expect(sim.clientCount).toBe(1);
  });

  it('closeWithoutFrame, refuseConnections and stall', async () => {
    const sim = await simulator();
    const client = await SdcpClient.open(sim);
    sim.closeWithoutFrame();
    await waitFor('close', () => client.closeCode !== null, 1000);
    expect(client.closeCode).toBe(1006);

    sim.refuseConnections(true);
    await expect(SdcpClient.open(sim)).rejects.toThrow();
    sim.refuseConnections(false);

    const stalled = await SdcpClient.open(sim);
    sim.stall(true);
    const count = stalled.frames.length;
    stalled.ws.send('ping');
    await sleep(150);
    expect(stalled.frames.length).toBe(count);
    sim.stall(false);
    stalled.ws.send('ping');
    await waitFor('pong after the stall', () => stalled.frames.includes('pong'));
  });

  it('sendGarbage sends malformed frames', async () => {
    const sim = await simulator({ statusIntervalMs: 60_000 });
    const client = await SdcpClient.open(sim);
    sim.sendGarbage();
    await waitFor('garbage', () => client.frames.length >= 15);
    expect(client.frames).toContain('this is not json');
  });

  it('hundreds of simulators share their timers and answer', async () => {
    const sims: SdcpSimulator[] = [];
    const started = Date.now();
    for (let i = 0; i < 200; i++) sims.push(await simulator({ statusIntervalMs: 100 }));
    const sample = [sims[0], sims[99], sims[199]];
    const clients = await Promise.all(sample.map((sim) => (sim ? SdcpClient.open(sim) : Promise.reject(new Error('missing')))));
    await waitFor('pushes from each sampled simulator', () => clients.every((c) => c.statuses().length >= 2), 3000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(new Set(sims.map((s) => s.port)).size).toBe(200);
  });
});
