import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { parseWebcams } from './moonraker-driver.js';

const fixture = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../../simulators/fixtures/moonraker/server_webcams_list.response.json',
);

describe('Moonraker webcam discovery', () => {
  it('reads the recorded webcam list, resolving relative URLs against the web front end', () => {
    const body = JSON.parse(fs.readFileSync(fixture, 'utf8')) as unknown;
    const cameras = parseWebcams({ result: body }, 'http://192.168.1.40');
    expect(cameras.map((c) => c.name)).toEqual(['testcam3', 'tc2', 'TestCam']);
    expect(cameras[0]).toEqual({
      name: 'testcam3',
      streamUrl: 'http://camera.lan/webcam?action=stream',
      snapshotUrl: 'http://camera.lan/webcam?action=snapshot',
      kind: 'mjpeg',
    });
    expect(cameras[2]!.streamUrl).toBe('http://192.168.1.40/webcam/?action=stream');
  });

  it('skips disabled cameras and tolerates odd shapes', () => {
    expect(parseWebcams({ webcams: [{ name: 'off', enabled: false, stream_url: '/x' }, { name: 'no url' }, 42] }, 'http://h')).toEqual([]);
    expect(parseWebcams('garbage', 'http://h')).toEqual([]);
  });
});
