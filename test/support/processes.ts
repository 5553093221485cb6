import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer } from 'node:net';

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
}

/** Starts a built entry point (dist/...) with the test environment; its output is kept for failure messages. */
export function startProcess(
  entry: string,
  env: Record<string, string>,
  args: string[] = [],
): RunningProcess {
  const child = spawn(process.execPath, [entry, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output };
}

export async function waitForHttp(url: string, proc: RunningProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`process exited early:\n${proc.output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${proc.output()}`);
}

export async function stopProcess(
  proc: RunningProcess | undefined,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.child.once('exit', () => resolve()));
  proc.child.kill(signal);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * A valid production configuration for processes started beside the suite: secrets of its own, the suite's
 * identifier key, and the suite's role passwords (the roles are cluster-wide and an API sets their passwords at
 * start-up: other passwords would lock the suite's own API out of its connections).
 */
export function productionEnv(): Record<string, string> {
  const keyFile = resolve(process.env.DATA_DIR ?? '.data/test', 'identifier-encryption.key');
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(48).toString('base64'),
    IDENTIFIER_ENCRYPTION_KEY: existsSync(keyFile)
      ? readFileSync(keyFile, 'utf8').trim()
      : randomBytes(32).toString('base64'),
    DATABASE_APP_PASSWORD: 'hips-app-local',
    DATABASE_ANALYTICS_PASSWORD: 'hips-analytics-local',
    SQL_LOG_FILE: '',
    SCHEMA_FILE: '',
    // The suite allows loopback webhook receivers; production refuses to start with that.
    WEBHOOK_ALLOW_LOOPBACK: 'false',
  };
}

/** A second, built API process with NODE_ENV=production on the suite's database. Stop it with stopProcess. */
export async function startProductionApi(): Promise<{ api: RunningProcess; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const api = startProcess('dist/apps/api/src/main.js', { ...productionEnv(), PORT: String(port) });
  await waitForHttp(`${url}/health/live`, api);
  return { api, url };
}
