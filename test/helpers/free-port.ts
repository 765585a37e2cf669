/**
 * Ports for tests that start servers of their own (HTTP_PORT, an embedded PostgreSQL, the demo
 * database): one that nothing listens on right now, and whether one has been let go again.
 * scripts/run-tests.mjs imports this file too (it registers tsx), so there is one copy of each.
 */
import { createConnection, createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Whether nothing accepts connections on 127.0.0.1:port (a server that should have stopped did). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}
