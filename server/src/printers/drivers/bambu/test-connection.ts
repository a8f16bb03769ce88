import type { ConnectionTestResult, DriverListener, DriverOptions, PrinterConnection } from '../../driver.js';
import { offlineState, type PrinterState } from '../../state.js';
import { bambuCredentials, BambuDriver } from './bambu-driver.js';

/**
 * "Test connection" for a Bambu printer: the same MQTT/TLS session the fleet uses, until the first
 * full report and the get_version answer (model, firmware), then closed. Never throws; the message
 * is written for the user (wrong access code, certificate of another printer, refused, timed out…).
 */
export async function testBambuConnection(connection: PrinterConnection, options: DriverOptions): Promise<ConnectionTestResult> {
  const { serial, accessCode } = bambuCredentials(connection);
  if (!serial) return { ok: false, message: "Enter the printer's serial number: Bambu printers need it for TLS and the MQTT topic" };
  if (!accessCode) return { ok: false, message: "Enter the printer's LAN access code (shown in its network settings)" };
  const driver = new BambuDriver(connection, options);
  let state: PrinterState = offlineState();
  const listener: DriverListener = {
    onState: (patch) => {
      state = { ...state, ...patch };
    },
    onDisconnect: () => undefined,
  };
  try {
    try {
      await driver.connect(listener);
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
    const version = await driver.waitForVersion(Math.min(3000, options.requestTimeoutMs ?? 10_000));
    const name = version?.productName ?? (version?.model ? `Bambu Lab ${version.model}` : 'Bambu Lab printer');
    const units = state.ams?.length ?? 0;
    const parts = [
      `${name} ${serial}${version?.firmware ? `, firmware ${version.firmware}` : ''}: ${state.status}`,
      units > 0 ? `${units} AMS unit${units === 1 ? '' : 's'}` : null,
    ].filter((p): p is string => p !== null);
    const tls = connection.tlsInsecure ? ' Certificate checks are off for this printer.' : ' Certificate verified.';
    return {
      ok: true,
      message: `${parts.join(', ')}.${tls}`,
      info: {
        model: version?.model ?? null,
        product_name: version?.productName ?? null,
        firmware: version?.firmware ?? null,
        serial,
        status: state.status,
        ams_units: units,
        tls_verified: !connection.tlsInsecure,
      },
    };
  } catch (err) {
    return { ok: false, message: `The connection test failed: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    await driver.close().catch(() => undefined);
  }
}
