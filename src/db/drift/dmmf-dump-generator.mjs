// A minimal Prisma generator (run by `prisma generate` as a child process) that writes the DMMF —
// Prisma's own parsed form of schema.prisma: models, fields, native types, defaults, indexes, enums —
// to the generator's `output` file. This is how the drift check reads the schema offline with only
// the `prisma` CLI installed (@prisma/internals, which exposes getDMMF, is not a dependency).
//
// Protocol (as in @prisma/generator-helper): JSON-RPC requests arrive one per line on stdin;
// responses go to stderr, one JSON object per line.
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

function respond(id, result) {
  process.stderr.write(`${JSON.stringify({ jsonrpc: '2.0', id, result })}\n`);
}

function fail(id, error) {
  process.stderr.write(
    `${JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32000, message: String(error?.message ?? error) } })}\n`,
  );
}

createInterface({ input: process.stdin }).on('line', (line) => {
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    return;
  }
  try {
    if (request.method === 'getManifest') {
      respond(request.id, { manifest: { prettyName: 'DMMF dump (drift check)', requiresEngines: [] } });
    } else if (request.method === 'generate') {
      const { generator, dmmf } = request.params;
      writeFileSync(generator.output.value, JSON.stringify({ datamodel: dmmf.datamodel }));
      respond(request.id, null);
    }
  } catch (error) {
    fail(request.id, error);
  }
});
