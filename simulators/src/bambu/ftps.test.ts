import { createHash, randomBytes } from 'node:crypto';
import { connect as tlsConnect } from 'node:tls';

import { describe, expect, it } from 'vitest';

import { cleanupAfterEach, sleep } from '../test-support.js';
import { BambuSimulator, type BambuSimulatorOptions, createSimulatorCa } from './index.js';
import { FtpsTestClient } from './test-support.js';

const cleanups = cleanupAfterEach();

const ca = createSimulatorCa();

async function simulator(options: Partial<BambuSimulatorOptions> = {}): Promise<BambuSimulator> {
  const sim = new BambuSimulator({ serial: '01P00A391800123', accessCode: '12345678', ca, ...options });
  await sim.start();
  cleanups.push(() => sim.stop());
  return sim;
}

async function client(sim: BambuSimulator, login = true): Promise<FtpsTestClient> {
  const ftp = await FtpsTestClient.connect(sim);
  cleanups.push(() => ftp.close());
  if (login) await ftp.setup('12345678');
  return ftp;
}

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

describe('Bambu FTPS: implicit TLS and login', () => {
  it('speaks TLS from the first byte with the printer certificate (CN = serial)', async () => {
    const sim = await simulator();
    const ftp = await client(sim, false);
    const cert = ftp.control.getPeerCertificate();
    expect(cert.subject.CN).toBe(sim.serial);
    expect(ftp.control.authorized).toBe(true);
  });

  it('fails verification for a wrong serial or a foreign CA', async () => {
    const sim = await simulator();
    await expect(FtpsTestClient.connect(sim, { servername: 'WRONGSERIAL' })).rejects.toThrow(/altnames|does not match/i);
    await expect(FtpsTestClient.connect(sim, { ca: createSimulatorCa().caPem })).rejects.toThrow(/certificate/i);
  });

  it('accepts bblp with the access code only, and nothing before login', async () => {
    const sim = await simulator();
    const ftp = await client(sim, false);
    expect((await ftp.send('PASV')).code).toBe(530);
    expect((await ftp.login('wrong-code')).code).toBe(530);
    expect((await ftp.login('12345678', 'root')).code).toBe(530);
    expect((await ftp.login('12345678')).code).toBe(230);
    expect((await ftp.send('PWD')).text).toBe('"/" is the current directory');
    expect((await ftp.send('SYST')).code).toBe(215);
    const feat = await ftp.send('FEAT');
    expect(feat.code).toBe(211);
    expect(feat.text).toContain('EPSV');
    expect((await ftp.send('XYZZY')).code).toBe(502);
    expect((await ftp.send('QUIT')).code).toBe(221);
  });

  it('follows setAccessCode for new logins', async () => {
    const sim = await simulator();
    sim.setAccessCode('87654321');
    const ftp = await client(sim, false);
    expect((await ftp.login('12345678')).code).toBe(530);
    expect((await ftp.login('87654321')).code).toBe(230);
  });
});

