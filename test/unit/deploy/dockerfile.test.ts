/**
 * The Dockerfile and .dockerignore: a multi-stage build whose last stage runs `node src/cli/bin.mjs
 * start` (exec form, no npm) as a non-root user in production mode, with a node-based HEALTHCHECK on
 * /healthz, production dependencies and a Prisma client generated at build time; a build context
 * that carries the program and nothing else (no node_modules, .env, sessions, tests).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  dockerContextIncludes,
  dockerStages,
  envPairs,
  execForm,
  parseDockerfile,
  PROJECT_ROOT,
  readProjectFile,
  type DockerStage,
} from './deploy-files.ts';

const dockerfile = readProjectFile('Dockerfile');
const dockerignore = readProjectFile('.dockerignore');
const stages = dockerStages(parseDockerfile(dockerfile));
const runtime = stages.at(-1) as DockerStage;
const only = (stage: DockerStage, keyword: string) =>
  stage.instructions.filter((instruction) => instruction.keyword === keyword);

describe('Dockerfile', () => {
  it('is a multi-stage build on one node 20 slim image pinned to an exact release', () => {
    assert.ok(stages.length >= 2, `${stages.length} stage(s)`);
    // A floating tag (node:20-bookworm-slim, node:20.19-…) changes under the same Dockerfile; only a
    // full major.minor.patch (optionally with a digest) builds the same runtime twice.
    const pinned = /^node:(20)\.(\d+)\.(\d+)-bookworm-slim(@sha256:[0-9a-f]{64})?$/;
    for (const stage of stages)
      assert.match(stage.image, pinned, `base image ${stage.image} is not an exact node 20 release`);
    assert.equal(
      new Set(stages.map((stage) => stage.image)).size,
      1,
      'every stage uses the same image (dependencies are built for the runtime)',
    );
    // The pinned release satisfies package.json's engines (">=20.19").
    const [, major, minor] = pinned.exec(runtime.image)!.map(Number);
    const engines = (JSON.parse(readProjectFile('package.json')) as { engines: { node: string } }).engines.node;
    const [, wantMajor, wantMinor] = /^>=(\d+)\.(\d+)$/.exec(engines)!.map(Number);
    assert.ok(
      major! > wantMajor! || (major === wantMajor && minor! >= wantMinor!),
      `${runtime.image} satisfies engines ${engines}`,
    );
    assert.equal(new Set(stages.map((stage) => stage.name)).size, stages.length, 'stage names are unique');
    assert.equal(runtime.name, 'runtime');
  });

  it('installs production dependencies with npm ci and generates the Prisma client in a build stage', () => {
    const build = stages.slice(0, -1).flatMap((stage) => only(stage, 'RUN').map((instruction) => instruction.args));
    const install = build.find((args) => /\bnpm ci\b/.test(args));
    assert.ok(install, 'a build stage runs npm ci');
    assert.match(install, /--omit=dev\b/, 'production dependencies only');
    assert.ok(
      build.some((args) => /\bnode scripts\/prisma-generate\.mjs\b/.test(args)),
      'prisma generate (offline script) runs at build',
    );
    // No package manager in the final stage: it only copies what the build stage produced.
    for (const instruction of only(runtime, 'RUN'))
      assert.doesNotMatch(instruction.args, /\bnpm\b|\bnpx\b|prisma/, instruction.args);
    const copiedFromBuild = only(runtime, 'COPY')
      .filter((instruction) => /--from=/.test(instruction.args))
      .map((instruction) => instruction.args.replace(/--\S+\s+/g, '').split(/\s+/)[0]);
    assert.deepEqual(copiedFromBuild.sort(), ['/app/node_modules', '/app/src/generated']);
    const buildStageNames = stages.slice(0, -1).map((stage) => stage.name);
    for (const instruction of only(runtime, 'COPY').filter((copy) => /--from=/.test(copy.args))) {
      assert.ok(buildStageNames.includes(/--from=(\S+)/.exec(instruction.args)![1]!), instruction.args);
    }
  });

  it('runs in production mode as a non-root user', () => {
    const env = new Map(only(runtime, 'ENV').flatMap((instruction) => [...envPairs(instruction.args)]));
    assert.equal(env.get('NODE_ENV'), 'production');
    const users = only(runtime, 'USER');
    assert.ok(users.length > 0, 'the final stage sets USER');
    const user = users.at(-1)!.args.split(':')[0]!;
    assert.notEqual(user, 'root');
    assert.notEqual(user, '0');
    // USER comes after the last RUN, so nothing later runs as root by accident.
    const lastUser = runtime.instructions.lastIndexOf(users.at(-1)!);
    assert.ok(runtime.instructions.slice(lastUser).every((instruction) => instruction.keyword !== 'RUN'));
  });

  it('starts the worker with node in exec form, without npm or a shell', () => {
    const cmds = only(runtime, 'CMD');
    assert.equal(cmds.length, 1);
    assert.deepEqual(execForm(cmds[0]!.args), ['node', 'src/cli/bin.mjs', 'start']);
    assert.equal(only(runtime, 'ENTRYPOINT').length, 0, 'no ENTRYPOINT wraps the command');
    assert.ok(existsSync(path.join(PROJECT_ROOT, 'src/cli/bin.mjs')));
    for (const instruction of [...only(runtime, 'CMD'), ...only(runtime, 'ENTRYPOINT')])
      assert.doesNotMatch(instruction.args, /\bnpm\b/);
  });

  it('checks /healthz with node itself', () => {
    const checks = only(runtime, 'HEALTHCHECK');
    assert.equal(checks.length, 1);
    const match = /^((?:--\S+\s+)*)CMD\s+(\[.*\])$/.exec(checks[0]!.args);
    assert.ok(match, `HEALTHCHECK in exec form: ${checks[0]!.args}`);
    const command = execForm(match[2]!)!;
    assert.deepEqual(command.slice(0, 2), ['node', '-e']);
    assert.match(
      command[2]!,
      /fetch\('http:\/\/127\.0\.0\.1:' \+ \(process\.env\.HTTP_PORT \|\| 9464\) \+ '\/healthz'/,
    );
    assert.match(command[2]!, /process\.exit\(r\.ok \? 0 : 1\)/);
    assert.match(match[1]!, /--timeout=\d+s/);
    assert.match(match[1]!, /--interval=\d+s/);
    // The snippet is valid JavaScript.
    assert.doesNotThrow(() => new Function(command[2]!));
  });

  it('copies only files that exist and are in the build context', () => {
    for (const stage of stages) {
      for (const instruction of only(stage, 'COPY').filter((copy) => !/--from=/.test(copy.args))) {
        const parts = instruction.args.replace(/--\S+\s+/g, '').split(/\s+/);
        for (const source of parts.slice(0, -1)) {
          if (source === '.') continue;
          assert.ok(existsSync(path.join(PROJECT_ROOT, source)), `${source} exists`);
          assert.ok(dockerContextIncludes(dockerignore, source), `${source} is in the build context`);
        }
      }
    }
  });
});

describe('.dockerignore', () => {
  it('keeps the program and leaves out dependencies, secrets, local data, generated code and tests', () => {
    for (const file of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'prisma.config.ts',
      'prisma/schema.prisma',
      'prisma/migrations/20261125220100_dashboard_views/migration.sql',
      'scripts/prisma-generate.mjs',
      'src/cli/bin.mjs',
      'src/cli/main.ts',
      'jobs/worker.ts',
      'deploy/postgres/create-dashboards-login.mjs',
    ]) {
      assert.equal(dockerContextIncludes(dockerignore, file), true, `${file} is in the context`);
    }
    for (const file of [
      'node_modules/pg/package.json',
      '.env',
      '.data/sessions/main.session',
      '.data/postgres/PG_VERSION',
      '.git/HEAD',
      'src/generated/prisma/client.ts',
      'test/helpers/database.ts',
      'packages/telegram-test-server/src/server.ts',
      'packages/telegram-test-server/package.json',
      'src/config/options.test.ts',
      'bench/run.ts',
      'docker-compose.yml',
      'deploy/.env.example',
      'scripts/run-tests.mjs',
    ]) {
      assert.equal(dockerContextIncludes(dockerignore, file), false, `${file} is not in the context`);
    }
  });

  it('carries every module the program imports: relative ones in the context, packages as production dependencies', () => {
    const pkg = JSON.parse(readProjectFile('package.json')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const builtins = new Set(builtinModules);
    const problems: string[] = [];
    const walk = (folder: string): string[] =>
      existsSync(path.join(PROJECT_ROOT, folder))
        ? readdirSync(path.join(PROJECT_ROOT, folder), { withFileTypes: true }).flatMap((entry) =>
            entry.isDirectory()
              ? walk(`${folder}/${entry.name}`)
              : /\.(ts|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.test.ts')
                ? [`${folder}/${entry.name}`]
                : [],
          )
        : [];
    const files = [...walk('src'), ...walk('jobs'), 'deploy/postgres/create-dashboards-login.mjs'].filter(
      (file) => !file.startsWith('src/generated/'),
    );
    assert.ok(files.length > 50, `${files.length} program files`);
    for (const file of files) {
      const text = readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
      const specifiers = [
        ...[...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'";]*?\bfrom\s+['"]([^'"]+)['"]/gm)].map(
          (match) => match[1]!,
        ),
        ...[...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((match) => match[1]!),
        ...[...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((match) => match[1]!),
      ];
      for (const specifier of specifiers) {
        if (specifier.startsWith('.')) {
          const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
          if (!target.startsWith('src/generated/') && !dockerContextIncludes(dockerignore, target))
            problems.push(`${file} imports ${specifier}, which is not in the image`);
        } else if (!specifier.startsWith('node:') && !builtins.has(specifier)) {
          const name = specifier.startsWith('@')
            ? specifier.split('/').slice(0, 2).join('/')
            : specifier.split('/')[0]!;
          if (!Object.hasOwn(pkg.dependencies, name))
            problems.push(`${file} imports ${name}, which is not a production dependency`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });
});
