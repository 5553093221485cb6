/**
 * `npm run test:mutation`: proves that the tests guarding children's data can fail (docs/testing/mutation-testing.md).
 *
 * In a temporary copy of the repository (the working tree is never touched), each mutant below changes one line of
 * the source or a migration, exactly as written; the spec(s) meant to catch it must then go red. First the same
 * specs must be green unmutated, or a red run would prove nothing. Prints a table; exits 1 when a mutant survives,
 * the baseline is red, or a replacement no longer matches the source (the mutant must be updated with the code).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

interface Mutant {
  name: string;
  file: string;
  from: string;
  to: string;
  /** Spec files, with the jest project they belong to. */
  specs: string[];
}

const RLS = 'test/tenancy/row-level-security.e2e-spec.ts';
const CHILD = 'test/escalations/child-visibility.e2e-spec.ts';
const READS = 'test/escalations/reads.e2e-spec.ts';
const TRENDS = 'libs/analytics/src/trends.property.spec.ts';
const SIGNING = 'libs/webhooks/src/signing.spec.ts';
const IDEMPOTENCY = 'libs/escalations/src/idempotency.spec.ts';
const RETENTION = 'test/retention/retention-batches.e2e-spec.ts';
const VISIBILITY = 'libs/escalations/src/access/case-visibility.policy.spec.ts';
const VISIBILITY_SQL = 'test/escalations/case-visibility-policy.e2e-spec.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'escalation tables: policy passes every row when no tenant is set',
    file: 'migrations/1795653296100-EscalationsTenancy.ts',
    from: 'using (partnership_id = (select app_current_partnership()))',
    to: 'using ((select app_current_partnership()) is null or partnership_id = (select app_current_partnership()))',
    specs: [RLS],
  },
  {
    name: 'escalation tables: row-level security not forced',
    file: 'migrations/1795653296100-EscalationsTenancy.ts',
    from: 'await q.query(`alter table ${table} force row level security`);',
    to: '',
    specs: [RLS],
  },
  {
    name: 'tenant set session-wide (set_config(..., false))',
    file: 'libs/database/src/tenant-db.ts',
    from: "set_config('app.partnership_id', $1, true)",
    to: "set_config('app.partnership_id', $1, false)",
    specs: [RLS],
  },
  {
    name: 'child shown to a viewer who may see the case but not the child',
    file: 'libs/escalations/src/api/visible-children.ts',
    from: 'if (!mayView) return null;',
    to: '',
    specs: [CHILD, READS],
  },
  {
    name: 'case visibility: the responding agency no longer sees its case',
    file: 'libs/escalations/src/access/case-visibility.policy.ts',
    from: "        { viewer: 'agencyId', is: 'respondingAgencyId' },\n",
    to: '',
    specs: [VISIBILITY, VISIBILITY_SQL, READS],
  },
  {
    name: 'medians and p90 reported from five cases',
    file: 'libs/analytics/src/trends.ts',
    from: 'export const MIN_PERCENTILE_COUNT = 6;',
    to: 'export const MIN_PERCENTILE_COUNT = 5;',
    specs: [TRENDS],
  },
  {
    name: 'webhook verifier accepts future timestamps',
    file: 'libs/webhooks/src/signing.ts',
    from: 'if (Math.abs(now - timestamp) > (opts.toleranceSeconds ?? 300)) return false;',
    to: 'if (now - timestamp > (opts.toleranceSeconds ?? 300)) return false;',
    specs: [SIGNING],
  },
  {
    name: 'webhook verifier accepts truncated signatures',
    file: 'libs/webhooks/src/signing.ts',
    from: 'return expected.length === given.length && timingSafeEqual(expected, given);',
    to: 'return given.length > 0 && timingSafeEqual(expected.subarray(0, given.length), given);',
    specs: [SIGNING],
  },
  {
    name: 'idempotency: a differing request under the same key accepted',
    file: 'libs/escalations/src/idempotency.ts',
    from: "if (stored !== null && stored !== fingerprint) return 'REUSED';",
    to: '',
    specs: [IDEMPOTENCY],
  },
  {
    name: 'idempotency: the unique index no longer turns a concurrent loser into a retry',
    file: 'libs/escalations/src/idempotency.ts',
    from: 'if (isUniqueViolation(error)) {',
    to: 'if (false as boolean) {',
    specs: [IDEMPOTENCY],
  },
  {
    name: 'retention: an undecryptable child stops the purge',
    file: 'libs/escalations/src/application/retention.service.ts',
    from: "logger?.error({ escalationId: row.id }, 'retention: a sealed child would not open; kept');\n        continue;",
    to: "logger?.error({ escalationId: row.id }, 'retention: a sealed child would not open; kept');\n        break;",
    specs: [RETENTION],
  },
  {
    name: 'retention: the purge stops after the first batch',
    file: 'libs/escalations/src/application/retention.service.ts',
    from: 'if (!batch) break;',
    to: 'break;',
    specs: [RETENTION],
  },
];

