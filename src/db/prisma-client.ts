// The Prisma client of the application, talking to PostgreSQL through node-postgres (adapter-pg):
// Prisma 7 has no bundled query engine binary; queries are compiled in WASM and run over `pg`.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.ts';
import { pgClientConfig, schemaOfDatabaseUrl } from './connection-config.ts';

export type { PrismaClient } from '../generated/prisma/client.ts';

export interface PrismaClientOptions {
  /** Connections in the pool (node-postgres default: 10). */
  maxConnections?: number;
  applicationName?: string;
}

/**
 * Call `$disconnect()` when done; it closes the pool. A `?schema=` in `url` is honoured: every pooled
 * connection has it as search_path (the job's raw SQL), and Prisma's own queries name it.
 */
export function createPrismaClient(url: string, options: PrismaClientOptions = {}): PrismaClient {
  const schema = schemaOfDatabaseUrl(url);
  const adapter = new PrismaPg(
    {
      ...pgClientConfig(url, options.applicationName ?? 'tg-dialog-sync'),
      ...(options.maxConnections ? { max: options.maxConnections } : {}),
    },
    schema === null ? undefined : { schema },
  );
  return new PrismaClient({ adapter });
}
