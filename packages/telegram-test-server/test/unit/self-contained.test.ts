/**
 * The package stands on its own: no file in it (code or test) imports anything outside the package
 * by relative path — in particular nothing from the project's src/, which would bring back the
 * circle between the job and its test data center. Packages from node_modules are fine.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(ts|mjs)$/.test(entry.name) ? [full] : [];
  });
}

describe('the package', () => {
  it('imports nothing outside its own folder by relative path', () => {
    const files = ['bin', 'src', 'test'].flatMap((folder) => sourceFiles(path.join(packageRoot, folder)));
    assert.ok(files.length > 50, `${files.length} files`);
    const escapes: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const target = path.resolve(path.dirname(file), match[1]!);
        if (!target.startsWith(packageRoot)) escapes.push(`${path.relative(packageRoot, file)} imports ${match[1]}`);
      }
    }
    assert.deepEqual(escapes, []);
  });
});
