import type { RawData } from 'ws';

/** A websocket text frame as a string, whichever of its three shapes ws delivered it in (a Buffer, fragments, an ArrayBuffer). */
export function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
