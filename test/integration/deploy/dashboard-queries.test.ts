/**
 * Every query of the provisioned Grafana dashboard and every example query of README.md, run as a
 * member of tgsync_dashboards (a login created by deploy/postgres/create-dashboards-login.mjs, as the
 * `dashboards-user` Compose service does) against a database filled by real syncs, returns exactly the
 * rows the simulated Telegram world implies.
 *
 * The story: two accounts sync 300 peers each (run 1: alpha, run 2: beta); then alpha is kicked from
 * two channels and beta from one, alpha deletes one chat with unread messages (the user still
 * resolves: the dialog vanishes from every dashboard), three of alpha's dialogs get new unread counts,
 * and both sync again (runs 3 and 4: succeeded, with CHANNEL_PRIVATE peer errors and backoff);
 * finally beta meets a FLOOD_WAIT above the ceiling (run 5: deferred, 120 s requested).
 *
 * Grafana macros are expanded by a tiny stand-in for Grafana's engine (expandGrafanaMacros in
 * test/unit/deploy/deploy-files.ts): $__timeFilter(col) → `col BETWEEN '<from>' AND '<to>'` over this
 * test's time span, $__timeGroupAlias(col, $__interval) → `floor(extract(epoch from col)/3600)*3600
 * AS "time"` (an interval of one hour), as Grafana's PostgreSQL data source writes them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { TELEGRAM_FOREVER } from '../../../src/telegram/mapping/tl-values.ts';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { syncAccount, type SyncAccountResult } from '../../../src/sync/sync-account.ts';
import {
  peerKeyOfMarked,
  startSyncHarness,
  wantedPeersOfMarked,
  TEST_SYNC_SETTINGS,
  type SyncHarness,
} from '../../helpers/sync-harness.ts';
import {
  dashboardQueries,
  expandGrafanaMacros,
  readDashboard,
  readmeExampleQueries,
  type MacroContext,
} from '../../unit/deploy/deploy-files.ts';
import { connectAs, dropRole, runLoginScript, uniqueRoleName } from './run-login-script.ts';

const PEERS_PER_ACCOUNT = 300;
const INTERVAL_SECONDS = 3600;
const FLOOD_SECONDS = 120;

/** What the world says one synced dialog looks like in dashboard_dialogs. */
interface ExpectedDialog {
  readonly label: string;
  readonly marked: bigint;
  readonly title: string | null;
  readonly kind: string;
  unread: number;
  mentions: number;
  muteUntil: number | null;
  lastMessageAt: Date | null;
  /** Unread counter of each snapshot written (one per change). */
  readonly unreadHistory: number[];
}

interface Run {
  readonly label: string;
  readonly runId: bigint;
  readonly status: string;
  readonly peersSynced: number;
  readonly peersFailed: number;
  readonly floodWaitSeconds: number;
}

/** Text as the job stores it (NUL removed, lone surrogates replaced). */
const clean = (text: string | null | undefined): string | null =>
  text == null ? null : text.replaceAll('\u0000', '').toWellFormed();