const root = resolve(__dirname, '..', '..');

/** Tracked and untracked (not ignored) files: the working tree as it is, uncommitted changes included. */
function copyWorkingTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hips-mutation-'));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root })
    .toString()
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(root, file), join(dir, file));
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function run(dir: string, command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

function build(dir: string): void {
  const result = run(dir, 'npm', ['run', 'build', '--silent']);
  if (!result.ok) throw new Error(`build failed:\n${result.output}`);
}

/** Runs one spec; returns null when green, else the names of its failing tests. */
function runSpec(dir: string, spec: string): string[] | null {
  const project = spec.startsWith('test/') ? 'e2e' : 'unit';
  const report = join(dir, '.data', `jest-${Date.now()}.json`);
  mkdirSync(dirname(report), { recursive: true });
  const result = run(dir, process.execPath, [
    'node_modules/jest/bin/jest.js',
    spec,
    '--runInBand',
    '--selectProjects',
    project,
    '--json',
    '--outputFile',
    report,
  ]);
  let parsed: { testResults: { assertionResults: { status: string; fullName: string }[] }[] };
  try {
    parsed = JSON.parse(readFileSync(report, 'utf8')) as typeof parsed;
  } catch {
    throw new Error(`jest did not report on ${spec}:\n${result.output.slice(-4000)}`);
  }
  const failed = parsed.testResults.flatMap((r) =>
    r.assertionResults.filter((a) => a.status === 'failed').map((a) => a.fullName),
  );
  if (result.ok) return null;
  // A suite that fails before its tests run (e.g. its setup) is red too, with no test named.
  return failed.length > 0
    ? failed
    : [`(suite failed: ${result.output.split('\n').find((l) => /●/.test(l)) ?? '?'})`];
}

function applyMutant(dir: string, m: Mutant): string {
  const path = join(dir, m.file);
  const original = readFileSync(path, 'utf8');
  const hits = original.split(m.from).length - 1;
  if (hits !== 1) {
    throw new Error(
      `mutant "${m.name}": expected its text exactly once in ${m.file}, found ${hits}: ${m.from}`,
    );
  }
  writeFileSync(path, original.replace(m.from, m.to));
  return original;
}

function main(): void {
  const only = process.argv.slice(2);
  const mutants = only.length ? MUTANTS.filter((m) => only.some((o) => m.name.includes(o))) : MUTANTS;
  const dir = copyWorkingTree();
  process.stdout.write(`mutation testing in ${dir}\n`);
  const rows: string[][] = [];
  let failures = 0;
  try {
    // Every replacement must still match before anything runs: a stale mutant is a failure of this script.
    for (const m of mutants) {
      const original = applyMutant(dir, m);
      writeFileSync(join(dir, m.file), original);
    }
    build(dir);
    const specs = [...new Set(mutants.flatMap((m) => m.specs))];
    for (const spec of specs) {
      const red = runSpec(dir, spec);
      process.stdout.write(`baseline ${spec}: ${red ? 'RED' : 'green'}\n`);
      if (red) throw new Error(`the baseline is red, so no mutant can be judged: ${spec}: ${red.join('; ')}`);
    }
    for (const m of mutants) {
      const original = applyMutant(dir, m);
      try {
        if (m.specs.some((s) => s.startsWith('test/'))) build(dir);
        const killers: string[] = [];
        for (const spec of m.specs) {
          const red = runSpec(dir, spec);
          if (red) killers.push(`${spec}: ${red[0]}`);
        }
        if (killers.length === 0) failures++;
        rows.push([m.name, m.file, killers.length ? `killed by ${killers.join('; ')}` : 'SURVIVED']);
        process.stdout.write(`${killers.length ? 'killed  ' : 'SURVIVED'} ${m.name}\n`);
      } finally {
        writeFileSync(join(dir, m.file), original);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write('\n| mutant | file | result |\n| --- | --- | --- |\n');
  for (const r of rows) process.stdout.write(`| ${r.join(' | ')} |\n`);
  if (failures > 0) {
    process.stdout.write(`\n${failures} mutant(s) survived\n`);
    process.exit(1);
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
