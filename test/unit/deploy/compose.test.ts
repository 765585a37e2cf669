/**
 * docker-compose.yml: db (healthy over TCP) → one-shot migrate → worker, plus the `dashboards` profile
 * (a one-shot that creates Grafana's read-only login, and Grafana). Checks services, dependencies and
 * their conditions, commands, health checks, init, the stop grace period against SHUTDOWN_GRACE_MS,
 * volumes, and that every environment variable is one the receiving program knows and documents.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { loadConfig, loadDatabaseConfig } from '../../../src/config/index.ts';
import { OPTION_NAMES, OPTIONS, type OptionName } from '../../../src/config/options.ts';
import { SECRET_FILE_SUFFIX, SECRET_FILE_VARIABLES } from '../../../src/config/secret-files.ts';
import {
  composeDurationMs,
  dockerStages,
  envPairs,
  parseDockerfile,
  composeVariables,
  DATASOURCE_FILE,
  dockerContextIncludes,
  interpolate,
  interpolatedVariables,
  PROJECT_ROOT,
  readCompose,
  readProjectFile,
  serviceEnvironment,
  volumeMounts,
  type ComposeService,
} from './deploy-files.ts';

const compose = readCompose();
const service = (name: string): ComposeService => {
  const found = compose.services[name];
  assert.ok(found, `service ${name}`);
  return found;
};
const APP_SERVICES = ['db-roles', 'migrate', 'worker', 'dashboards-user'];
/** Variables documented in deploy/.env.example, with their example values. */
const envExample = new Map(
  readProjectFile('deploy/.env.example')
    .split('\n')
    .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
);
/** What `docker compose config` would see with a filled-in .env: every required variable set. */
const filledEnv: Record<string, string> = {
  ...Object.fromEntries(envExample),
  POSTGRES_PASSWORD: 'pw0123456789',
  DB_OWNER_PASSWORD: 'opw0123456789',
  DB_WORKER_PASSWORD: 'wpw0123456789',
  TELEGRAM_API_ID: '1234567',
  TELEGRAM_API_HASH: '0123456789abcdef0123456789abcdef',
  GRAFANA_DB_PASSWORD: 'gpw0123456789',
};
const resolvedEnv = (name: string) =>
  new Map([...serviceEnvironment(service(name))].map(([key, value]) => [key, interpolate(value, filledEnv)]));

