import type { ServerResponse } from 'node:http';

/**
 * A valid 8×8 mid-grey baseline JPEG, built byte by byte (no image library): one quantisation
 * table of ones, one-symbol Huffman tables (DC category 0, AC end-of-block), one block whose
 * coefficients are all zero. Decoders show a grey square; it is all the camera tests need.
 */
export const TINY_JPEG: Buffer = (() => {
  const segment = (marker: number, body: number[]): number[] => [
    0xff,
    marker,
    ((body.length + 2) >> 8) & 0xff,
    (body.length + 2) & 0xff,
    ...body,
  ];
  const oneCodeTable = (tableClassAndId: number): number[] => [tableClassAndId, 1, ...new Array<number>(15).fill(0), 0x00];
  return Buffer.from([
    0xff,
    0xd8, // SOI
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]), // APP0 JFIF 1.1
    ...segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]), // DQT 0
    ...segment(0xc0, [0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00]), // SOF0 8×8, 1 component
    ...segment(0xc4, oneCodeTable(0x00)), // DHT DC 0
    ...segment(0xc4, oneCodeTable(0x10)), // DHT AC 0
    ...segment(0xda, [0x01, 0x01, 0x00, 0x00, 0x3f, 0x00]), // SOS
    0x3f, // DC "0" + EOB "0", padded with ones
    0xff,
    0xd9, // EOI
  ]);
})();

export const MJPEG_BOUNDARY = 'sdcpframe';

/** Writes one multipart/x-mixed-replace part; false when the client is gone. */
export function writeFrame(res: ServerResponse, jpeg: Buffer = TINY_JPEG): boolean {
  if (res.destroyed || res.writableEnded) return false;
  res.write(`--${MJPEG_BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`);
  res.write(jpeg);
  res.write('\r\n');
  return true;
}
