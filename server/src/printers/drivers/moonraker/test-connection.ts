import type { ConnectionTestResult, DriverOptions, PrinterConnection } from '../../driver.js';
import { httpErrorMessage, parsePrinterInfo, parseServerInfo, unwrapResult } from './messages.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, type HttpReply, MoonrakerEndpoint } from './moonraker-http.js';

/**
 * "Test connection" for a Moonraker printer: `GET /server/info` (is it Moonraker, is the key
 * right, what state is Klippy in) and, when Klippy is there, `GET /printer/info` (host name,
 * Klipper version). Never throws; the message is written for the user.
 */
export async function testMoonrakerConnection(connection: PrinterConnection, options: DriverOptions): Promise<ConnectionTestResult> {
  try {
    return await runTest(connection, options);
  } catch (err) {
    return { ok: false, message: `The connection test failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

async function runTest(connection: PrinterConnection, options: DriverOptions): Promise<ConnectionTestResult> {
  const endpoint = new MoonrakerEndpoint(connection);
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  let reply: HttpReply;
  try {
    reply = await endpoint.request({ method: 'GET', path: '/server/info' }, timeoutMs);
  } catch (err) {
    return { ok: false, message: endpoint.describeNetworkError(err, timeoutMs) };
  }
  if (reply.status === 401 || reply.status === 403) {
    return {
      ok: false,
      message: endpoint.apiKey ? 'Moonraker refused the API key' : 'Moonraker requires an API key, and none is set for this printer',
    };
  }
  if (reply.status < 200 || reply.status >= 300) {
    const moonrakerMessage = httpErrorMessage(reply.body);
    return {
      ok: false,
      message: moonrakerMessage
        ? `Moonraker at ${endpoint.hostPort} answered HTTP ${reply.status}: ${moonrakerMessage}`
        : `${endpoint.hostPort} answered HTTP ${reply.status} to /server/info — is this a Moonraker server?`,
    };
  }
  const server = parseServerInfo(unwrapResult(reply.body));
  if (!server) {
    return { ok: false, message: `${endpoint.hostPort} answered, but not like Moonraker (no klippy_state in /server/info)` };
  }

  const info: Record<string, string | number | boolean | null> = {
    moonraker_version: server.moonraker_version,
    api_version: server.api_version_string,
    klippy_connected: server.klippy_connected,
    klippy_state: server.klippy_state,
    hostname: null,
    software_version: null,
  };
  let stateMessage: string | null = null;
  if (server.klippy_connected) {
    try {
      const printerReply = await endpoint.request({ method: 'GET', path: '/printer/info' }, timeoutMs);
      const printer = printerReply.status === 200 ? parsePrinterInfo(unwrapResult(printerReply.body)) : null;
      if (printer) {
        info['hostname'] = printer.hostname;
        info['software_version'] = printer.software_version;
        stateMessage = printer.state_message;
      }
    } catch {
      // The host answered server.info; printer.info is a bonus.
    }
  }

  const where = info['hostname'] ? ` on ${String(info['hostname'])}` : ` at ${endpoint.hostPort}`;
  const versions = `Moonraker ${server.moonraker_version ?? '(unknown version)'}${info['software_version'] ? `, Klipper ${String(info['software_version'])}` : ''}`;
  const klippy = {
    ready: 'Klipper is ready',
    startup: 'Klipper is starting',
    shutdown: `Klipper is shut down${stateMessage ? `: ${firstLine(stateMessage)}` : ''}`,
    error: `Klipper reports an error${stateMessage ? `: ${firstLine(stateMessage)}` : ''}`,
    disconnected: 'Klipper is not connected to Moonraker',
  }[server.klippy_state];
  return { ok: true, message: `${versions}${where}. ${klippy}.`, info };
}

function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? '').trim();
}
