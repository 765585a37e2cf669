/**
 * Prints the README configuration table (markdown) generated from the options registry.
 *   npx tsx scripts/config-table.ts           # print it
 *   npx tsx scripts/config-table.ts --write   # replace the marked section of README.md in place
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigTable, replaceReadmeTable } from '../src/config/config-table.ts';

const table = renderConfigTable();
if (process.argv.includes('--write')) {
  const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
  writeFileSync(readmePath, replaceReadmeTable(readFileSync(readmePath, 'utf8'), table));
  process.stdout.write(`updated the configuration table in ${readmePath}\n`);
} else {
  process.stdout.write(`${table}\n`);
}