describe('docker-compose.yml', () => {
  it('has db, db-roles, migrate and worker by default, and dashboards-user and grafana in the dashboards profile', () => {
    assert.deepEqual(Object.keys(compose.services).sort(), [
      'dashboards-user',
      'db',
      'db-roles',
      'grafana',
      'migrate',
      'worker',
    ]);
    for (const name of ['db', 'db-roles', 'migrate', 'worker'])
      assert.equal(service(name).profiles, undefined, `${name} always runs`);
    for (const name of ['dashboards-user', 'grafana']) assert.deepEqual(service(name).profiles, ['dashboards'], name);
  });

  it('runs PostgreSQL 15 with a TCP pg_isready health check and a named volume', () => {
    const db = service('db');
    assert.match(db.image ?? '', /^postgres:15\.\d+-bookworm$/, 'pinned to a minor release and a Debian release');
    const test = db.healthcheck?.test;
    assert.ok(Array.isArray(test), 'exec-form health check');
    assert.equal(test[0], 'CMD');
    assert.equal(test[1], 'pg_isready');
    assert.equal(test[test.indexOf('-h') + 1], '127.0.0.1', 'checked over TCP, not the init-time Unix socket');
    assert.equal(interpolate(String(test[test.indexOf('-U') + 1]), filledEnv), 'tg_sync');
    assert.equal(interpolate(String(test[test.indexOf('-d') + 1]), filledEnv), 'tg_sync');
    const data = volumeMounts(db).find((mount) => mount.target === '/var/lib/postgresql/data');
    assert.ok(data, 'data directory mounted');
    assert.ok(Object.hasOwn(compose.volumes ?? {}, data.source), `${data.source} is a named volume`);
    assert.deepEqual([...serviceEnvironment(db).keys()].sort(), ['POSTGRES_DB', 'POSTGRES_PASSWORD', 'POSTGRES_USER']);
    assert.throws(
      () => interpolate(serviceEnvironment(db).get('POSTGRES_PASSWORD')!, { ...filledEnv, POSTGRES_PASSWORD: '' }),
      /POSTGRES_PASSWORD/,
    );
  });

  it('creates the roles once as the superuser, then migrates once as the owner', () => {
    const roles = service('db-roles');
    assert.deepEqual(roles.command, ['node', 'deploy/postgres/create-roles.mjs']);
    assert.deepEqual(roles.depends_on, { db: { condition: 'service_healthy' } });
    assert.equal(roles.restart, 'no', 'a one-shot service is not restarted');
    assert.equal(
      new URL(resolvedEnv('db-roles').get('DATABASE_URL')!).username,
      'tg_sync',
      'the image superuser creates the roles',
    );
    const script = readProjectFile('deploy/postgres/create-roles.mjs');
    const scriptReads = new Set([...script.matchAll(/process\.env\.([A-Z_][A-Z0-9_]*)/g)].map((match) => match[1]!));
    assert.deepEqual([...serviceEnvironment(roles).keys()].sort(), [...scriptReads].sort());
    const migrate = service('migrate');
    assert.deepEqual(migrate.command, ['node', 'src/cli/bin.mjs', 'db', 'migrate']);
    assert.deepEqual(migrate.depends_on, {
      db: { condition: 'service_healthy' },
      'db-roles': { condition: 'service_completed_successfully' },
    });
    assert.equal(migrate.restart, 'no', 'a one-shot service is not restarted');
    const owner = new URL(resolvedEnv('migrate').get('DATABASE_URL')!);
    assert.deepEqual(
      [owner.username, owner.password],
      [resolvedEnv('db-roles').get('DB_OWNER_USER'), filledEnv.DB_OWNER_PASSWORD],
      'the owner migrates',
    );
    for (const name of ['DB_OWNER_PASSWORD', 'DB_WORKER_PASSWORD'])
      assert.throws(() => resolvedEnvWithout('db-roles', name), new RegExp(name));
  });

  it('runs the worker as the worker login, never as the superuser or the owner', () => {
    const url = new URL(resolvedEnv('worker').get('DATABASE_URL')!);
    assert.deepEqual(
      [url.username, url.password],
      [resolvedEnv('db-roles').get('DB_WORKER_USER'), filledEnv.DB_WORKER_PASSWORD],
    );
    assert.notEqual(url.username, new URL(resolvedEnv('migrate').get('DATABASE_URL')!).username);
    assert.notEqual(url.username, resolvedEnv('db').get('POSTGRES_USER'));
    assert.throws(() => resolvedEnvWithout('worker', 'DB_WORKER_PASSWORD'), /DB_WORKER_PASSWORD/);
  });

  it('starts the worker after a healthy database and a successful migration', () => {
    const worker = service('worker');
    assert.deepEqual(worker.command, ['node', 'src/cli/bin.mjs', 'start']);
    assert.deepEqual(worker.depends_on, {
      db: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
    });
    assert.equal(worker.init, true);
    assert.equal(worker.restart, 'unless-stopped');
    assert.equal(worker.image, service('migrate').image, 'worker and migrate run the same image');
    assert.deepEqual(worker.build, service('migrate').build);
    assert.equal(worker.build, '.', 'built from this repository');
  });

  it('checks the worker with /readyz (the database answers) on HTTP_PORT, using node, without Compose interpolation', () => {
    const test = service('worker').healthcheck?.test;
    assert.ok(Array.isArray(test), 'exec-form health check');
    assert.deepEqual(test.slice(0, 3), ['CMD', 'node', '-e']);
    assert.match(
      String(test[3]),
      /fetch\('http:\/\/127\.0\.0\.1:' \+ \(process\.env\.HTTP_PORT \|\| 9464\) \+ '\/readyz'/,
    );
    assert.doesNotMatch(String(test[3]), /\$/, 'a `$` would be interpolated by Compose');
    // test/integration/deploy/image-contract.test.ts runs this command against a real worker.
  });

  it('refuses to start Grafana with an empty admin password, only when the dashboards profile runs', async () => {
    const grafana = service('grafana');
    assert.equal(
      serviceEnvironment(grafana).get('GF_SECURITY_ADMIN_PASSWORD'),
      '${GRAFANA_ADMIN_PASSWORD:-}',
      'no `:?`: Compose would check it for a plain `up` too',
    );
    const entrypoint = grafana.entrypoint as string[];
    assert.deepEqual(entrypoint.slice(0, 2), ['/bin/sh', '-c']);
    const script = interpolate(entrypoint[2]!, filledEnv);
    assert.match(script, /exec \/run\.sh "\$@"$/, "then the image's own entrypoint, with the arguments");
    const run = (password: string) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = execFile(
          '/bin/sh',
          ['-c', script.replace('/run.sh', 'true'), 'grafana'],
          { env: { PATH: process.env.PATH, GF_SECURITY_ADMIN_PASSWORD: password } },
          (error, _stdout, stderr) => resolve({ code: error === null ? 0 : (child.exitCode ?? 1), stderr }),
        );
      });
    const empty = await run('');
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /GRAFANA_ADMIN_PASSWORD is empty; set it in \.env/);
    assert.deepEqual(await run('apw0123456789'), { code: 0, stderr: '' });
  });

  it('gives the worker longer to stop than SHUTDOWN_GRACE_MS (with the default and with the documented value)', () => {
    const worker = service('worker');
    const stopMs = composeDurationMs(worker.stop_grace_period ?? '10s');
    const raw = serviceEnvironment(worker).get('SHUTDOWN_GRACE_MS');
    assert.ok(raw !== undefined, 'the worker sets SHUTDOWN_GRACE_MS, so the grace period is known');
    for (const env of [{}, filledEnv]) {
      const graceMs = Number(interpolate(raw, env) || OPTIONS.SHUTDOWN_GRACE_MS.default);
      assert.ok(Number.isInteger(graceMs), `SHUTDOWN_GRACE_MS = ${graceMs}`);
      // Room after the grace period to close the database and Telegram connections and exit.
      assert.ok(stopMs >= graceMs + 5_000, `stop_grace_period ${stopMs} ms vs SHUTDOWN_GRACE_MS ${graceMs} ms`);
    }
  });

  it('keeps the sessions on a named volume at TELEGRAM_SESSION_DIR and publishes metrics on localhost only', () => {
    const worker = service('worker');
    const dir = resolvedEnv('worker').get('TELEGRAM_SESSION_DIR');
    assert.ok(dir?.startsWith('/'), `absolute TELEGRAM_SESSION_DIR: ${dir}`);
    const mount = volumeMounts(worker).find((entry) => entry.target === dir);
    assert.ok(mount, 'sessions volume mounted at TELEGRAM_SESSION_DIR');
    assert.ok(Object.hasOwn(compose.volumes ?? {}, mount.source), `${mount.source} is a named volume`);
    assert.equal(mount.readOnly, false);
    assert.match(
      readProjectFile('Dockerfile'),
      new RegExp(`chown -R node:node ${path.posix.dirname(dir!)}`),
      'the image gives the directory to the non-root user',
    );
    assert.equal(resolvedEnv('worker').get('HTTP_PORT'), '9464', 'the port the image HEALTHCHECK probes');
    for (const port of worker.ports ?? [])
      assert.match(interpolate(String(port), filledEnv), /^127\.0\.0\.1:\d+:9464$/);
    for (const mount of volumeMounts(worker).filter((entry) => entry.source.startsWith('.')))
      assert.equal(mount.readOnly, true, `${mount.source} is read-only`);
  });

  it('points every application service at the db service in production mode', () => {
    for (const name of APP_SERVICES) {
      const url = new URL(resolvedEnv(name).get('DATABASE_URL') ?? '');
      assert.equal(url.hostname, 'db', name);
      assert.ok(
        [filledEnv.POSTGRES_PASSWORD, filledEnv.DB_OWNER_PASSWORD, filledEnv.DB_WORKER_PASSWORD].includes(
          decodeURIComponent(url.password),
        ),
        name,
      );
      assert.equal(url.pathname, '/tg_sync');
      assert.ok(!resolvedEnv(name).has('NODE_ENV'), `${name} keeps the image's NODE_ENV=production`);
      assert.deepEqual(service(name).depends_on && Object.keys(service(name).depends_on!).includes('db'), true);
    }
  });

  it('sets only environment variables the receiving program knows', () => {
    const known = new Set<string>(OPTION_NAMES);
    for (const name of ['migrate', 'worker']) {
      for (const variable of serviceEnvironment(service(name)).keys()) {
        if (SECRET_FILE_VARIABLES.has(variable)) continue;
        assert.ok(known.has(variable), `${name}: ${variable} is not an option of src/config/options.ts`);
        const spec = OPTIONS[variable as OptionName];
        assert.equal(spec.testingOnly, false, `${name}: ${variable} is refused in production`);
        assert.doesNotMatch(variable, /^EMBEDDED_PG_/, `${name}: the embedded PostgreSQL is refused in production`);
      }
    }
    // The PostgreSQL image's documented variables.
    for (const variable of serviceEnvironment(service('db')).keys())
      assert.ok(['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB'].includes(variable), variable);
    // The login script reads exactly what it is given.
    const script = readProjectFile('deploy/postgres/create-dashboards-login.mjs');
    const scriptReads = new Set([...script.matchAll(/process\.env\.([A-Z_][A-Z0-9_]*)/g)].map((match) => match[1]!));
    assert.deepEqual([...serviceEnvironment(service('dashboards-user')).keys()].sort(), [...scriptReads].sort());
    // Grafana: GF_* settings, plus exactly the variables its provisioning files interpolate.
    const provisioning = new Set(interpolatedVariables(readProjectFile(DATASOURCE_FILE)));
    const grafanaEnv = [...serviceEnvironment(service('grafana')).keys()];
    for (const variable of grafanaEnv)
      assert.ok(/^GF_[A-Z0-9_]+$/.test(variable) || provisioning.has(variable), `grafana: ${variable}`);
    for (const variable of provisioning)
      assert.ok(grafanaEnv.includes(variable), `grafana provides ${variable} to its provisioning`);
  });

  it('forwards every production option to the worker', () => {
    const given = new Set(serviceEnvironment(service('worker')).keys());
    const forwarded = OPTION_NAMES.filter(
      (name) =>
        !OPTIONS[name].testingOnly &&
        !name.startsWith('EMBEDDED_PG_') &&
        name !== 'NODE_ENV' &&
        name !== 'TG_SYNC_CONFIG_FILE',
    );
    assert.deepEqual(
      forwarded.filter((name) => !given.has(name)),
      [],
      'options the worker cannot be given through .env',
    );
  });

  it('documents every variable it interpolates in deploy/.env.example, and uses every documented one', () => {
    const used = composeVariables();
    assert.ok(used.has('POSTGRES_PASSWORD') && used.has('TELEGRAM_API_ID'));
    assert.deepEqual([...used].filter((name) => !envExample.has(name)).sort(), [], 'undocumented variables');
    assert.deepEqual(
      [...envExample.keys()].filter((name) => !used.has(name)).sort(),
      [],
      'documented but unused variables',
    );
    // The example holds no secret values.
    for (const name of [
      'POSTGRES_PASSWORD',
      'DB_OWNER_PASSWORD',
      'DB_WORKER_PASSWORD',
      'TELEGRAM_API_HASH',
      'TELEGRAM_SESSION_ENCRYPTION_KEY',
      'GRAFANA_DB_PASSWORD',
      'GRAFANA_ADMIN_PASSWORD',
    ])
      assert.equal(envExample.get(name), '', name);
    // Without the required secrets `docker compose` refuses to start rather than run with empty ones.
    for (const name of ['DB_WORKER_PASSWORD', 'TELEGRAM_API_ID']) {
      assert.throws(() => resolvedEnvWithout('worker', name), new RegExp(name));
    }
    for (const name of [
      'TELEGRAM_API_HASH_FILE',
      'TELEGRAM_SESSION_ENCRYPTION_KEY_FILE',
      'TELEGRAM_SESSION_PREVIOUS_KEYS_FILE',
    ])
      assert.equal(envExample.get(name), '', name);
  });

  it('creates the Grafana login with the image after migrating, and starts Grafana (pinned) after it', () => {
    const user = service('dashboards-user');
    assert.equal(user.image, service('worker').image);
    assert.deepEqual(user.command, ['node', 'deploy/postgres/create-dashboards-login.mjs']);
    assert.ok(existsSync(path.join(PROJECT_ROOT, 'deploy/postgres/create-dashboards-login.mjs')));
    assert.ok(
      dockerContextIncludes(readProjectFile('.dockerignore'), 'deploy/postgres/create-dashboards-login.mjs'),
      'the script is in the image',
    );
    assert.deepEqual(user.depends_on, {
      db: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
    });
    const grafana = service('grafana');
    assert.match(grafana.image ?? '', /^grafana\/grafana(-oss)?:\d+\.\d+\.\d+$/, 'a pinned Grafana version');
    assert.deepEqual(grafana.depends_on, {
      db: { condition: 'service_healthy' },
      'dashboards-user': { condition: 'service_completed_successfully' },
    });
    const mounts = volumeMounts(grafana);
    const provisioning = mounts.find((mount) => mount.target === '/etc/grafana/provisioning');
    assert.ok(
      provisioning?.readOnly && existsSync(path.join(PROJECT_ROOT, provisioning.source)),
      'provisioning mounted read-only',
    );
    const dashboards = mounts.find((mount) => mount.source === './deploy/grafana/dashboards');
    assert.ok(dashboards?.readOnly, 'dashboards mounted read-only');
    const provider = parseYaml(readProjectFile('deploy/grafana/provisioning/dashboards/tg-dialog-sync.yaml')) as {
      providers: Array<{ options: { path: string } }>;
    };
    assert.equal(
      provider.providers[0]?.options.path,
      dashboards.target,
      'the dashboard provider reads the mounted folder',
    );
    const data = mounts.find((mount) => mount.target === '/var/lib/grafana');
    assert.ok(data && Object.hasOwn(compose.volumes ?? {}, data.source), 'Grafana state on a named volume');
    assert.equal(resolvedEnv('grafana').get('GRAFANA_DB_USER'), resolvedEnv('dashboards-user').get('GRAFANA_DB_USER'));
    assert.equal(
      resolvedEnv('grafana').get('GRAFANA_DB_PASSWORD'),
      resolvedEnv('dashboards-user').get('GRAFANA_DB_PASSWORD'),
    );
    assert.equal(resolvedEnv('grafana').get('POSTGRES_DB'), resolvedEnv('db').get('POSTGRES_DB'));
  });
});

