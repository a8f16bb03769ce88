import type { ConnectionTestResult, DriverOptions, PrinterConnection } from '../../driver.js';
import type { PrinterState } from '../../state.js';
import { SdcpEndpoint, SdcpSession } from './sdcp-session.js';

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * "Test connection" for an SDCP printer: open the websocket, ask attributes (Cmd 1) and status
 * (Cmd 0), report who answered. Never throws; the message is written for the user.
 */
export async function testSdcpConnection(connection: PrinterConnection, options: DriverOptions): Promise<ConnectionTestResult> {
  const endpoint = new SdcpEndpoint(connection);
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  // Set from a callback, which TypeScript's narrowing cannot see: without `as` it would stay `null`.
  let state = null as PrinterState['status'] | null;
  const session = new SdcpSession(
    {
      endpoint,
      logger: options.logger,
      printerId: connection.printerId,
      requestTimeoutMs: timeoutMs,
      keepaliveMs: Math.max(timeoutMs, 1000),
      requireAttributes: true,
    },
    {
      onState: (patch) => {
        if (patch.status) state = patch.status;
      },
      onDisconnect: () => undefined,
    },
  );
  try {
    await session.start();
  } catch (err) {
    await session.close();
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  const attributes = session.attributes;
  await session.close();
  if (!attributes) return { ok: false, message: `${endpoint.hostPort} speaks SDCP but did not send its attributes` };
  const info: Record<string, string | number | boolean | null> = {
    name: attributes.name,
    machine_name: attributes.machineName,
    brand: attributes.brandName,
    firmware_version: attributes.firmwareVersion,
    protocol_version: attributes.protocolVersion,
    mainboard_id: attributes.mainboardId,
    mainboard_ip: attributes.mainboardIp,
    status: state,
  };
  const model = attributes.machineName ?? 'Elegoo printer';
  const called = attributes.name && attributes.name !== attributes.machineName ? ` "${attributes.name}"` : '';
  const firmware = attributes.firmwareVersion ? `firmware ${attributes.firmwareVersion}` : 'unknown firmware';
  const protocol = attributes.protocolVersion ? `, SDCP ${attributes.protocolVersion}` : '';
  const now = state ? ` It is ${state}.` : '';
  return { ok: true, message: `${model}${called} (${firmware}${protocol}) at ${endpoint.hostPort}.${now}`, info };
}
