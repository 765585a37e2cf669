/**
 * Several worker processes (`tg-dialog-sync start`) on one database: each tick runs every account
 * once between them (read from sync_runs); a process killed with SIGKILL in the middle of a run has
 * its account run to the end by another one within SYNC_TAKEOVER_SECONDS; a process stopped with
 * SIGTERM hands its account to another one in the same tick; and no account's auth key ever has
 * calls in flight on two connections at once.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { callsOverlap } from 'telegram-test-server';
import { exitStatus, type CliProcess } from '../../helpers/cli-process.ts';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.ts';
import { eventually } from '../resilience/support.ts';
import { pidOfRunner, prepareAccounts, runsOf, Workers, type Accounts, type RunRow } from './replicas-support.ts';

const TICK_SECONDS = 20;
const TAKEOVER_SECONDS = 3;
const ACCOUNTS = 6;

/** The scheduled second a run belongs to: runs start after their tick and long before the next one. */
const tickOf = (run: RunRow) => Math.floor(run.startedAt.getTime() / (TICK_SECONDS * 1000)) * TICK_SECONDS * 1000;

describe('worker replicas on one database', () => {
  let harness: SyncHarness;
  let prepared: Accounts;
  const workers = new Workers();

  before(async () => {
    harness = await startSyncHarness({
      label: 'queue_replicas',
      world: { seed: 'queue-replicas', peers: 600, accounts: ACCOUNTS },
    });
    prepared = await prepareAccounts(harness, ACCOUNTS, 20, {
      SYNC_CRON: `*/${TICK_SECONDS} * * * * *`,
      SYNC_TAKEOVER_SECONDS: String(TAKEOVER_SECONDS),
      SYNC_ACCOUNTS_AT_ONCE: '2',
    });
  });
  after(async () => {
    workers.kill();
    await harness?.close();
    if (prepared !== undefined) await rm(prepared.directory, { recursive: true, force: true });
  });

  const byPid = (pid: number): CliProcess => {
    const job = workers.all.find((candidate) => candidate.child.pid === pid);
    assert.ok(job !== undefined, `runner ${pid} is one of the workers`);
    return job;
  };

  const assertOneConnectionAtATime = () => {
    for (const account of prepared.accounts) {
      const calls = harness.server.callLog.entries((call) => call.accountUserId === account.telegramUserId);
      for (const a of calls) {
        for (const b of calls) {
          if (a.authKeyId === b.authKeyId && a.connectionId < b.connectionId && callsOverlap(a, b)) {
            assert.fail(
              `${account.label}: calls ${a.id} (${a.method}, connection ${a.connectionId}) and ${b.id} (${b.method}, connection ${b.connectionId}) overlap`,
            );
          }
        }
      }
    }
  };

  it('3 processes: every account once per tick; a SIGKILLed run is completed by another process within the bound', async () => {
    const [victim] = prepared.accounts;
    // The first getPeerDialogs of this account is held, whichever process makes it.
    const barrier = harness.server.faults.barrier({
      method: 'messages.getPeerDialogs',
      account: victim!.telegramUserId!,
      nthCall: 1,
    });
    const started = [workers.start(prepared.env), workers.start(prepared.env), workers.start(prepared.env)];
    await Promise.all(started.map(Workers.started));
    await barrier.waitUntilHeld(1);
    const held = await eventually(
      'the held run',
      async () => (await runsOf(harness)).find((run) => run.accountId === victim!.id && run.status === 'running'),
      30_000,
      50,
    );
    const killed = byPid(pidOfRunner(held.runner));
    killed.child.kill('SIGKILL');
    assert.equal((await killed.exited).signal, 'SIGKILL');
    const killedAt = Date.now();
    // Its reply is let go only now: the call log's entry for it ends when the dead connection had it.
    barrier.release();

    const takeover = await eventually(
      'another process to complete the account',
      async () =>
        (await runsOf(harness)).find(
          (run) => run.accountId === victim!.id && run.status === 'succeeded' && run.runner !== held.runner,
        ),
      // The bound plus room for a loaded machine: the takeover itself is what is asserted.
      TAKEOVER_SECONDS * 1000 + 30_000,
      100,
    );
    process.stdout.write(
      `# takeover run started ${((takeover.startedAt.getTime() - killedAt) / 1000).toFixed(2)} s after the kill (SYNC_TAKEOVER_SECONDS=${TAKEOVER_SECONDS})\n`,
    );
    const killedRun = (await runsOf(harness)).find((run) => run.id === held.id)!;
    assert.equal(killedRun.status, 'abandoned', 'the takeover closed the dead process run');

    // Two more ticks between the two remaining processes.
    const firstTick = tickOf(held);
    const lastTick = firstTick + 2 * TICK_SECONDS * 1000;
    const runs = await eventually(
      'the runs of the next two ticks',
      async () => {
        const all = await runsOf(harness);
        const done = all.filter((run) => tickOf(run) === lastTick && run.finishedAt !== null);
        return done.length >= ACCOUNTS ? all : undefined;
      },
      3 * TICK_SECONDS * 1000 + 60_000,
      200,
    );
    // Runs the killed process had under way (it syncs two accounts at once), closed as abandoned.
    const abandoned = new Set(runs.filter((run) => run.status === 'abandoned').map((run) => run.accountId));
    for (let tick = firstTick; tick <= lastTick; tick += TICK_SECONDS * 1000) {
      for (const account of prepared.accounts) {
        const ofTick = runs.filter((run) => run.accountId === account.id && tickOf(run) === tick);
        const where = `${account.label} at ${new Date(tick).toISOString()}`;
        // Exactly one run to the end. A takeover that a loaded machine starts only after the next tick
        // is that tick's run too (one job waits per account): then the killed tick has none.
        const expected = tick === firstTick && abandoned.has(account.id) ? [0, 1] : [1];
        const succeeded = ofTick.filter((run) => run.status === 'succeeded').length;
        assert.ok(expected.includes(succeeded), `${where}: ${succeeded} succeeded: ${JSON.stringify(ofTick)}`);
        if (tick === firstTick + TICK_SECONDS * 1000 && abandoned.has(account.id)) assert.equal(succeeded, 1, where);
        for (const other of ofTick.filter((run) => run.status !== 'succeeded')) {
          assert.deepEqual([other.status, other.runner, tick], ['abandoned', held.runner, firstTick], where);
        }
      }
    }
    const runners = new Set(runs.filter((run) => tickOf(run) > firstTick).map((run) => run.runner));
    assert.equal(runners.size, 2, 'both remaining processes worked the queue');
    assertOneConnectionAtATime();
    for (const job of workers.all) if (job !== killed) job.child.kill('SIGTERM');
    for (const job of workers.all)
      if (job !== killed) assert.deepEqual(exitStatus(await job.exited), { code: 0, signal: null });
  });

  it('SIGTERM: the stopped process hands its account to another in the same tick', async () => {
    const [, victim] = prepared.accounts;
    const before = (await runsOf(harness)).length;
    const barrier = harness.server.faults.barrier({
      method: 'messages.getPeerDialogs',
      account: victim!.telegramUserId!,
      nthCall: 1,
    });
    // Batches of 2 peers: the run has calls left after the held one, so the stop interrupts it.
    const env = { ...prepared.env, SYNC_BATCH_SIZE: '2' };
    const pair = [workers.start(env), workers.start(env)];
    await Promise.all(pair.map(Workers.started));
    await barrier.waitUntilHeld(1);
    const held = await eventually(
      'the held run',
      async () =>
        (await runsOf(harness)).slice(before).find((run) => run.accountId === victim!.id && run.status === 'running'),
      30_000,
      50,
    );
    const stopped = byPid(pidOfRunner(held.runner));
    stopped.child.kill('SIGTERM');
    // Its held reply goes at once (the stopping run drops or takes it), so the call log's entry ends
    // before the stopped process hands the account back.
    barrier.release();
    assert.deepEqual(exitStatus(await stopped.exited), { code: 0, signal: null });
    const interrupted = (await runsOf(harness)).find((run) => run.id === held.id)!;
    assert.equal(interrupted.status, 'interrupted');
    const continued = await eventually(
      'the other process to complete the account',
      async () =>
        (await runsOf(harness)).find(
          (run) => run.accountId === victim!.id && run.id > held.id && run.status === 'succeeded',
        ),
      TICK_SECONDS * 1000,
      100,
    );
    assert.notEqual(continued.runner, held.runner);
    assert.equal(continued.trigger, 'cron');
    assert.equal(tickOf(continued), tickOf(held), 'in the same tick, not at the next one');
    assertOneConnectionAtATime();
  });
});
