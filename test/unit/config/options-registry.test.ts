import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { optionNamesInReadmeTable, renderConfigTable, replaceReadmeTable } from '../../../src/config/config-table.ts';
import { OPTION_NAMES, OPTIONS, optionSpec } from '../../../src/config/options.ts';

const README_PATH = fileURLToPath(new URL('../../../README.md', import.meta.url));

describe('options registry', () => {
  it('keys every entry by its own name, with a description and an example', () => {
    for (const name of OPTION_NAMES) {
      const spec = optionSpec(name);
      assert.equal(spec.name, name);
      assert.ok(spec.description.length > 10, `${name} has a description`);
      assert.ok(spec.example.length > 0, `${name} has an example`);
    }
  });

  it('has defaults and examples that pass their own validation', () => {
    for (const name of OPTION_NAMES) {
      const spec = optionSpec(name);
      assert.ok(spec.schema.safeParse(spec.example).success, `example of ${name}: ${spec.example}`);
      if (spec.default !== undefined) assert.ok(spec.schema.safeParse(spec.default).success, `default of ${name}`);
    }
  });

  it('gives required options no default (a default would make them optional)', () => {
    for (const name of OPTION_NAMES) {
      const spec = optionSpec(name);
      if (spec.requirement !== 'optional') assert.equal(spec.default, undefined, name);
    }
  });

  it('marks the secrets and the testing-only options', () => {
    const secrets = OPTION_NAMES.filter((name) => optionSpec(name).secret !== 'none').sort();
    assert.deepEqual(secrets, [
      'DATABASE_URL',
      'TELEGRAM_API_HASH',
      'TELEGRAM_SESSION_ENCRYPTION_KEY',
      'TELEGRAM_SESSION_PREVIOUS_KEYS',
    ]);
    const testingOnly = OPTION_NAMES.filter((name) => optionSpec(name).testingOnly).sort();
    assert.deepEqual(testingOnly, [
      'TELEGRAM_TEST_DC_HOST',
      'TELEGRAM_TEST_DC_PORT',
      'TELEGRAM_TEST_DC_PUBLIC_KEY_FILE',
    ]);
  });

  it('is where the schema help texts come from', () => {
    for (const name of OPTION_NAMES) {
      assert.equal(optionSpec(name).schema.description, optionSpec(name).description, name);
    }
    const jsonSchema = z.toJSONSchema(OPTIONS.SYNC_BATCH_SIZE.schema, { io: 'input' });
    assert.equal(jsonSchema.description, OPTIONS.SYNC_BATCH_SIZE.description);
  });
});

describe('README configuration table', () => {
  it('renders one row per option, in registry order', () => {
    const names = optionNamesInReadmeTable(renderConfigTable());
    assert.deepEqual(names, OPTION_NAMES);
  });

  it('marks secret, required and testing-only options in the rendered table', () => {
    const table = renderConfigTable();
    assert.match(table, /\| `TELEGRAM_API_HASH` \|.*\*\*Required\.\*\* \*\*Secret\.\*\*/);
    assert.match(table, /\| `DATABASE_URL` \|.*\*\*Required in production\.\*\*/);
    assert.match(table, /\| `TELEGRAM_TEST_DC_PORT` \|.*\*\*Testing only\*\*/);
    assert.match(table, /\| `NODE_ENV` \| development \\\| test \\\| production \|/, 'pipes are escaped');
  });

  it('replaces only the marked section of a README', () => {
    const readme = `# Title\n\n${renderConfigTable([OPTIONS.LOG_LEVEL])}\n\nMore text.\n`;
    const updated = replaceReadmeTable(readme);
    assert.ok(updated.startsWith('# Title\n\n'));
    assert.ok(updated.endsWith('\n\nMore text.\n'));
    assert.deepEqual(optionNamesInReadmeTable(updated), OPTION_NAMES);
    assert.throws(() => replaceReadmeTable('# no markers'), /no configuration table markers/);
  });

  it('README.md lists every option of the registry and no removed one', () => {
    let readme: string;
    try {
      readme = readFileSync(README_PATH, 'utf8');
    } catch {
      assert.fail(`${README_PATH} is missing; it must contain the output of: npx tsx scripts/config-table.ts`);
    }
    const listed = optionNamesInReadmeTable(readme);
    assert.ok(
      listed,
      'README.md has no generated configuration table; paste the output of: npx tsx scripts/config-table.ts',
    );
    const missing = OPTION_NAMES.filter((name) => !listed.includes(name));
    const stale = listed.filter((name) => !(OPTION_NAMES as string[]).includes(name));
    assert.deepEqual(
      { missing, stale },
      { missing: [], stale: [] },
      'README.md configuration table is out of date; run: npx tsx scripts/config-table.ts --write',
    );
  });
});
