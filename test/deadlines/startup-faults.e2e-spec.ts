import { startTestApp, TestApp } from '../support/app';
import { CuttableProxy, cuttableProxy, throughProxy } from '../support/cuttable-proxy';
import { RunningProcess, stopProcess } from '../support/processes';
import { bringForward, events, raiseCase, refiringRan, startWorker, waitFor, workerRunning } from './support';

const RETRY_WARNING = 'PostgreSQL unreachable at start-up; retrying';
const APP_PASSWORD = 'hips-app-local';

/** The worker starting while PostgreSQL is unreachable, or cut in the middle of its start-up. */
describe('worker start-up without PostgreSQL', () => {
  let t: TestApp;
  let proxy: CuttableProxy;
  let worker: { proc: RunningProcess } | undefined;

  const warnings = () =>
    worker!.proc
      .output()
      .split('\n')
      .filter((l) => l.includes(RETRY_WARNING));
  const startThroughProxy = (extra: Record<string, string> = {}) => {
    const appUrl = throughProxy(process.env.DATABASE_URL!, proxy, ['hips_app', APP_PASSWORD]);
    worker = startWorker({ DATABASE_APP_URL: appUrl, LOG_LEVEL: 'info', ...extra });
  };
  /** Restored: the worker starts and fires a deadline that fell due meanwhile, once. */
  const expectStartsAndFires = async (c: Awaited<ReturnType<typeof raiseCase>>) => {
    proxy.restore();
    try {
      await workerRunning(worker!.proc);
      await waitFor('the breach', async () => (await events(t, c.id, 'STAGE_BREACHED')) === 1);
    } catch (error) {
      process.stderr.write(`worker exit ${worker!.proc.child.exitCode}:\n${worker!.proc.output()}\n`);
      throw error;
    }
    await refiringRan(t, c);
    expect(await events(t, c.id, 'STAGE_BREACHED')).toBe(1);
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  beforeEach(async () => {
    proxy = await cuttableProxy(Number(new URL(process.env.DATABASE_URL!).port || 5432));
  });
  afterEach(async () => {
    await stopProcess(worker?.proc);
    worker = undefined;
    proxy.close();
  });
  afterAll(() => t.close());

  it('waits for an unreachable PostgreSQL with one warning line per attempt, then starts', async () => {
    proxy.cut();
    startThroughProxy();
    const c = await raiseCase(t);
    await bringForward(t, c, 'DUE', 200);
    await waitFor('a few attempts', () => Promise.resolve(warnings().length >= 3));
    expect(worker!.proc.child.exitCode).toBeNull();
    for (const line of warnings()) {
      // One JSON line each, naming where without the password, and no stack trace.
      expect(JSON.parse(line)).toMatchObject({
        level: 40,
        target: expect.stringContaining('hips_app@127.0.0.1:'),
      });
      expect(line).not.toContain(APP_PASSWORD);
    }
    expect(worker!.proc.output()).not.toMatch(/^\s+at /m);
    await expectStartsAndFires(c);
  }, 180_000);

  // Connections dropped after the first messages went through: at the 3rd, DataSource.initialize() fails and is
  // retried; the 4th is a query it sends on a client it holds with no 'error' listener, which used to kill the
  // process (unhandled 'error' event). The proxy stays down until restored.
  it.each([3, 4])(
    'survives a cut at message %i of its start-up, then starts',
    async (message) => {
      proxy.cutAfter(message);
      startThroughProxy();
      const c = await raiseCase(t);
      await bringForward(t, c, 'DUE', 200);
      await waitFor('the cut', () => Promise.resolve(proxy.isCut));
      // Alive well after the cut (the crash this guards came at the cut itself): it has since logged two failed
      // attempts, start-up retries or, if it had started, failed loop runs.
      const failedAttempts = () =>
        worker!.proc
          .output()
          .split('\n')
          .filter((l) => l.includes(RETRY_WARNING) || l.includes('"msg":"loop failed"')).length;
      await waitFor('two failed attempts after the cut', () => {
        if (worker!.proc.child.exitCode !== null)
          throw new Error(`the worker exited (${worker!.proc.child.exitCode}):\n${worker!.proc.output()}`);
        return Promise.resolve(failedAttempts() >= 2);
      });
      expect(worker!.proc.child.exitCode).toBeNull();
      expect(await events(t, c.id, 'STAGE_BREACHED')).toBe(0);
      await expectStartsAndFires(c);
    },
    180_000,
  );

  it('gives up after DATABASE_STARTUP_TIMEOUT_SECONDS with one line and a non-zero exit', async () => {
    proxy.cut();
    startThroughProxy({ DATABASE_STARTUP_TIMEOUT_SECONDS: '1' });
    const code = await new Promise<number | null>((r) => worker!.proc.child.once('exit', r));
    expect(code).toBe(1);
    const lines = worker!.proc.output().trim().split('\n');
    expect(lines.filter((l) => l.includes('giving up'))).toEqual([
      expect.stringMatching(
        /^PostgreSQL hips_app@127\.0\.0\.1:\d+\/\S+ still unreachable after \d+ attempts/,
      ),
    ]);
    expect(worker!.proc.output()).not.toContain(APP_PASSWORD);
    expect(worker!.proc.output()).not.toMatch(/^\s+at /m);
  }, 60_000);
});
