import { z } from 'zod';
import { databaseVariables } from './database.variables';
import { mailVariables, platformVariables } from './platform.variables';
import { securityVariables } from './security.variables';
import {
  type Default,
  type ConfigVariable,
  Deferred,
  type LoadFacts,
  REQUIRED,
  variableSchema,
} from './variable';
import { analyticsVariables, workerVariables } from './worker.variables';
import { webhookVariables } from './webhooks.variables';

/**
 * Every environment variable the platform reads, in the order problems are reported: its description, the
 * values it accepts and its default in each environment (docs/configuration.md is written from this table).
 * A variable derived from others comes after them.
 */
export const CONFIG_VARIABLES = {
  ...platformVariables,
  ...databaseVariables,
  ...securityVariables,
  ...mailVariables,
  ...workerVariables,
  ...analyticsVariables,
  ...webhookVariables,
};

export type ConfigValues = {
  [K in keyof typeof CONFIG_VARIABLES]: (typeof CONFIG_VARIABLES)[K] extends ConfigVariable<infer T>
    ? T
    : never;
};

/**
 * The zod schema of the whole environment for one environment and process: every variable parsed or defaulted
 * (all problems are issues of one parse), then the derived defaults filled in from the values they derive from.
 */
export function environmentSchema(facts: LoadFacts) {
  const shape = Object.fromEntries(
    Object.entries(CONFIG_VARIABLES).map(([name, spec]) => [
      name,
      variableSchema(name, spec as ConfigVariable<unknown>, facts),
    ]),
  );
  return z.object(shape).transform((parsed) => {
    const values: Record<string, unknown> = {};
    for (const name of Object.keys(CONFIG_VARIABLES)) {
      const value = parsed[name];
      values[name] =
        value instanceof Deferred ? value.resolve(values as unknown as ConfigValues, facts) : value;
    }
    return values as ConfigValues;
  });
}

/** One row per variable, for documentation: name, accepted values, default per environment, description. */
export interface VariableDescription {
  name: string;
  expected: string;
  default: string;
  description: string;
}

export function describeConfigVariables(): VariableDescription[] {
  return Object.entries(CONFIG_VARIABLES).map(([name, spec]) => ({
    name,
    expected: spec.expected,
    default: describeDefault((spec as ConfigVariable<unknown>).default),
    description: spec.description,
  }));
}

function describeDefault(fallback: Default<unknown>): string {
  const shown = (value: unknown): string => {
    if (value === REQUIRED) return 'required';
    if (value === null || (Array.isArray(value) && value.length === 0)) return 'unset';
    return typeof value === 'string' ? value : JSON.stringify(value);
  };
  switch (fallback.kind) {
    case 'fixed':
      return shown(fallback.value) || '(none)';
    case 'byEnvironment':
      return Object.entries(fallback.values)
        .map(([env, value]) => `${env}: ${shown(value)}`)
        .join('; ');
    case 'byRole':
      return Object.entries(fallback.values)
        .map(([role, value]) => `${role}: ${shown(value)}`)
        .join('; ');
    case 'required':
      return 'required';
    case 'derived':
      return fallback.explained;
  }
}