describe('Bambu FTPS: uploads', () => {
  it('stores an upload whose data connection resumes the control session (no close_notify)', async () => {
    const sim = await simulator();
    const ftp = await client(sim);
    const content = randomBytes(300_000);
    const result = await ftp.upload('benchy.3mf', content);
    expect(result.dataReused).toBe(true);
    expect(result.first.code).toBe(150);
    expect(result.final).toEqual({ code: 226, text: 'Transfer complete.' });
    expect(sim.uploads()).toEqual([{ name: 'benchy.3mf', size: content.length, md5: md5(content) }]);
    expect(await ftp.send('SIZE /benchy.3mf')).toEqual({ code: 213, text: String(content.length) });
  });

  it('also completes when the client does send close_notify, and over EPSV', async () => {
    const sim = await simulator();
    const ftp = await client(sim);
    const content = Buffer.from('G28\nG1 X10\n');
    const result = await ftp.upload('cache/plate.gcode', content, { closeNotify: true, mode: 'EPSV' });
    expect(result.final?.code).toBe(226);
    expect(sim.uploads()).toEqual([{ name: 'cache/plate.gcode', size: content.length, md5: md5(content) }]);
  });

  it('refuses a data connection that does not resume the TLS session (425)', async () => {
    const sim = await simulator();
    const ftp = await client(sim);
    const result = await ftp.upload('benchy.3mf', randomBytes(1000), { reuse: false });
    expect(result.dataReused).toBe(false);
    expect(result.first).toEqual({ code: 425, text: 'TLS session of data connection not resumed.' });
    expect(sim.uploads()).toEqual([]);
    // The control connection is still usable: the next, resuming, upload works.
    expect((await ftp.upload('benchy.3mf', Buffer.from('ok'))).final?.code).toBe(226);
  });

  it('accepts a fresh data session when requireSessionReuse is off', async () => {
    const sim = await simulator({ requireSessionReuse: false });
    const ftp = await client(sim);
    const result = await ftp.upload('a.3mf', Buffer.from('abc'), { reuse: false });
    expect(result.final?.code).toBe(226);
    expect(sim.uploads().map((u) => u.name)).toEqual(['a.3mf']);
  });

  it('failFtpsMidTransfer cuts the data connection half-way: 426 and nothing stored', async () => {
    const sim = await simulator();
    const ftp = await client(sim);
    sim.failFtpsMidTransfer(true);
    const result = await ftp.upload('big.3mf', randomBytes(2_000_000));
    expect(result.first.code).toBe(150);
    expect(result.final).toEqual({ code: 426, text: 'Connection closed; transfer aborted.' });
    expect(sim.uploads()).toEqual([]);
    sim.failFtpsMidTransfer(false);
    expect((await ftp.upload('big.3mf', Buffer.from('again'))).final?.code).toBe(226);
    expect(sim.uploads().map((u) => u.name)).toEqual(['big.3mf']);
  });

  it('needs PASV/EPSV before a transfer and PROT P for data', async () => {
    const sim = await simulator();
    const ftp = await client(sim, false);
    expect((await ftp.login('12345678')).code).toBe(230);
    expect((await ftp.send('STOR x.3mf')).code).toBe(425);
    const port = await ftp.passive();
    const data = await ftp.openData(port, true);
    expect((await ftp.send('STOR x.3mf')).code).toBe(521);
    data.destroy();
    expect((await ftp.send('STOR /nodir/x.3mf')).code).toBe(553);
  });

  it('lists, sizes and deletes files; NLST gives bare names on P1 and full paths on X1', async () => {
    const p1 = await simulator();
    const ftp = await client(p1);
    await ftp.upload('one.3mf', Buffer.from('1'));
    await ftp.upload('two.3mf', Buffer.from('22'));
    const nlst = await ftp.list('NLST');
    expect(nlst.final?.code).toBe(226);
    expect(nlst.text.trim().split('\r\n')).toEqual(['cache', 'timelapse', 'image', 'model', 'one.3mf', 'two.3mf']);
    const list = await ftp.list('LIST', '-la /');
    expect(list.text).toMatch(/^-rw-rw-rw- .* 2 \w{3} [ \d]\d \d\d:\d\d two\.3mf\r$/m);
    expect(list.text).toMatch(/^drwxrwxrwx .* cache\r$/m);
    expect((await ftp.send('DELE one.3mf')).code).toBe(250);
    expect((await ftp.send('DELE one.3mf')).code).toBe(550);
    expect((await ftp.send('SIZE one.3mf')).code).toBe(550);
    expect(p1.uploads().map((u) => u.name)).toEqual(['two.3mf']);
    expect((await ftp.send('CWD /cache')).code).toBe(250);
    expect((await ftp.send('CWD /nope')).code).toBe(550);

    const x1 = await simulator({ serial: '00M09A350100001', model: 'X1C' });
    const ftpX1 = await client(x1);
    await ftpX1.upload('one.3mf', Buffer.from('1'));
    const x1List = await ftpX1.list('NLST', '/');
    expect(x1List.text.trim().split('\r\n')).toContain('/one.3mf');
  });

  it('drops FTPS connections on dropConnections and refuses them while refusing', async () => {
    const sim = await simulator();
    const ftp = await client(sim);
    const closed = new Promise<void>((resolve) => ftp.control.once('close', () => resolve()));
    sim.dropConnections();
    await closed;
    sim.refuseConnections(true);
    await expect(FtpsTestClient.connect(sim)).rejects.toThrow();
    sim.refuseConnections(false);
    await client(sim);
  });

  it('stays silent while stalled', async () => {
    const sim = await simulator();
    const ftp = await client(sim);
    sim.stall(true);
    await expect(ftp.send('NOOP', 300)).rejects.toThrow(/timed out/);
    sim.stall(false);
    expect((await ftp.send('NOOP')).code).toBe(200);
  });

  it('keeps serving many sessions at once', async () => {
    const sim = await simulator();
    const results = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const ftp = await client(sim);
        return ftp.upload(`file${i}.3mf`, randomBytes(50_000 + i));
      }),
    );
    expect(results.map((r) => r.final?.code)).toEqual([226, 226, 226, 226, 226]);
    expect(
      sim
        .uploads()
        .map((u) => u.size)
        .sort(),
    ).toEqual([50_000, 50_001, 50_002, 50_003, 50_004]);
  });

  it('closes a passive port that a newer PASV replaced', async () => {
    const sim = await simulator();
    const ftp = await client(sim);
    const port = await ftp.passive();
    expect((await ftp.passive()) === port).toBe(false); // a new PASV replaces the old port
    await sleep(50);
    const stale = tlsConnect({ host: sim.host, port, ca: sim.caPem, servername: sim.serial });
    const error = await new Promise<Error>((resolve) => stale.once('error', resolve));
    expect(error.message).toMatch(/ECONNREFUSED/);
  });
});
