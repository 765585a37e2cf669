/**
 * SyncMetrics (issue 17, should-fix): runs, errors and API calls per account, every known account's
 * series present at 0 before its first run, a build-info gauge, and a run-in-progress gauge.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SyncMetrics } from '../../../src/observability/metrics.ts';
import { emptyRunCounters } from '../../../src/store/runs/run-counters.ts';

const BUILD = { version: '1.2.3', node: 'v20.20.2' };

function line(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  assert.ok(
    match,
    `${pattern} in:\n${text
      .split('\n')
      .filter(
        (entry) =>
          entry.startsWith('tgsync_') && !entry.startsWith('tgsync_process') && !entry.startsWith('tgsync_nodejs'),
      )
      .join('\n')}`,
  );
  return Number(match[1]);
}

describe('SyncMetrics', () => {
  it('counts runs, errors and API calls per account', async () => {
    const metrics = new SyncMetrics(BUILD);
    const counters = { ...emptyRunCounters(), apiCalls: 7, peersFailed: 2 };
    metrics.recordRun(
      'main',
      { status: 'failed', runId: 1n, counters, errorKind: 'network', errorText: 'x', resumeAt: null },
      3,
    );
    metrics.recordRun(
      'second',
      {
        status: 'succeeded',
        runId: 2n,
        counters: { ...emptyRunCounters(), apiCalls: 4 },
        errorKind: null,
        errorText: null,
        resumeAt: null,
      },
      1,
    );
    metrics.recordRun('second', { status: 'skipped', reason: 'busy' }, 0);
    const text = await metrics.registry.metrics();
    assert.equal(line(text, /^tgsync_runs_total\{account="main",outcome="failed"\} (\d+)$/m), 1);
    assert.equal(line(text, /^tgsync_runs_total\{account="second",outcome="succeeded"\} (\d+)$/m), 1);
    assert.equal(line(text, /^tgsync_runs_total\{account="second",outcome="skipped"\} (\d+)$/m), 1);
    assert.equal(line(text, /^tgsync_errors_total\{account="main",kind="network"\} (\d+)$/m), 1);
    assert.equal(line(text, /^tgsync_errors_total\{account="main",kind="peer"\} (\d+)$/m), 2);
    assert.equal(line(text, /^tgsync_api_calls_total\{account="main"\} (\d+)$/m), 7);
    assert.equal(line(text, /^tgsync_api_calls_total\{account="second"\} (\d+)$/m), 4);
  });

  it('creates every known account series at 0 before its first run, without resetting counts', async () => {
    const metrics = new SyncMetrics(BUILD);
    metrics.recordRun(
      'main',
      {
        status: 'succeeded',
        runId: 1n,
        counters: { ...emptyRunCounters(), apiCalls: 5 },
        errorKind: null,
        errorText: null,
        resumeAt: null,
      },
      1,
    );
    metrics.initialiseAccounts(['main', 'quiet']);
    const text = await metrics.registry.metrics();
    for (const outcome of ['succeeded', 'deferred', 'failed', 'interrupted', 'skipped']) {
      assert.equal(
        line(text, new RegExp(`^tgsync_runs_total\\{account="quiet",outcome="${outcome}"\\} (\\d+)$`, 'm')),
        0,
        outcome,
      );
    }
    assert.equal(line(text, /^tgsync_errors_total\{account="quiet",kind="peer"\} (\d+)$/m), 0);
    assert.equal(line(text, /^tgsync_api_calls_total\{account="quiet"\} (\d+)$/m), 0);
    assert.equal(line(text, /^tgsync_run_in_progress\{account="quiet"\} (\d+)$/m), 0);
    assert.equal(line(text, /^tgsync_runs_total\{account="main",outcome="succeeded"\} (\d+)$/m), 1, 'counts survive');
    assert.equal(line(text, /^tgsync_api_calls_total\{account="main"\} (\d+)$/m), 5);
  });

  it('serves the build info as a constant 1 with the version and the Node release', async () => {
    const text = await new SyncMetrics(BUILD).registry.metrics();
    assert.equal(line(text, /^tgsync_build_info\{version="1\.2\.3",node="v20\.20\.2"\} (\d+)$/m), 1);
  });

  it('shows a run in progress until it ends, also while the series are initialised', async () => {
    const metrics = new SyncMetrics(BUILD);
    const finished = metrics.startRun('main');
    metrics.initialiseAccounts(['main']);
    assert.equal(line(await metrics.registry.metrics(), /^tgsync_run_in_progress\{account="main"\} (\d+)$/m), 1);
    finished();
    assert.equal(line(await metrics.registry.metrics(), /^tgsync_run_in_progress\{account="main"\} (\d+)$/m), 0);
  });
});
