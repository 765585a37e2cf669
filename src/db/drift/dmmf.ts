// The part of Prisma's DMMF (datamodel) that the drift check reads, and how to get it offline:
// run `prisma generate` on a copy of the schema whose only generator is dmmf-dump-generator.mjs.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DriftCheckError } from './drift-check-error.ts';

export interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  isList: boolean;
  isRequired: boolean;
  isUpdatedAt?: boolean;
  hasDefaultValue: boolean;
  type: string;
  nativeType?: [string, string[]] | null;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  schema?: string | null;
  fields: DmmfField[];
}

export interface DmmfIndex {
  model: string;
  type: 'id' | 'normal' | 'unique' | 'fulltext';
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string; sortOrder?: 'asc' | 'desc' }[];
}

export interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string; dbName: string | null }[];
}

export interface Datamodel {
  models: DmmfModel[];
  enums: DmmfEnum[];
  indexes: DmmfIndex[];
}

const generatorScript = fileURLToPath(new URL('./dmmf-dump-generator.mjs', import.meta.url));

/** Parses schema.prisma with Prisma's own parser. Throws DriftCheckError('invalid-schema') with Prisma's message. */
export async function loadDatamodel(schemaPath: string): Promise<Datamodel> {
  const schema = await readFile(schemaPath, 'utf8').catch((error: Error) => {
    throw new DriftCheckError('invalid-schema', `Cannot read the Prisma schema ${schemaPath}: ${error.message}`);
  });
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'drift-dmmf-'));
  try {
    const outFile = path.join(workDir, 'dmmf.json');
    const derivedSchema = path.join(workDir, 'schema.prisma');
    await writeFile(derivedSchema, withOnlyDumpGenerator(schema, outFile));
    await runPrismaGenerate(derivedSchema, workDir, schemaPath);
    return JSON.parse(await readFile(outFile, 'utf8')).datamodel as Datamodel;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The same schema, with its generators replaced by the DMMF dump (so nothing else is generated). */
function withOnlyDumpGenerator(schema: string, outFile: string): string {
  const generatorBlock = /^[ \t]*generator\s+\w+\s*\{[\s\S]*?^[ \t]*\}[ \t]*$/gm;
  // Preview features change what the schema may contain (e.g. `view` blocks): keep them.
  const previewFeatures = [...schema.matchAll(generatorBlock)]
    .map((block) => /^\s*previewFeatures\s*=\s*(\[[^\]]*\])/m.exec(block[0])?.[1])
    .find((features) => features !== undefined);
  const provider = `"${process.execPath}" "${generatorScript}"`;
  return [
    schema.replace(generatorBlock, ''),
    '',
    'generator drift_dmmf_dump {',
    `  provider = ${JSON.stringify(provider)}`,
    `  output   = ${JSON.stringify(outFile)}`,
    ...(previewFeatures ? [`  previewFeatures = ${previewFeatures}`] : []),
    '}',
    '',
  ].join('\n');
}

function runPrismaGenerate(schemaPath: string, cwd: string, originalPath: string): Promise<void> {
  const require = createRequire(import.meta.url);
  const prismaCli = require.resolve('prisma/build/index.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCli, 'generate', '--schema', schemaPath], {
      // Outside the project, so prisma.config.ts (and its schema path) is not picked up.
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        // `generate` never runs the schema engine but insists that it exists (see prisma-offline notes).
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false',
        CHECKPOINT_DISABLE: '1',
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        NO_COLOR: '1',
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) =>
      reject(new DriftCheckError('invalid-schema', `Cannot run the Prisma CLI: ${error.message}`)),
    );
    child.once('close', (code) => {
      if (code === 0) resolve();
      else {
        const message = output.replaceAll(schemaPath, originalPath).trim();
        reject(new DriftCheckError('invalid-schema', `Prisma could not read ${originalPath}:\n${message}`));
      }
    });
  });
}
