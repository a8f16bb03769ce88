import { createSocket, type RemoteInfo } from 'node:dgram';

import { isRecord, str } from './messages.js';

/** The UDP port SDCP printers listen on for `M99999`. */
export const SDCP_DISCOVERY_PORT = 3000;

export interface SdcpDiscoveredPrinter {
  /** The printer's address: `MainboardIP`, or the address the reply came from when it has none. */
  ip: string;
  /** The address the reply came from. */
  replyFrom: string;
  mainboardId: string | null;
  name: string | null;
  machineName: string | null;
  brandName: string | null;
  protocolVersion: string | null;
  firmwareVersion: string | null;
  /**
   * `sdcp-v3`: websocket SDCP (this driver); `sdcp-v1-mqtt`: the older MQTT variant (Saturn 3,
   * Mars 4: the client runs the broker); `cc2`: Centauri Carbon 2 (its own MQTT protocol).
   */
  variant: 'sdcp-v3' | 'sdcp-v1-mqtt' | 'cc2' | 'unknown';
  /** Whether the SDCP driver can talk to it. */
  supported: boolean;
}

/** One discovery reply `{Id, Data:{Name, MachineName, BrandName, MainboardIP, MainboardID, ProtocolVersion, FirmwareVersion}}`. */
export function parseDiscoveryReply(text: string, replyFrom: string): SdcpDiscoveredPrinter | null {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(message)) return null;
  const data = isRecord(message['Data']) ? message['Data'] : null;
  if (!data) return null;
  const mainboardId = str(data['MainboardID']);
  const protocolVersion = str(data['ProtocolVersion']);
  if (!mainboardId && !protocolVersion) return null;
  const machineName = str(data['MachineName']);
  let variant: SdcpDiscoveredPrinter['variant'] = 'unknown';
  if (/centauri\s*carbon\s*2/i.test(machineName ?? '')) variant = 'cc2';
  else if (protocolVersion && /^v?3\./i.test(protocolVersion)) variant = 'sdcp-v3';
  else if (protocolVersion && /^v?1\./i.test(protocolVersion)) variant = 'sdcp-v1-mqtt';
  return {
    ip: str(data['MainboardIP']) ?? replyFrom,
    replyFrom,
    mainboardId,
    name: str(data['Name']),
    machineName,
    brandName: str(data['BrandName']),
    protocolVersion,
    firmwareVersion: str(data['FirmwareVersion']),
    variant,
    supported: variant === 'sdcp-v3',
  };
}

/**
 * Sends `M99999` to `broadcastAddress:port` (UDP) and collects the replies that arrive within
 * `timeoutMs`, one per printer (by MainboardID, else address), in arrival order. Rejects only when
 * the probe cannot be sent at all.
 */
export function discoverSdcpPrinters(
  timeoutMs = 3000,
  broadcastAddress = '255.255.255.255',
  port = SDCP_DISCOVERY_PORT,
): Promise<SdcpDiscoveredPrinter[]> {
  return new Promise<SdcpDiscoveredPrinter[]>((resolve, reject) => {
    const socket = createSocket({ type: broadcastAddress.includes(':') ? 'udp6' : 'udp4' });
    const found = new Map<string, SdcpDiscoveredPrinter>();
    let timer: NodeJS.Timeout | null = null;
    let settled = false;
    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve([...found.values()]);
    };
    socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
      const printer = parseDiscoveryReply(msg.toString('utf8'), rinfo.address);
      if (!printer) return;
      const key = printer.mainboardId ?? printer.ip;
      if (!found.has(key)) found.set(key, printer);
    });
    socket.on('error', (err) => finish(new Error(`SDCP discovery failed: ${err.message}`)));
    socket.bind(0, () => {
      try {
        if (!broadcastAddress.includes(':')) socket.setBroadcast(true);
      } catch (err) {
        finish(new Error(`SDCP discovery failed: ${err instanceof Error ? err.message : String(err)}`));
        return;
      }
      socket.send('M99999', port, broadcastAddress, (err) => {
        if (err) finish(new Error(`SDCP discovery could not send to ${broadcastAddress}:${port}: ${err.message}`));
      });
      timer = setTimeout(() => finish(null), timeoutMs);
    });
  });
}
