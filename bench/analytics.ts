/**
 * npm run bench:analytics [-- --escalations N] [--runs R] [--skip-rebuild]
 *
 * At N synthetic cases (default 1,000,000) in a database of its own (BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/hips_bench_analytics; cases are added until there are N), rebuilds the
 * analytics read model, starts the built API, and measures p50/p95 of three representative escalationTrends
 * queries over HTTP (GraphQL, as the HIPS_ANALYST) and of the equivalent plain SQL aggregates over the case
 * tables (as the owner). Writes bench/results/analytics.md, keeping its History section. --skip-rebuild keeps the
 * read model as it is (when nothing changed since the last rebuild).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { loadConfig, withDevelopmentSecrets } from '@hips/config';
import { createOwnerDataSource, migrate } from '@hips/database';
import { hashPassword } from '@hips/directory';
import { rebuildReadModel } from '../scripts/analytics-rebuild';
import { seedDemo } from '../scripts/demo-data';
import { generateSyntheticCases, progressBar } from '../scripts/synthetic-data';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1].replace(/_/g, '')) : fallback;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];

async function time(runs: number, work: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await work(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95) };
}

const TRENDS = `query($input: EscalationTrendsInput!) { escalationTrends(input: $input) { suppressionThreshold
  buckets { periodStart dimensions { dimension value } raised { value display } resolved { value display }
  breachedStages { value display } medianWorkingDaysToResolution p90WorkingDaysToResolution } } }`;

async function main(): Promise<void> {
  const target = arg('escalations', 1_000_000);
  const runs = arg('runs', 20);
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hips_bench_analytics';
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: url,
    DATA_DIR: '.data/bench',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    SCHEMA_FILE: '',
    SQL_LOG_FILE: '',
  };
  Object.assign(process.env, env);
  const config = loadConfig(withDevelopmentSecrets(process.env));
  await migrate(config);
  const owner = createOwnerDataSource(config.databaseUrl);
  await owner.initialize();
  const [{ people }] = await owner.query('select count(*)::int as people from people');
  if (people === 0)
    await owner.transaction(async (em) => seedDemo(em, await hashPassword(config.demoPassword)));
  const [{ existing }] = await owner.query('select count(*)::int as existing from escalations');
  const end = new Date();
  if (existing < target) {
    const started = Date.now();
    await generateSyntheticCases(owner, {
      count: target - existing,
      seed: existing + 1,
      end,
      start: new Date(end.getTime() - 4 * 365 * 86_400_000),
      onProgress: progressBar('cases  '),
    });
    const rate = Math.round((target - existing) / ((Date.now() - started) / 1000));
    process.stdout.write(`seeded ${target - existing} cases at ${rate} cases/s\n`);
  }
  const rebuildStarted = Date.now();
  const skipRebuild = process.argv.includes('--skip-rebuild');
  const cases = skipRebuild
    ? ((await owner.query('select count(*)::int as n from escalations'))[0].n as number)
    : await rebuildReadModel(config);
  const rebuildSeconds = (Date.now() - rebuildStarted) / 1000;
  const { cpus, loadavg } = await import('node:os');
  const loadBefore = loadavg();

  const api = spawn(process.execPath, ['dist/apps/api/src/main.js'], { env, stdio: 'ignore' });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (i > 300) throw new Error('the API did not start');
      if (
        await fetch(`${base}/health/live`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const post = async (body: unknown, token?: string) => {
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as { data?: any; errors?: unknown };
      if (json.errors) throw new Error(JSON.stringify(json.errors));
      return json.data;
    };
    const login = await post({
      query: `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`,
      variables: { i: { email: 'analyst@demo.hips.test', password: config.demoPassword } },
    });
    const token: string = login.login.accessToken;
    const to = end.toISOString().slice(0, 10);
    const from = `${Number(to.slice(0, 4)) - 3}-01-01`;
    const all = ['HAMPSHIRE', 'ISLE_OF_WIGHT', 'PORTSMOUTH', 'SOUTHAMPTON'];
    const scenarios = [
      {
        name: 'HIPS-wide by month (4 partnerships, no grouping)',
        input: { partnerships: all, from, to, interval: 'MONTH' },
        sql: `select date_trunc('month', e.raised_at at time zone 'Europe/London') as period, count(distinct e.id),
                count(s.id) filter (where s.breached_at is not null)
                from escalations e left join escalation_stages s on s.escalation_id = e.id
               where e.raised_at >= $1 and e.raised_at < $2::date + 1 group by 1 order by 1`,
      },
      {
        name: 'Hampshire by quarter × category',
        input: { partnerships: ['HAMPSHIRE'], from, to, interval: 'QUARTER', groupBy: ['CATEGORY'] },
        sql: `select date_trunc('quarter', e.raised_at at time zone 'Europe/London') as period, e.category, count(*),
                count(*) filter (where e.status in ('RESOLVED', 'CLOSED_BY_PARTNERSHIP')),
                percentile_cont(0.5) within group (order by extract(epoch from e.closed_at - e.raised_at) / 86400)
                from escalations e join partnerships p on p.id = e.partnership_id
               where p.code = 'HAMPSHIRE' and raised_at >= $1 and raised_at < $2::date + 1 group by 1, 2 order by 1, 2`,
      },
      {
        name: 'HIPS-wide by year × raising × responding agency type',
        input: {
          partnerships: all,
          from,
          to,
          interval: 'YEAR',
          groupBy: ['RAISING_AGENCY_TYPE', 'RESPONDING_AGENCY_TYPE'],
        },
        sql: `select date_trunc('year', e.raised_at at time zone 'Europe/London') as period, ra.type, rs.type, count(*),
                percentile_cont(0.9) within group (order by extract(epoch from e.closed_at - e.raised_at) / 86400)
                from escalations e join agencies ra on ra.id = e.raising_agency_id
                join agencies rs on rs.id = e.responding_agency_id
               where raised_at >= $1 and raised_at < $2::date + 1 group by 1, 2, 3 order by 1, 2, 3`,
      },
    ];
    const lines: string[] = [];
    for (const s of scenarios) {
      const buckets = (await post({ query: TRENDS, variables: { input: s.input } }, token)).escalationTrends
        .buckets.length;
      const gql = await time(runs, () => post({ query: TRENDS, variables: { input: s.input } }, token));
      const sql = await time(runs, () => owner.query(s.sql, [from, to]));
      lines.push(
        `| ${s.name} | ${buckets} | ${gql.p50.toFixed(1)} | ${gql.p95.toFixed(1)} | ${sql.p50.toFixed(1)} | ${sql.p95.toFixed(1)} |`,
      );
      process.stdout.write(`${lines[lines.length - 1]}\n`);
    }
    const loadAfter = loadavg();
    const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' / ');
    const resultsFile = resolve('bench/results/analytics.md');
    const previous = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
    const history = previous.includes('\n## History\n')
      ? previous.slice(previous.indexOf('\n## History\n') + 1)
      : '## History\n';
    const report = `# Analytics benchmark

Generated by \`npm run bench:analytics -- --escalations ${target} --runs ${runs}${skipRebuild ? ' --skip-rebuild' : ''}\` on ${new Date().toISOString().slice(0, 10)}
(${cases.toLocaleString('en-GB')} cases in the database; ${process.platform}, ${cpus().length} CPUs, Node ${process.version}).
${skipRebuild ? 'The read model was not rebuilt in this run (--skip-rebuild).' : `The read model was rebuilt from scratch in ${rebuildSeconds.toFixed(1)} s (${Math.round(cases / rebuildSeconds).toLocaleString('en-GB')} cases/s).`}
Load average (1 / 5 / 15 min) at the start of the measurements: ${load(loadBefore)}; at the end: ${load(loadAfter)}.

- **GraphQL**: \`escalationTrends\` over HTTP against the built API (\`dist/\`), as the \`HIPS_ANALYST\`, through the
  analytics read path (hips_analytics, aggregate tables only), including disclosure control (suppression of
  raised, resolved and breachedStages) and percentiles. One warm-up, then ${runs} runs each.
- **Plain SQL**: a comparable aggregate straight over the case tables as the owner (what an analyst could not
  do: no row-level security, no disclosure control, calendar days instead of working days).
- Range: ${from} to ${to}.

| query | buckets | GraphQL p50 ms | GraphQL p95 ms | plain SQL p50 ms | plain SQL p95 ms |
| --- | ---: | ---: | ---: | ---: | ---: |
${lines.join('\n')}

${history}`;
    writeFileSync(resultsFile, report);
    process.stdout.write('wrote bench/results/analytics.md\n');
  } finally {
    api.kill('SIGTERM');
    await owner.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