describe('docker-compose.yml with the image', () => {
  /** The ENV of the image's final stage: the container's environment under Compose's. */
  const imageEnv = Object.fromEntries(
    dockerStages(parseDockerfile(readProjectFile('Dockerfile')))
      .at(-1)!
      .instructions.filter((instruction) => instruction.keyword === 'ENV')
      .flatMap((instruction) => [...envPairs(instruction.args)]),
  );
  const containerEnv = (name: string) => ({ ...imageEnv, ...Object.fromEntries(resolvedEnv(name)) });

  it('gives the worker a valid production configuration: the db service, the sessions volume, the health port', () => {
    const config = loadConfig({ env: containerEnv('worker'), cwd: '/app' });
    assert.equal(config.production, true);
    assert.equal(config.database.kind, 'external');
    assert.equal(config.database.kind === 'external' && new URL(config.database.url).host, 'db:5432');
    assert.equal(config.telegram.sessionDir, '/var/lib/tg-dialog-sync/sessions');
    assert.deepEqual(
      volumeMounts(service('worker')).filter((mount) => mount.target === config.telegram.sessionDir).length,
      1,
    );
    assert.deepEqual(config.worker.http, { host: '0.0.0.0', port: 9464 });
    assert.ok(composeDurationMs(service('worker').stop_grace_period!) > config.worker.shutdownGraceMs);
    assert.equal(config.telegram.testDc, undefined);
    assert.deepEqual(config.warnings, []);
    // A setting from .env reaches the program: the documented way to change an option works.
    const custom = loadConfig({
      env: {
        ...imageEnv,
        ...Object.fromEntries(
          [...serviceEnvironment(service('worker'))].map(([key, value]) => [
            key,
            interpolate(value, { ...filledEnv, SYNC_CRON: '0 * * * *', SHUTDOWN_GRACE_MS: '15000' }),
          ]),
        ),
      },
      cwd: '/app',
    });
    assert.deepEqual([custom.sync.cron, custom.worker.shutdownGraceMs], ['0 * * * *', 15_000]);
  });

  it('refuses to start the worker without TELEGRAM_API_HASH or its file, and reads it from a Docker secret', () => {
    // Not `:?` in Compose (the value may come from a file), so the worker's configuration refuses it.
    const withoutHash = { ...containerEnv('worker'), TELEGRAM_API_HASH: '' };
    assert.throws(() => loadConfig({ env: withoutHash, cwd: '/app' }), /TELEGRAM_API_HASH: is required/);
    const secret = '/run/secrets/telegram_api_hash';
    const fromFile = loadConfig({
      env: { ...withoutHash, [`TELEGRAM_API_HASH${SECRET_FILE_SUFFIX}`]: secret },
      cwd: '/app',
      readFile: (file) => {
        assert.equal(file, secret);
        return `${filledEnv.TELEGRAM_API_HASH}\n`;
      },
    });
    assert.equal(fromFile.telegram.apiHash, filledEnv.TELEGRAM_API_HASH);
    assert.deepEqual(fromFile.warnings, []);
    // Every secret option the worker gets from .env can be given as a file instead, except
    // DATABASE_URL, which Compose builds from DB_WORKER_PASSWORD.
    const given = new Set(serviceEnvironment(service('worker')).keys());
    for (const variable of SECRET_FILE_VARIABLES) {
      if (variable !== `DATABASE_URL${SECRET_FILE_SUFFIX}`) assert.ok(given.has(variable), `worker: ${variable}`);
    }
  });

  it('gives migrate, db-roles and dashboards-user the same database in production mode', () => {
    const config = loadDatabaseConfig({ env: containerEnv('migrate'), cwd: '/app' });
    assert.equal(config.production, true);
    assert.equal(
      config.database.kind === 'external' && config.database.url,
      resolvedEnv('migrate').get('DATABASE_URL'),
    );
    const database = (name: string) => {
      const url = new URL(resolvedEnv(name).get('DATABASE_URL')!);
      return `${url.host}${url.pathname}`;
    };
    for (const name of ['db-roles', 'dashboards-user', 'worker'])
      assert.equal(database(name), database('migrate'), name);
    // Creating Grafana's login needs CREATEROLE, which only the superuser has.
    assert.equal(resolvedEnv('dashboards-user').get('DATABASE_URL'), resolvedEnv('db-roles').get('DATABASE_URL'));
  });
});

function resolvedEnvWithout(name: string, variable: string): Map<string, string> {
  const env = { ...filledEnv };
  delete env[variable];
  return new Map(
    [...serviceEnvironment(compose.services[name]!)].map(([key, value]) => [key, interpolate(value, env)]),
  );
}
