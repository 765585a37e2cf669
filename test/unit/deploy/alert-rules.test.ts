/** The example alert rules (issue 17, should-fix) parse and use only metrics the worker exports. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { SyncMetrics } from '../../../src/observability/metrics.ts';

describe('deploy/prometheus/alerts.yml', () => {
  it('names only metrics the worker serves', async () => {
    const rules = parse(readFileSync(new URL('../../../deploy/prometheus/alerts.yml', import.meta.url), 'utf8')) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    const exported = new Set(
      (await new SyncMetrics({ version: '0.0.0-test', node: process.version }).registry.getMetricsAsJSON()).map(
        (metric) => metric.name,
      ),
    );
    const alerts = rules.groups.flatMap((group) => group.rules);
    assert.ok(alerts.some((rule) => rule.alert === 'TgSyncNoRecentSuccess'));
    assert.ok(alerts.some((rule) => rule.alert === 'TgSyncPeersInBackoffGrowing'));
    for (const rule of alerts) {
      for (const name of rule.expr.match(/\btgsync_\w+/g) ?? [])
        assert.ok(exported.has(name), `${rule.alert}: ${name} is exported`);
    }
  });
});
