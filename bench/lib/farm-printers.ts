import type { FarmPrinter } from './farm-process.js';
import { BenchError } from './odin-server.js';

/** The POST /api/printers body for one simulated farm printer. */
export function printerBody(printer: FarmPrinter): Record<string, string> {
  const body: Record<string, string> = { name: printer.name, api_type: printer.api_type, api_host: `127.0.0.1:${printer.port}` };
  if (printer.api_key !== null) body['api_key'] = printer.api_key;
  if (printer.username !== null) body['username'] = printer.username;
  if (printer.password !== null) body['password'] = printer.password;
  if (printer.serial !== null) body['serial'] = printer.serial;
  if (printer.access_code !== null) body['access_code'] = printer.access_code;
  if (printer.api_type === 'bambu' && printer.model !== null) body['model'] = `Bambu Lab ${printer.model}`;
  if (printer.api_type === 'elegoo') body['model'] = 'Elegoo Centauri Carbon';
  return body;
}

/** Adds one farm printer through the API; resolves with its id. */
export async function addFarmPrinter(url: string, token: string, printer: FarmPrinter): Promise<number> {
  const response = await fetch(`${url}/api/printers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(printerBody(printer)),
  });
  const text = await response.text();
  if (response.status !== 201) throw new BenchError(`adding ${printer.name} failed: ${response.status} ${text}`);
  const created: unknown = JSON.parse(text);
  if (typeof created !== 'object' || created === null || !('id' in created) || typeof created.id !== 'number') {
    throw new BenchError(`POST /api/printers answered without an id: ${text.slice(0, 200)}`);
  }
  return created.id;
}

/** Adds every farm printer, eight requests at a time; resolves with name → id. */
export async function addFarmPrinters(
  url: string,
  token: string,
  printers: FarmPrinter[],
  progress: (message: string) => void,
): Promise<Map<string, number>> {
  progress(`adding ${printers.length} printers through POST /api/printers…`);
  const idOf = new Map<string, number>();
  const queue = [...printers];
  const worker = async (): Promise<void> => {
    for (let printer = queue.shift(); printer; printer = queue.shift()) idOf.set(printer.name, await addFarmPrinter(url, token, printer));
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return idOf;
}