describe('dashboard and README queries against a real sync', () => {
  let harness: SyncHarness;
  let reader: pg.Client;
  const login = uniqueRoleName('grafana');
  const password = randomBytes(12).toString('hex');
  const testStart = new Date(Date.now() - 1000);
  const accounts: Array<{ label: string; me: bigint; record: AccountRecord; peers: bigint[] }> = [];
  const dialogs = new Map<string, ExpectedDialog>();
  const kicked: Array<{ label: string; marked: bigint }> = [];
  /** Dialogs the account deleted (no_dialog, absent): no longer shown. */
  const vanished: Array<{ label: string; marked: bigint }> = [];
  const runs: Run[] = [];

  const key = (label: string, marked: bigint) => `${label}:${marked}`;

  function expectedDialog(label: string, me: bigint, marked: bigint): ExpectedDialog {
    const world = harness.world;
    const dialog = world.dialog(me, marked)!;
    const top = world.topMessage(me, marked);
    const peerKey = peerKeyOfMarked(marked);
    let title: string | null;
    let kind: string;
    if (peerKey.peerType === 'user') {
      const user = world.userAsSeenBy(me, peerKey.peerId);
      const parts = [clean(user.firstName), clean(user.lastName)].filter(
        (part): part is string => part !== null && part !== '',
      );
      title = parts.join(' ').replace(/^ +| +$/g, '') || null;
      kind = user.bot ? 'bot' : 'user';
    } else {
      const view = world.chatAsSeenBy(me, marked);
      title = clean(view.title);
      kind =
        view.kind === 'chat' || view.kind === 'chatForbidden'
          ? 'basic_group'
          : view.kind === 'channel' && view.forum
            ? 'forum'
            : view.broadcast
              ? 'channel'
              : 'supergroup';
    }
    return {
      label,
      marked,
      title,
      kind,
      unread: dialog.unreadCount,
      mentions: dialog.unreadMentionsCount,
      muteUntil: dialog.notifySettings.muteUntil,
      lastMessageAt: top === null ? null : new Date(top.date * 1000),
      unreadHistory: [dialog.unreadCount],
    };
  }

  /** Refreshes the expected counters of the peers a successful run synced; a change is a snapshot. */
  function recordSynced(label: string, me: bigint, peers: readonly bigint[]): void {
    for (const marked of peers) {
      const current = expectedDialog(label, me, marked);
      const known = dialogs.get(key(label, marked));
      if (known === undefined) {
        dialogs.set(key(label, marked), current);
        continue;
      }
      if (known.unread !== current.unread || known.mentions !== current.mentions)
        known.unreadHistory.push(current.unread);
      known.unread = current.unread;
      known.mentions = current.mentions;
      known.muteUntil = current.muteUntil;
      known.lastMessageAt = current.lastMessageAt;
    }
  }

  async function sync(index: number): Promise<SyncAccountResult & { status: string }> {
    const account = accounts[index]!;
    const result = await syncAccount(harness.deps, {
      account: account.record,
      settings: TEST_SYNC_SETTINGS,
      trigger: 'test',
      configuredPeers: wantedPeersOfMarked(account.peers),
    });
    if (result.status === 'skipped') assert.fail(result.reason);
    runs.push({
      label: account.label,
      runId: result.runId,
      status: result.status,
      peersSynced: result.counters.peersSynced,
      peersFailed: result.counters.peersFailed,
      floodWaitSeconds: result.counters.floodWaitSeconds,
    });
    return result;
  }

  before(async () => {
    harness = await startSyncHarness({
      label: 'deploy_dashboards',
      world: { seed: 'deploy-dashboards', peers: 2500, accounts: 2, resolveFlood: { freeCalls: 100_000 } },
    });
    const world = harness.world;
    const [alpha, beta] = world.userAccounts;
    assert.ok(alpha && beta);
    // Upgraded groups resolve to their supergroups (two inputs, one dialog), and a contact's name is the
    // account's own: leave both out so every configured peer is one dialog with one title.
    const upgraded = new Set(world.migratedGroups().flatMap(({ chat, channel }) => [chat, channel]));
    const isContact = (marked: bigint) =>
      marked > 0n && [alpha, beta].some((account) => world.userAsSeenBy(account.userId, marked).contact);
    for (const [label, me] of [
      ['alpha', alpha.userId],
      ['beta', beta.userId],
    ] as const) {
      const peers = world
        .peerDialogPeers(me)
        .filter((marked) => !upgraded.has(marked) && !isContact(marked))
        .slice(0, PEERS_PER_ACCOUNT);
      assert.equal(peers.length, PEERS_PER_ACCOUNT);
      assert.deepEqual([...new Set(peers.map((marked) => peerKeyOfMarked(marked).peerType))].sort(), [
        'channel',
        'chat',
        'user',
      ]);
      accounts.push({ label, me, record: await harness.account(me, label), peers });
    }

    // Runs 1 and 2: everything syncs.
    for (const index of [0, 1]) {
      const result = await sync(index);
      assert.equal(result.status, 'succeeded');
      recordSynced(accounts[index]!.label, accounts[index]!.me, accounts[index]!.peers);
    }

    // Kicked from channels: CHANNEL_PRIVATE, peer errors, backoff; their stored dialogs stay.
    const [first, second] = accounts as [(typeof accounts)[0], (typeof accounts)[0]];
    const channels = (account: typeof first) =>
      account.peers.filter((marked) => peerKeyOfMarked(marked).peerType === 'channel');
    for (const marked of channels(first).slice(0, 2)) kicked.push({ label: first.label, marked });
    kicked.push({ label: second.label, marked: channels(second)[0]! });
    for (const { label, marked } of kicked)
      world.kickAccount(accounts.find((account) => account.label === label)!.me, marked);
    // New unread counts in three of alpha's other dialogs: new snapshots, and the busiest chats.
    const patched = first.peers.filter((marked) => !kicked.some((entry) => entry.marked === marked)).slice(10, 13);
    patched.forEach((marked, index) => world.patchDialog(first.me, marked, { unreadCount: 900 + index * 7 }));
    // Alpha deletes a chat with unread messages among the busiest: it must leave every dashboard.
    const deleted = first.peers.find(
      (marked) => marked > 0n && !patched.includes(marked) && world.dialog(first.me, marked)!.unreadCount > 0,
    )!;
    vanished.push({ label: first.label, marked: deleted });
    world.deleteDialog(first.me, deleted);
    dialogs.delete(key(first.label, deleted));

    // Runs 3 and 4: succeed, with the kicked channels failing.
    const stillThere = (label: string, marked: bigint) =>
      ![...kicked, ...vanished].some((entry) => entry.label === label && entry.marked === marked);
    for (const index of [0, 1]) {
      const account = accounts[index]!;
      const result = await sync(index);
      assert.equal(result.status, 'succeeded');
      recordSynced(
        account.label,
        account.me,
        account.peers.filter((marked) => stillThere(account.label, marked)),
      );
    }

    // Run 5: a FLOOD_WAIT above the ceiling defers beta's run.
    assert.ok(FLOOD_SECONDS > TEST_SYNC_SETTINGS.floodWaitCeilingSeconds);
    harness.server.faults.floodWait(FLOOD_SECONDS, { method: 'messages.GetPeerDialogs', account: second.me, times: 1 });
    assert.equal((await sync(1)).status, 'deferred');

    // The dashboards' login, created the way the dashboards-user Compose service creates it.
    const created = await runLoginScript({
      DATABASE_URL: harness.database.url,
      GRAFANA_DB_USER: login,
      GRAFANA_DB_PASSWORD: password,
    });
    assert.equal(created.code, 0, created.stderr);
    reader = await connectAs(harness.database.url, login, password);
  });

  after(async () => {
    await reader?.end().catch(() => undefined);
    await harness?.close();
    await dropRole(login);
  });

  // ---------------------------------------------------------------- expectations from the world

  const byLabel = (label: string) => [...dialogs.values()].filter((dialog) => dialog.label === label);
  const compareBigint = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
  /** ORDER BY unread_count DESC, last_message_at DESC NULLS LAST, account_label, peer_marked_id. */
  const busiest = () =>
    [...dialogs.values()].sort(
      (a, b) =>
        b.unread - a.unread ||
        (b.lastMessageAt?.getTime() ?? -Infinity) - (a.lastMessageAt?.getTime() ?? -Infinity) ||
        a.label.localeCompare(b.label) ||
        compareBigint(a.marked, b.marked),
    );
  const isMuted = (dialog: ExpectedDialog, nowSeconds: number) =>
    dialog.muteUntil !== null &&
    dialog.muteUntil !== 0 &&
    (dialog.muteUntil >= TELEGRAM_FOREVER || dialog.muteUntil > nowSeconds);
  const kickedOf = (label: string) => kicked.filter((entry) => entry.label === label);
  /** Dialogs the account has (kicked channels keep theirs, forbidden; deleted ones are gone). */
  const dialogsOf = (label: string) =>
    String(PEERS_PER_ACCOUNT - vanished.filter((entry) => entry.label === label).length);
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

  async function runTimes(): Promise<Map<string, { startedAt: Date; finishedAt: Date | null }>> {
    const { rows } = await harness.sql.query('SELECT id::text, started_at, finished_at FROM sync_runs');
    return new Map(
      rows.map((row) => [
        row.id as string,
        { startedAt: row.started_at as Date, finishedAt: row.finished_at as Date | null },
      ]),
    );
  }
  const bucket = (date: Date) => Math.floor(date.getTime() / 1000 / INTERVAL_SECONDS) * INTERVAL_SECONDS;
  function grouped<T>(
    items: T[],
    keyOf: (item: T) => [number, string],
    value: (items: T[]) => string,
  ): Array<{ time: number; metric: string; value: string }> {
    const groups = new Map<string, T[]>();
    for (const item of items) {
      const k = JSON.stringify(keyOf(item));
      groups.set(k, [...(groups.get(k) ?? []), item]);
    }
    return [...groups]
      .map(([k, members]) => {
        const [time, metric] = JSON.parse(k) as [number, string];
        return { time, metric, value: value(members) };
      })
      .sort((a, b) => a.time - b.time || (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
  }

  function checkBackoffRows(
    rows: Array<Record<string, unknown>>,
    queriedAt: Date,
    withTitle: boolean,
    names: { label: string; input: string },
  ) {
    const expected = kicked
      .map(({ label, marked }) => ({
        [names.label]: label,
        [names.input]: String(marked),
        ...(withTitle ? { title: dialogs.get(key(label, marked))!.title } : {}),
        last_error_code: 'CHANNEL_PRIVATE',
        consecutive_failures: 1,
      }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const actual = rows
      .map(({ next_attempt_at: _, ...rest }) => rest)
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    assert.deepEqual(actual, expected);
    const deadlines = rows.map((row) => (row.next_attempt_at as Date).getTime());
    assert.deepEqual(
      deadlines,
      [...deadlines].sort((a, b) => a - b),
      'ordered by next_attempt_at',
    );
    for (const deadline of deadlines) {
      // The first failure (during this test) + SYNC_PEER_BACKOFF_BASE_SECONDS of the test settings.
      const failedAt = deadline - TEST_SYNC_SETTINGS.peerBackoff.baseSeconds * 1000;
      assert.ok(
        failedAt >= testStart.getTime() && failedAt <= queriedAt.getTime(),
        `backoff until ${new Date(deadline).toISOString()}`,
      );
    }
  }

  function checkRunsOfTheDay(rows: Array<Record<string, unknown>>, times: Map<string, { startedAt: Date }>) {
    const expected = [...runs].reverse().map((run) => ({
      account_label: run.label,
      status: run.status,
      started_at: times.get(run.runId.toString())!.startedAt,
      peers_synced: run.peersSynced,
      peers_failed: run.peersFailed,
      flood_wait_seconds: run.floodWaitSeconds,
    }));
    assert.deepEqual(
      rows.map(({ duration_seconds: _, ...rest }) => rest),
      expected,
    );
    for (const row of rows)
      assert.ok(
        typeof row.duration_seconds === 'number' && row.duration_seconds >= 0 && row.duration_seconds < 600,
        `duration ${row.duration_seconds}`,
      );
  }

  // ---------------------------------------------------------------- the story itself

  it('went as planned: 5 runs, the kicked channels failing, beta deferred by the flood wait', () => {
    assert.deepEqual(
      runs.map((run) => [run.label, run.status, run.peersSynced, run.peersFailed, run.floodWaitSeconds]),
      [
        ['alpha', 'succeeded', PEERS_PER_ACCOUNT, 0, 0],
        ['beta', 'succeeded', PEERS_PER_ACCOUNT, 0, 0],
        ['alpha', 'succeeded', PEERS_PER_ACCOUNT - 3, 2, 0],
        ['beta', 'succeeded', PEERS_PER_ACCOUNT - 1, 1, 0],
        ['beta', 'deferred', 0, 0, FLOOD_SECONDS],
      ],
    );
    assert.equal(dialogs.size, 2 * PEERS_PER_ACCOUNT - vanished.length);
  });

  it('queries as a login of the read-only dashboards role, which cannot read the tables', async () => {
    const { rows } = await reader.query(
      `SELECT current_user AS me, pg_has_role(current_user, 'tgsync_dashboards', 'MEMBER') AS member`,
    );
    assert.deepEqual(rows, [{ me: login, member: true }]);
    await assert.rejects(reader.query('SELECT count(*) FROM dialogs'), /permission denied/);
  });

  // ---------------------------------------------------------------- README.md

  it('runs every README example query with the rows the world implies', async () => {
    const queries = readmeExampleQueries();
    const checks: Record<string, (rows: Array<Record<string, unknown>>, queriedAt: Date) => Promise<void> | void> = {
      'Unread messages per account': (rows) =>
        assert.deepEqual(
          rows,
          ['alpha', 'beta'].map((label) => ({
            account_label: label,
            unread: String(sum(byLabel(label).map((dialog) => dialog.unread))),
          })),
        ),
      'The ten busiest chats by unread count': (rows) =>
        assert.deepEqual(
          rows,
          busiest()
            .slice(0, 10)
            .map((dialog) => ({
              account_label: dialog.label,
              title: dialog.title,
              peer_kind: dialog.kind,
              unread_count: dialog.unread,
              last_message_at: dialog.lastMessageAt,
            })),
        ),
      'Peers in backoff and why': (rows, queriedAt) =>
        checkBackoffRows(rows, queriedAt, false, { label: 'account_label', input: 'input' }),
      'Runs of the last day': async (rows) => checkRunsOfTheDay(rows, await runTimes()),
      'Peer errors of the last day by code': async (rows) => {
        const { rows: raw } = await harness.sql.query(
          `SELECT a.label, max(e.occurred_at) AS last FROM peer_sync_errors e JOIN accounts a ON a.id = e.account_id GROUP BY 1`,
        );
        const last = new Map(raw.map((row) => [row.label as string, row.last as Date]));
        assert.deepEqual(rows, [
          {
            account_label: 'alpha',
            error_code: 'CHANNEL_PRIVATE',
            errors: String(kickedOf('alpha').length),
            last_seen: last.get('alpha'),
          },
          {
            account_label: 'beta',
            error_code: 'CHANNEL_PRIVATE',
            errors: String(kickedOf('beta').length),
            last_seen: last.get('beta'),
          },
        ]);
      },
      'Accounts at a glance': async (rows) => {
        const times = await runTimes();
        const lastSuccess = (label: string) =>
          times.get(
            runs
              .filter((run) => run.label === label && run.status === 'succeeded')
              .at(-1)!
              .runId.toString(),
          )!.finishedAt;
        assert.deepEqual(rows, [
          {
            account_label: 'alpha',
            status: 'active',
            last_run_status: 'succeeded',
            last_success_at: lastSuccess('alpha'),
            peers_enabled: String(PEERS_PER_ACCOUNT),
            peers_in_backoff: '2',
            dialogs: dialogsOf('alpha'),
          },
          {
            account_label: 'beta',
            status: 'active',
            last_run_status: 'deferred',
            last_success_at: lastSuccess('beta'),
            peers_enabled: String(PEERS_PER_ACCOUNT),
            peers_in_backoff: '1',
            dialogs: dialogsOf('beta'),
          },
        ]);
      },
    };
    assert.deepEqual(
      queries.map((query) => query.title).sort(),
      Object.keys(checks).sort(),
      'every README query has a check, and every check a query',
    );
    for (const query of queries) {
      const queriedAt = new Date();
      const { rows } = await reader.query(query.sql);
      assert.ok(rows.length > 0, `${query.title}: returns rows`);
      await checks[query.title]!(rows, queriedAt);
    }
  });

  // ---------------------------------------------------------------- the Grafana dashboard

  it('runs every dashboard panel query with the rows the world implies', async () => {
    const queries = dashboardQueries();
    // $account at "All": Grafana puts every value of the variable in.
    const context = (accounts: readonly string[] = ['alpha', 'beta']): MacroContext => ({
      from: new Date(testStart.getTime() - 5 * 60_000),
      to: new Date(Date.now() + 5 * 60_000),
      intervalSeconds: INTERVAL_SECONDS,
      accounts,
    });
    const series = (rows: Array<Record<string, unknown>>, value: string) =>
      rows.map((row) => ({ time: Number(row.time), metric: row.metric as string, value: String(row[value]) }));
    const checks: Record<string, (rows: Array<Record<string, unknown>>, queriedAt: Date) => Promise<void> | void> = {
      Accounts: async (rows) => {
        const times = await runTimes();
        const { rows: fetched } = await harness.sql.query(
          'SELECT id::text, state_fetched_at FROM sync_runs WHERE state_fetched_at IS NOT NULL',
        );
        const stateFetched = new Map(fetched.map((row) => [row.id as string, row.state_fetched_at as Date]));
        const last = (label: string, status?: string) =>
          runs.filter((run) => run.label === label && (status === undefined || run.status === status)).at(-1)!;
        assert.deepEqual(
          rows,
          ['alpha', 'beta'].map((label) => ({
            account: label,
            status: 'active',
            last_run_status: last(label).status,
            last_run_started_at: times.get(last(label).runId.toString())!.startedAt,
            last_success_at: times.get(last(label, 'succeeded').runId.toString())!.finishedAt,
            peers_enabled: String(PEERS_PER_ACCOUNT),
            peers_in_backoff: String(kickedOf(label).length),
            dialogs: dialogsOf(label),
            // The last run that received the state: beta's deferred run 5 called nothing.
            state_fetched_at: stateFetched.get(last(label, 'succeeded').runId.toString()),
          })),
        );
        assert.ok([...stateFetched.values()].every((at) => at instanceof Date));
      },
      'Unread messages per account': (rows) =>
        assert.deepEqual(
          rows,
          ['alpha', 'beta'].map((label) => ({
            account: label,
            unread: String(sum(byLabel(label).map((dialog) => dialog.unread))),
          })),
        ),
      'Busiest chats': (rows, queriedAt) => {
        const nowSeconds = Math.floor(queriedAt.getTime() / 1000);
        const expected = busiest()
          .slice(0, 20)
          .map((dialog) => ({
            account: dialog.label,
            title: dialog.title,
            kind: dialog.kind,
            unread: dialog.unread,
            mentions: dialog.mentions,
            muted: isMuted(dialog, nowSeconds),
            last_message_at: dialog.lastMessageAt,
          }));
        assert.deepEqual(rows, expected);
        assert.deepEqual(
          rows.slice(0, 3).map((row) => row.unread),
          [914, 907, 900],
          'the patched dialogs lead',
        );
      },
      'Peers in backoff': (rows, queriedAt) =>
        checkBackoffRows(rows, queriedAt, true, { label: 'account', input: 'input' }),
      'Sync runs by status': async (rows) => {
        const times = await runTimes();
        const expected = grouped(
          runs,
          (run) => [bucket(times.get(run.runId.toString())!.startedAt), run.status],
          (members) => String(members.length),
        );
        assert.deepEqual(series(rows, 'runs'), expected);
        assert.deepEqual([...new Set(rows.map((row) => row.metric))].sort(), ['deferred', 'succeeded']);
      },
      'Flood wait requested (seconds)': async (rows) => {
        const times = await runTimes();
        const expected = grouped(
          runs,
          (run) => [bucket(times.get(run.runId.toString())!.startedAt), run.label],
          (members) => String(sum(members.map((run) => run.floodWaitSeconds))),
        );
        assert.deepEqual(series(rows, 'flood_wait_seconds'), expected);
        assert.equal(sum(rows.map((row) => Number(row.flood_wait_seconds))), FLOOD_SECONDS);
      },
      'Peer errors by code': async (rows) => {
        const { rows: raw } = await harness.sql.query('SELECT occurred_at FROM peer_sync_errors');
        assert.equal(raw.length, kicked.length, 'one error per kicked channel');
        const expected = grouped(
          raw,
          (row) => [bucket(row.occurred_at as Date), 'CHANNEL_PRIVATE'],
          (members) => String(members.length),
        );
        assert.deepEqual(series(rows, 'errors'), expected);
      },
      'Unread history of the busiest chats': (rows) => {
        const top = busiest().slice(0, 10);
        const metric = (dialog: ExpectedDialog) => `${dialog.label} · ${dialog.title ?? '?'} [${dialog.marked}]`;
        const actual = new Map<string, number[]>();
        for (const row of rows)
          actual.set(row.metric as string, [...(actual.get(row.metric as string) ?? []), row.unread as number]);
        assert.deepEqual(actual, new Map(top.map((dialog) => [metric(dialog), dialog.unreadHistory])));
        assert.equal(
          top.filter((dialog) => dialog.unreadHistory.length === 2).length,
          3,
          'the three patched dialogs have two points',
        );
        // Ordered by time (the order of metrics within one time is the server's collation: not checked).
        const times = rows.map((row) => (row.time as Date).getTime());
        assert.deepEqual(
          times,
          [...times].sort((a, b) => a - b),
          'ordered by time',
        );
        for (const time of times)
          assert.ok(time >= testStart.getTime() && time <= Date.now(), 'captured during this test');
      },
      // The runs of this test were made without the worker: no account has a job or an open run.
      'Accounts in the job queue': (rows) =>
        assert.deepEqual(
          rows,
          ['alpha', 'beta'].map((label) => ({
            account: label,
            state: 'idle',
            running_on: null,
            running_since: null,
            queued: false,
            waiting_until: null,
          })),
        ),
    };
    assert.deepEqual(
      queries.map((query) => query.panel).sort(),
      Object.keys(checks).sort(),
      'every panel has a check, and every check a panel',
    );
    for (const query of queries) {
      const queriedAt = new Date();
      const { rows } = await reader.query(expandGrafanaMacros(query.sql, context()));
      assert.ok(rows.length > 0, `${query.panel}: returns rows`);
      await checks[query.panel]!(rows, queriedAt);
    }
  });

  it("offers the accounts in the $account variable, and one account chosen shows only that account's rows", async () => {
    const variable = readDashboard().templating!.list.find((entry) => entry.name === 'account')!;
    assert.deepEqual((await reader.query(variable.query!)).rows, [
      { account_label: 'alpha' },
      { account_label: 'beta' },
    ]);
    const only = {
      from: new Date(testStart.getTime() - 5 * 60_000),
      to: new Date(Date.now() + 5 * 60_000),
      intervalSeconds: INTERVAL_SECONDS,
      accounts: ['beta'],
    };
    const accountOf = (panel: string, row: Record<string, unknown>): string | undefined => {
      if (typeof row.account === 'string') return row.account;
      if (panel === 'Flood wait requested (seconds)') return row.metric as string;
      if (panel === 'Unread history of the busiest chats') return (row.metric as string).split(' · ')[0];
      return undefined; // by status or error code: counted below against the database
    };
    for (const query of dashboardQueries()) {
      const { rows } = await reader.query(expandGrafanaMacros(query.sql, only));
      for (const row of rows) {
        const account = accountOf(query.panel, row);
        if (account !== undefined) assert.equal(account, 'beta', `${query.panel}: ${JSON.stringify(row)}`);
      }
      if (query.panel === 'Sync runs by status')
        assert.equal(sum(rows.map((row) => Number(row.runs))), runs.filter((run) => run.label === 'beta').length);
      if (query.panel === 'Peer errors by code')
        assert.equal(
          sum(rows.map((row) => Number(row.errors))),
          kicked.filter((entry) => entry.label === 'beta').length,
        );
    }
  });
});
