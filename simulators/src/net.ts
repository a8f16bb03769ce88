import type { Server, Socket } from 'node:net';

import type { RawData } from 'ws';

/** Listens on host:port (0 picks a free port) and resolves with the port it got. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/**
 * Keeps every socket the server accepts in `sockets`, so stop() and the "drop" fault can cut them.
 * While `refusing()` says so, new connections are cut at once: the "refuse" fault.
 */
export function trackConnections(server: Server, sockets: Set<Socket>, refusing: () => boolean = () => false): void {
  server.on('connection', (socket: Socket) => {
    if (refusing()) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
}

/** Cuts every tracked socket (no goodbye: the client sees the connection drop). */
export function destroyAll(sockets: Set<Socket>): void {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
}

/** A websocket frame as text, whichever of its three shapes ws delivered it in. */
export function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
