import { startTestApp, TestApp } from '../support/app';
import { RunningProcess, stopProcess } from '../support/processes';
import { raiseCase, startWorker } from '../deadlines/support';
import { eventIdOf, messageFor, subscribe, Subscriber, TestPublisher, waitFor, wsUrl } from './support';

/** End to end: a GraphQL action commits an event; the worker's relay publishes it; a subscriber receives it. */
describe('escalationEvents fed by the worker', () => {
  let t: TestApp;
  let worker: { proc: RunningProcess };
  let sub: Subscriber | undefined;

  beforeAll(async () => {
    t = await startTestApp();
    worker = startWorker();
  });
  afterAll(async () => {
    await sub?.close();
    await stopProcess(worker.proc);
    await t.close();
  });

  it('delivers the RAISED event of a new case to the raiser, without anyone publishing by hand', async () => {
    const token = await t.login('practitioner.police.southampton@demo.hips.test');
    sub = subscribe(wsUrl(process.env.API_URL!), { authorization: `Bearer ${token}` });
    // Subscribed before the case exists: live once it has received a probe (an earlier case's event) or anything.
    const probe = await raiseCase(t);
    const pub = new TestPublisher(process.env.REDIS_URL!, process.env.REDIS_PREFIX!);
    try {
      await pub.untilLive([[sub, await messageFor(t, await eventIdOf(t, probe.id, 'RAISED'))]], 10_000);
    } finally {
      await pub.close();
    }
    const c = await raiseCase(t);
    const [raised]: { id: string }[] = await t.owner.query(
      `select id from escalation_events where escalation_id = $1 and kind = 'RAISED'`,
      [c.id],
    );
    // Earlier suites' cases may still be relayed as the worker catches up: look for this case's event.
    const isThisCase = (e: Record<string, unknown>) =>
      Buffer.from(String(e.id), 'base64url').toString() === `EscalationEvent:${raised.id}`;
    await waitFor('the RAISED event', () => sub!.events.some(isThisCase), 10_000);
    const received = sub.events.find(isThisCase)!;
    expect(received.kind).toBe('RAISED');
    expect(JSON.stringify(received)).not.toMatch(/DL|2015-09-09/);
  });
});
