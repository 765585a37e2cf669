/** `tg-dialog-sync --version` (issue 17, should-fix): the version from package.json, exit 0, no configuration needed. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runCli } from '../../helpers/cli-process.ts';

describe('tg-dialog-sync --version', () => {
  it('prints the package version and exits 0 without any configuration', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const run = await runCli(['--version'], { PATH: process.env.PATH });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), version);
  });
});
