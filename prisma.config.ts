// Prisma 7 reads this file for every CLI command (generate, validate, format, migrate).
//
// DATABASE_URL is read straight from process.env on purpose: Prisma's `env()` helper throws when
// the variable is unset, which would break `npm ci` (postinstall runs `prisma generate`, which
// needs no database at all). Migrations are applied by our own runner (src/db/migrate.ts,
// `npm run db:migrate`) because Prisma's native schema engine cannot be downloaded offline; on a
// machine with internet `npx prisma migrate deploy` reads the same folder and bookkeeping table.
import { defineConfig } from 'prisma/config';

const databaseUrl = process.env.DATABASE_URL;

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: {
    path: 'prisma/migrations',
  },
  ...(databaseUrl ? { datasource: { url: databaseUrl } } : {}),
});
