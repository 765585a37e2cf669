#!/usr/bin/env node
// Runs `prisma generate` without network access.
//
// Prisma's CLI resolves (and would try to download) its native schema engine before running most
// commands, even `generate`, which never executes it. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any
// existing file satisfies that lookup. Telemetry/update checks are disabled for the same reason.
// Called by `npm run prisma:generate` and therefore by `postinstall`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = path.join(projectRoot, 'prisma', 'schema.prisma');

if (!existsSync(schemaPath)) {
  // A checkout without a schema (should not happen after the first commit) must not break `npm ci`.
  console.warn(`prisma-generate: ${path.relative(projectRoot, schemaPath)} not found; skipping client generation`);
  process.exit(0);
}

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');
const placeholderEngine =
  process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? (existsSync('/bin/false') ? '/bin/false' : process.execPath);

const result = spawnSync(process.execPath, [prismaCli, 'generate', ...process.argv.slice(2)], {
  cwd: projectRoot,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: placeholderEngine,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});

if (result.error) {
  console.error(`prisma-generate: could not run the Prisma CLI: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
