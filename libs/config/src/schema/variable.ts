import { z } from 'zod';
import type { NodeEnv, ProcessRole } from '../app-config';

/** What a default may depend on besides other variables: the environment and the process loading the config. */
export interface LoadFacts {
  nodeEnv: NodeEnv;
  role: ProcessRole;
}

/** A value no environment may default: the operator must set it (in development, see development-secrets.ts). */
export const REQUIRED = Symbol('required');

/**
 * The default of an unset (or empty) variable. `derived` defaults are computed from other variables' values once
 * every variable is valid; a derived default whose inputs are wrong adds no problem of its own.
 */
export type Default<T> =
  | { kind: 'fixed'; value: T }
  | { kind: 'byEnvironment'; values: Record<NodeEnv, T | typeof REQUIRED> }
  | { kind: 'byRole'; values: Record<ProcessRole, T> }
  | { kind: 'required' }
  | { kind: 'derived'; explained: string; value: (values: DerivedFrom, facts: LoadFacts) => T };

/** The variables other defaults are derived from (each declared before the variables derived from it). */
export interface DerivedFrom {
  DATABASE_URL: string;
  DATABASE_APP_PASSWORD: string;
  DATABASE_ANALYTICS_PASSWORD: string;
  PORT: number;
}

export const fixed = <T>(value: T): Default<T> => ({ kind: 'fixed', value });
export const byEnvironment = <T>(values: Record<NodeEnv, T | typeof REQUIRED>): Default<T> => ({
  kind: 'byEnvironment',
  values,
});
export const byRole = <T>(values: Record<ProcessRole, T>): Default<T> => ({ kind: 'byRole', values });
export const required: Default<never> = { kind: 'required' };
export const derived = <T>(
  explained: string,
  value: (values: DerivedFrom, facts: LoadFacts) => T,
): Default<T> => ({ kind: 'derived', explained, value });

/** One environment variable: its meaning, the values it accepts (in words and as a parser) and its default. */
export interface ConfigVariable<T> {
  description: string;
  /** The accepted values in words: every problem with the variable names them. */
  expected: string;
  /** Parses the variable's text; a failure makes it "malformed". */
  parse: z.ZodType<T, string>;
  default: Default<T>;
  /** A rule that depends on the environment: the message when the (valid) value is refused. */
  refuse?: (value: T, facts: LoadFacts) => string | undefined;
}

export const variable = <T>(spec: ConfigVariable<T>): ConfigVariable<T> => spec;

/** Stands for a derived default until every variable is known (load-config.ts resolves it). */
export class Deferred<T> {
  constructor(readonly resolve: (values: DerivedFrom, facts: LoadFacts) => T) {}
}

/**
 * The zod schema of one variable in one environment: its text (unset and empty alike mean "use the default"),
 * parsed, checked against the environment's rule, or its default. Every problem is one issue whose message is
 * the whole sentence an operator reads.
 */
export function variableSchema<T>(name: string, spec: ConfigVariable<T>, facts: LoadFacts) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T | Deferred<T> => {
      const problem = (message: string) => {
        ctx.addIssue({ code: 'custom', message, path: [name] });
        return z.NEVER;
      };
      if (raw === undefined || raw === '') {
        const fallback = defaultFor(spec.default, facts);
        return fallback === REQUIRED ? problem(requiredMessage(name, spec, facts)) : fallback;
      }
      const parsed = spec.parse.safeParse(raw);
      if (!parsed.success) return problem(`${name} is malformed: expected ${spec.expected}`);
      const refused = spec.refuse?.(parsed.data, facts);
      return refused ? problem(refused) : parsed.data;
    });
}

function requiredMessage<T>(name: string, spec: ConfigVariable<T>, facts: LoadFacts): string {
  return facts.nodeEnv === 'production'
    ? `${name} is required when NODE_ENV=production (expected ${spec.expected})`
    : `${name} is missing (expected ${spec.expected})`;
}

function defaultFor<T>(fallback: Default<T>, facts: LoadFacts): T | Deferred<T> | typeof REQUIRED {
  switch (fallback.kind) {
    case 'fixed':
      return fallback.value;
    case 'byEnvironment':
      return fallback.values[facts.nodeEnv];
    case 'byRole':
      return fallback.values[facts.role];
    case 'required':
      return REQUIRED;
    case 'derived':
      return new Deferred(fallback.value);
  }
}
