// The Prisma client of the application, talking to PostgreSQL through node-postgres (adapter-pg):
// Prisma 7 has no bundled query engine binary; queries are compiled in WASM and run over `pg`.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export type { PrismaClient } from '../generated/prisma/client.ts';

export interface PrismaClientOptions {
  /** Connections in the pool (node-postgres default: 10). */
  maxConnections?: number;
  applicationName?: string;
}

/** Call `$disconnect()` when done; it closes the pool. */
export function createPrismaClient(url: string, options: PrismaClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: url,
    application_name: options.applicationName ?? 'tg-dialog-sync',
    ...(options.maxConnections ? { max: options.maxConnections } : {}),
  });
  return new PrismaClient({ adapter });
}
