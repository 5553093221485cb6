import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { idOf } from '@hips/common';
import type { TestApp } from '../support/app';
import { startProcess, RunningProcess } from '../support/processes';
import { agencyId, RAISE, raiseInput } from '../escalations/support';

/** Starts the built worker with short loop intervals so fault tests stay bounded in time. */
export function startWorker(extra: Record<string, string> = {}): { proc: RunningProcess; dataDir: string } {
  const dataDir = extra.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'hips-worker-'));
  const proc = startProcess('dist/apps/worker/src/main.js', {
    ...(process.env as Record<string, string>),
    DATA_DIR: dataDir,
    OUTBOX_RELAY_MS: '100',
    DEADLINE_SWEEP_MS: '1000',
    NOTIFICATION_POLL_MS: '200',
    ...extra,
  });
  return { proc, dataDir };
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Waits until the worker logged that it is running (LOG_LEVEL info), failing at once if it exited. Generous: a
 * loaded machine starts it slowly, and a test's own clock starts only after this (docs/testing/test-practice.md).
 */
export function workerRunning(proc: RunningProcess, timeoutMs = 60_000): Promise<true> {
  return waitFor(
    'the worker to log that it is running',
    () => {
      if (proc.output().includes('worker running')) return Promise.resolve(true as const);
      if (proc.child.exitCode !== null)
        throw new Error(`the worker exited (${proc.child.exitCode}):\n${proc.output()}`);
      return Promise.resolve(null);
    },
    timeoutMs,
  );
}

/**
 * Waits (bounded) until a worker has run the job, and answers its final state: the proof that a duplicate job
 * really ran before a spec asserts that it changed nothing (docs/testing/test-practice.md).
 */
export function jobFinished(queue: Queue, jobId: string): Promise<string> {
  return waitFor(`job ${jobId} to run`, async () => {
    const state = await queue.getJobState(jobId);
    return state === 'completed' || state === 'failed' ? state : null;
  });
}

const CHILDRENS_SERVICES = {
  southampton: 'Southampton City Council Children%',
  portsmouth: 'Portsmouth City Council Children%',
};

/** Raises a case (police → CSC; Southampton unless told) and returns its uuid and first stage. */
export async function raiseCase(
  t: TestApp,
  patch: Record<string, unknown> = {},
  area: keyof typeof CHILDRENS_SERVICES = 'southampton',
) {
  const token = await t.login(`practitioner.police.${area}@demo.hips.test`);
  const csc = await agencyId(t, CHILDRENS_SERVICES[area]);
  const input = raiseInput(csc, {
    child: { initials: 'DL', dateOfBirth: '2015-09-09', localAuthority: area.toUpperCase() },
    ...patch,
  });
  const res = await t.gql(RAISE, { input }, { token });
  if (res.data?.raiseEscalation?.userErrors?.length !== 0)
    throw new Error(JSON.stringify(res.data ?? res.errors));
  const id = idOf(res.data.raiseEscalation.escalation.id, 'Escalation')!;
  const [stage]: { id: string; partnership_id: string }[] = await t.owner.query(
    'select id, partnership_id from escalation_stages where escalation_id = $1 and number = 1',
    [id],
  );
  return {
    id,
    stageId: stage.id,
    partnershipId: stage.partnership_id,
    globalId: res.data.raiseEscalation.escalation.id as string,
  };
}

/**
 * Brings a stage's deadline forward to `inMs` from now, as a policy change would: a new version of the row and an
 * outbox row for the relay (without the outbox row only the sweeper can find it).
 */
export async function bringForward(
  t: TestApp,
  c: { stageId: string; partnershipId: string },
  kind: 'DUE' | 'REMINDER_HALF',
  inMs: number,
  viaOutbox = true,
): Promise<{ id: string; version: number }> {
  const [[d]]: [{ id: string; version: number; due_at: Date }[]] = await t.owner.query(
    `update deadlines set due_at = now() + ($3 || ' milliseconds')::interval, version = version + 1
     where stage_id = $1 and kind = $2 returning id, version, due_at`,
    [c.stageId, kind, String(inMs)],
  );
  if (kind === 'DUE') {
    await t.owner.query('update escalation_stages set due_at = $2 where id = $1', [c.stageId, d.due_at]);
  }
  if (viaOutbox) {
    await t.owner.query(
      `insert into outbox (partnership_id, topic, dedupe_key, payload) values ($1, 'DEADLINE_SCHEDULED', $2, $3)`,
      [
        c.partnershipId,
        `deadline-${d.id}-${d.version}`,
        JSON.stringify({ deadlineId: d.id, version: d.version, dueAt: d.due_at.toISOString() }),
      ],
    );
  }
  return { id: d.id, version: d.version };
}

export async function events(t: TestApp, escalationId: string, kind: string): Promise<number> {
  const [{ n }]: { n: number }[] = await t.owner.query(
    'select count(*)::int as n from escalation_events where escalation_id = $1 and kind = $2',
    [escalationId, kind],
  );
  return n;
}

/**
 * Proves that what could fire a case's DUE deadline a second time has run since it fired, so a count taken next is
 * final (docs/testing/test-practice.md): a duplicate job of it, run to completion by the worker, and a claim of
 * everything due in its partnership (a marker case's deadline, which no job names, has fired).
 */
export async function refiringRan(t: TestApp, c: { stageId: string; partnershipId: string }): Promise<void> {
  const [d]: { id: string; version: number }[] = await t.owner.query(
    `select id, version from deadlines where stage_id = $1 and kind = 'DUE'`,
    [c.stageId],
  );
  const marker = await raiseCase(t);
  if (marker.partnershipId !== c.partnershipId) throw new Error('the marker must share the partnership');
  await bringForward(t, marker, 'DUE', 0, false);
  await waitFor('the marker breach', async () => (await events(t, marker.id, 'STAGE_BREACHED')) === 1);
  const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
  const queue = new Queue('deadlines', { connection, prefix: process.env.REDIS_PREFIX });
  try {
    const jobId = `refire-${d.id}-${d.version}-${randomUUID()}`;
    await queue.add(
      'fire-deadline',
      { partnershipId: c.partnershipId, deadlineId: d.id, version: d.version },
      { jobId },
    );
    if ((await jobFinished(queue, jobId)) !== 'completed') throw new Error(`job ${jobId} failed`);
  } finally {
    await queue.close();
    await connection.quit();
  }
}

/**
 * Waits (bounded) until a worker has completed `count` runs of a scheduled job that began after `since` (epoch
 * ms): the proof that "further runs change nothing" counts runs that really happened (docs/testing/test-practice.md).
 */
export async function scheduledRunsSince(
  queueName: string,
  jobName: string,
  since: number,
  count: number,
  timeoutMs = 15_000,
): Promise<void> {
  const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection, prefix: process.env.REDIS_PREFIX });
  try {
    await waitFor(
      `${count} runs of ${jobName}`,
      async () => {
        const done = await queue.getJobs(['completed'], 0, 500);
        return done.filter((j) => j.name === jobName && (j.processedOn ?? 0) > since).length >= count;
      },
      timeoutMs,
    );
  } finally {
    await queue.close();
    await connection.quit();
  }
}
