/**
 * The Grafana provisioning (PostgreSQL data source, dashboard provider) and the dashboard JSON:
 * valid files, one data source uid used by every panel and query, and panel SQL that reads only the
 * dashboard_* views (never a table) with only the macros the integration test can expand. Also the
 * readers the deploy tests rely on, checked on inputs where they must fail.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import {
  composeDurationMs,
  dashboardQueries,
  DASHBOARD_PROVIDER_FILE,
  DATASOURCE_FILE,
  dockerContextIncludes,
  envPairs,
  expandGrafanaMacros,
  interpolate,
  migrationRelations,
  parseDockerfile,
  readDashboard,
  readmeExampleQueries,
  readProjectFile,
  referencedRelations,
  sqlPanels,
  SUPPORTED_MACROS,
} from './deploy-files.ts';
import { SyncMetrics } from '../../../src/observability/metrics.ts';
import { QueueMetrics } from '../../../src/observability/queue-metrics.ts';

interface Datasource {
  name: string;
  uid: string;
  type: string;
  url: string;
  user: string;
  jsonData: { database?: string; sslmode?: string };
  secureJsonData: { password?: string };
  editable?: boolean;
}

const datasources = (parseYaml(readProjectFile(DATASOURCE_FILE)) as { apiVersion: number; datasources: Datasource[] })
  .datasources;
const dashboard = readDashboard();
const { views, tables } = migrationRelations();

describe('Grafana provisioning', () => {
  it('provisions one PostgreSQL data source that logs in as the read-only dashboards user', () => {
    assert.equal(datasources.length, 1);
    const source = datasources[0]!;
    assert.equal(source.type, 'grafana-postgresql-datasource');
    assert.match(source.uid, /^[a-z0-9-]{1,40}$/);
    assert.equal(source.url, 'db:5432');
    assert.equal(source.user, '${GRAFANA_DB_USER}');
    assert.equal(source.jsonData.database, '${POSTGRES_DB}');
    assert.equal(
      source.secureJsonData.password,
      '${GRAFANA_DB_PASSWORD}',
      'the password is in secureJsonData, from the environment',
    );
    assert.equal(source.editable, false);
  });

  it('provisions the dashboards folder from files', () => {
    const provider = (
      parseYaml(readProjectFile(DASHBOARD_PROVIDER_FILE)) as {
        apiVersion: number;
        providers: Array<{ type: string; options: { path: string }; allowUiUpdates?: boolean }>;
      }
    ).providers;
    assert.equal(provider.length, 1);
    assert.equal(provider[0]!.type, 'file');
    assert.equal(provider[0]!.allowUiUpdates, false);
  });
});

describe('the dashboard JSON', () => {
  it('is a dashboard with unique panel ids inside the 24-column grid', () => {
    assert.equal(dashboard.uid, 'tg-dialog-sync');
    assert.ok(dashboard.panels.length >= 7, `${dashboard.panels.length} panels`);
    assert.equal(new Set(dashboard.panels.map((panel) => panel.id)).size, dashboard.panels.length);
    for (const panel of dashboard.panels)
      assert.ok(panel.gridPos.x >= 0 && panel.gridPos.x + panel.gridPos.w <= 24, panel.title);
  });

  it('uses the provisioned data source uid in every SQL panel and every query', () => {
    const uid = datasources[0]!.uid;
    assert.ok(sqlPanels(dashboard).length >= 9);
    for (const panel of sqlPanels(dashboard)) {
      assert.deepEqual(panel.datasource, { type: datasources[0]!.type, uid }, panel.title);
      assert.ok((panel.targets ?? []).length > 0, `${panel.title} has a query`);
      for (const target of panel.targets ?? []) {
        assert.deepEqual(target.datasource, { type: datasources[0]!.type, uid }, `${panel.title} ${target.refId}`);
        assert.equal(target.rawQuery, true);
        assert.ok(
          target.format === 'table' || target.format === 'time_series',
          `${panel.title}: format ${target.format}`,
        );
      }
    }
  });

  it('reads only dashboard_* views in every query, never a table', () => {
    assert.ok(views.size >= 8 && tables.has('dialogs'), 'the migrations were read');
    const used = new Set<string>();
    for (const { panel, sql } of dashboardQueries(dashboard)) {
      const relations = referencedRelations(sql);
      assert.ok(relations.length > 0, `${panel}: reads something`);
      for (const relation of relations) {
        assert.ok(relation.startsWith('dashboard_') && views.has(relation), `${panel}: reads ${relation}`);
        used.add(relation);
      }
      // Schema-qualified names and quoted table names are relations too.
      for (const table of tables)
        assert.doesNotMatch(sql, new RegExp(`(\\.|")${table}\\b`, 'i'), `${panel}: names the table ${table}`);
      for (const macro of sql.matchAll(/\$\{[^}]+\}|\$\w+/g))
        assert.ok((SUPPORTED_MACROS as readonly string[]).includes(macro[0]), `${panel}: ${macro[0]}`);
    }
    for (const variable of dashboard.templating?.list ?? []) {
      if (variable.type !== 'query') continue;
      for (const relation of referencedRelations(variable.query ?? ''))
        assert.ok(
          relation.startsWith('dashboard_') && views.has(relation),
          `variable ${variable.name}: reads ${relation}`,
        );
    }
    // Unread per account, busiest chats, peers in backoff, runs and flood waits, errors by code, history, accounts, the queue.
    assert.deepEqual([...used].sort(), [
      'dashboard_account_queue',
      'dashboard_accounts',
      'dashboard_dialog_history',
      'dashboard_dialogs',
      'dashboard_peer_errors',
      'dashboard_peers',
      'dashboard_sync_runs',
    ]);
  });

  it('has time-series queries that return a time column, filtered by the dashboard time range', () => {
    for (const { panel, format, sql } of dashboardQueries(dashboard)) {
      if (format !== 'time_series') continue;
      assert.match(sql, /\$__timeFilter\(/, `${panel}: honours the time range`);
      assert.match(sql, /\$__timeGroupAlias\(|AS "time"/, `${panel}: returns time`);
      assert.match(sql, /AS metric\b/, `${panel}: names its series`);
    }
  });
});

describe('the dashboard variables and Prometheus panels', () => {
  const variables = new Map((dashboard.templating?.list ?? []).map((variable) => [variable.name, variable]));

  it('has an $account variable (several or all) from dashboard_accounts, and every SQL panel filters by it', () => {
    const account = variables.get('account');
    assert.ok(account, 'an account variable');
    assert.equal(account.type, 'query');
    assert.deepEqual(account.datasource, { type: datasources[0]!.type, uid: datasources[0]!.uid });
    assert.match(account.query ?? '', /^SELECT account_label FROM dashboard_accounts\b/);
    assert.equal(account.multi, true);
    assert.equal(account.includeAll, true);
    for (const { panel, sql } of dashboardQueries(dashboard)) {
      // Every SELECT of the panel (subqueries too) keeps to the chosen accounts.
      const selects = sql.match(/\bFROM dashboard_\w+/g)!.length;
      assert.equal(
        sql.match(/account_label IN \(\$\{account:sqlstring\}\)/g)?.length,
        selects,
        `${panel}: filtered by $account`,
      );
    }
  });

  it('has Prometheus panels beside the SQL ones, through a data source variable, naming only metrics the worker serves', async () => {
    const prometheus = variables.get('prometheus');
    assert.ok(prometheus, 'a data source variable: the Compose stack has no Prometheus to provision');
    assert.deepEqual([prometheus.type, prometheus.query], ['datasource', 'prometheus']);
    const metrics = new SyncMetrics({ version: '0.0.0-test', node: process.version });
    new QueueMetrics(metrics.registry);
    const exported = new Set((await metrics.registry.getMetricsAsJSON()).map((metric) => metric.name));
    const panels = dashboard.panels.filter((panel) => panel.datasource?.type === 'prometheus');
    assert.ok(panels.length >= 1, 'a Prometheus panel');
    for (const panel of panels) {
      assert.deepEqual(panel.datasource, { type: 'prometheus', uid: '${prometheus}' }, panel.title);
      for (const target of panel.targets ?? []) {
        assert.deepEqual(target.datasource, panel.datasource, `${panel.title} ${target.refId}`);
        const names = target.expr?.match(/\btgsync_\w+/g) ?? [];
        assert.ok(names.length > 0, `${panel.title} ${target.refId}: queries the worker's metrics`);
        for (const name of names) assert.ok(exported.has(name), `${panel.title}: ${name} is exported`);
        if (/\{account=/.test(target.expr ?? ''))
          assert.match(
            target.expr!,
            /account=~"\$\{account:regex\}"/,
            `${panel.title}: the account variable as a regex`,
          );
      }
    }
    assert.equal(
      dashboard.panels.length,
      sqlPanels(dashboard).length + panels.length,
      'every panel is SQL or Prometheus',
    );
  });
});

describe('the deploy file readers', () => {
  it('find tables and functions that a view-only query must not use', () => {
    assert.deepEqual(referencedRelations('SELECT * FROM dialogs d JOIN "accounts" a ON true'), ['dialogs', 'accounts']);
    assert.deepEqual(referencedRelations('SELECT extract(epoch from started_at) FROM dashboard_sync_runs'), [
      'started_at',
      'dashboard_sync_runs',
    ]);
    assert.deepEqual(referencedRelations('SELECT x FROM (SELECT 1) s JOIN public.dialogs ON true'), ['public.dialogs']);
  });

  it('expand the supported Grafana macros as Grafana does and refuse any other', () => {
    const context = {
      from: new Date('2026-01-01T00:00:00.000Z'),
      to: new Date('2026-01-02T00:00:00.000Z'),
      intervalSeconds: 300,
    };
    assert.equal(
      expandGrafanaMacros(
        'SELECT $__timeGroupAlias(started_at, $__interval), 1 FROM v WHERE $__timeFilter(started_at)',
        context,
      ),
      `SELECT floor(extract(epoch from started_at)/300)*300 AS "time", 1 FROM v WHERE started_at BETWEEN '2026-01-01T00:00:00.000Z' AND '2026-01-02T00:00:00.000Z'`,
    );
    assert.throws(() => expandGrafanaMacros('SELECT 1 FROM v WHERE $__unixEpochFilter(t)', context), /unsupported/);
    assert.throws(() => expandGrafanaMacros('SELECT 1 FROM v WHERE account_label = $account', context), /unsupported/);
    assert.throws(
      () => expandGrafanaMacros('SELECT 1 FROM v WHERE account_label IN (${account:sqlstring})', context),
      /unsupported/,
      'no accounts given',
    );
    assert.equal(
      expandGrafanaMacros('SELECT 1 FROM v WHERE account_label IN (${account:sqlstring})', {
        ...context,
        accounts: ['alpha', "o'brien"],
      }),
      "SELECT 1 FROM v WHERE account_label IN ('alpha','o''brien')",
    );
    assert.throws(
      () => expandGrafanaMacros('SELECT 1 FROM v WHERE account_label = $account', { ...context, accounts: ['alpha'] }),
      /unsupported/,
    );
  });

  it('interpolate like Compose', () => {
    assert.equal(interpolate('a${X:-d}b', {}), 'adb');
    assert.equal(interpolate('a${X:-d}b', { X: '' }), 'adb');
    assert.equal(interpolate('a${X-d}b', { X: '' }), 'ab');
    assert.equal(interpolate('$${X}', { X: 'v' }), '${X}');
    assert.throws(() => interpolate('${X:?need X}', { X: '' }), /need X/);
    assert.equal(composeDurationMs('1m30s'), 90_000);
    assert.throws(() => composeDurationMs('30'), /duration/);
  });

  it('read .dockerignore with the last matching rule winning', () => {
    const ignore = '*\n!src/\nsrc/generated/\n**/*.test.ts\n';
    assert.equal(dockerContextIncludes(ignore, 'src/a.ts'), true);
    assert.equal(dockerContextIncludes(ignore, 'src/generated/x.ts'), false);
    assert.equal(dockerContextIncludes(ignore, 'src/a.test.ts'), false);
    assert.equal(dockerContextIncludes(ignore, 'test/a.ts'), false);
    assert.equal(dockerContextIncludes('', 'anything'), true);
  });

  it('parse Dockerfile continuations, comments and ENV pairs', () => {
    const parsed = parseDockerfile(
      'FROM a AS b\n# c\nRUN x \\\n # inner comment\n && y\nENV A=1 \\\n    B="two words"\n',
    );
    assert.deepEqual(
      parsed.map((instruction) => [instruction.keyword, instruction.args]),
      [
        ['FROM', 'a AS b'],
        ['RUN', 'x && y'],
        ['ENV', 'A=1 B="two words"'],
      ],
    );
    assert.deepEqual(
      [...envPairs('A=1 B="two words"')],
      [
        ['A', '1'],
        ['B', 'two words'],
      ],
    );
    assert.throws(() => envPairs('A 1'), /KEY=value/);
    assert.throws(() => parseDockerfile('FROM a\nRUN x \\'), /continuation/);
  });

  it('split README example queries by their -- titles', () => {
    const readme =
      '### Example queries\n\n```sql\n-- One\nSELECT 1;\n\n-- Two\nSELECT 2\nFROM x;\n```\n\n## Next\n```sql\nSELECT 3;\n```\n';
    assert.deepEqual(readmeExampleQueries(readme), [
      { title: 'One', sql: 'SELECT 1' },
      { title: 'Two', sql: 'SELECT 2\nFROM x' },
    ]);
    assert.throws(() => readmeExampleQueries('### Example queries\n```sql\nSELECT 1;\n```\n'), /title/);
  });
});
