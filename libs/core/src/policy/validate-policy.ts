import {
  MAX_STAGE_NUMBER,
  MAX_STAGE_WORKING_DAYS,
  MIN_STAGE_WORKING_DAYS,
  REFLECTIVE_STAGE_NUMBER,
} from './ladder';
import {
  isBreachAction,
  isStageRole,
  STAGE_ROLES,
  type PolicyViolation,
  type StagePolicy,
  type StagePolicyInput,
} from './types';

const STAGES_PATH = ['input', 'stages'];

function days(n: number): string {
  return `${n} working day${n === 1 ? '' : 's'}`;
}

function isWholeIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/**
 * Checks a policy draft before it is saved (GraphQL `saveEscalationPolicyDraft`), returning every
 * problem found (empty when valid) as user errors with paths into the input.
 *
 * Any policy (VALIDATION): at least one stage; stage numbers whole, 0..MAX_STAGE_NUMBER, unique and
 * contiguous from 0 or 1 (array order does not matter); role type a stage role, not a platform role;
 * standard working days whole 1..60; urgent whole 1..60, or 0 for stage 0 only (skipped when urgent);
 * breach action, when given, one of the enum values.
 *
 * An agency policy, i.e. `base` (the partnership's published policy of the same type) given
 * (POLICY_VIOLATION, docs/procedure.md §3): no partnership stage may be dropped, and neither standard nor
 * urgent days may exceed the partnership's for that stage. Shorter timescales and a different role
 * type (the agency's own structure) are allowed. Internal extra steps are out of scope here: a stage
 * number the partnership policy lacks is rejected rather than modelled as an agency-only step.
 */
export function validatePolicyDraft(
  stages: readonly StagePolicyInput[],
  base: readonly StagePolicy[] | null,
): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  const invalid = (field: string[], message: string): void => {
    violations.push({ code: 'VALIDATION', field, message });
  };
  const breach = (field: string[], message: string): void => {
    violations.push({ code: 'POLICY_VIOLATION', field, message });
  };
  const baseByNumber = new Map((base ?? []).map((s) => [s.number, s] as const));

  if (stages.length === 0) invalid(STAGES_PATH, 'a policy needs at least one stage');

  const numbers = new Set<number>();
  stages.forEach((input, index) => {
    const at = (field: keyof StagePolicyInput): string[] => [...STAGES_PATH, String(index), field];
    const { number } = input;
    const numberValid = isWholeIn(number, 0, MAX_STAGE_NUMBER);
    const partnershipStage = numberValid ? baseByNumber.get(number) : undefined;
    const name = input.name?.trim() || partnershipStage?.name;
    const label = numberValid
      ? `stage ${number}${name ? ` (${name})` : ''}`
      : `stage at position ${index + 1}`;

    if (!numberValid) {
      invalid(
        at('number'),
        `stage number must be a whole number from 0 to ${MAX_STAGE_NUMBER}, got ${number}`,
      );
    } else if (numbers.has(number)) {
      invalid(at('number'), `stage ${number} appears more than once`);
    } else {
      numbers.add(number);
    }

    if (!isStageRole(input.roleType)) {
      invalid(
        at('roleType'),
        `${label}: ${String(input.roleType)} is not a stage role (use one of ${STAGE_ROLES.join(', ')})`,
      );
    }

    const standardValid = isWholeIn(
      input.standardWorkingDays,
      MIN_STAGE_WORKING_DAYS,
      MAX_STAGE_WORKING_DAYS,
    );
    if (!standardValid) {
      invalid(
        at('standardWorkingDays'),
        `${label}: standard working days must be a whole number from ${MIN_STAGE_WORKING_DAYS} to ${MAX_STAGE_WORKING_DAYS}`,
      );
    }

    // Urgent 0 means "skipped when urgent", which only makes sense for the optional reflective step.
    const urgentMin = number === REFLECTIVE_STAGE_NUMBER ? 0 : MIN_STAGE_WORKING_DAYS;
    const urgentValid = isWholeIn(input.urgentWorkingDays, urgentMin, MAX_STAGE_WORKING_DAYS);
    if (!urgentValid) {
      invalid(
        at('urgentWorkingDays'),
        `${label}: urgent working days must be a whole number from ${urgentMin} to ${MAX_STAGE_WORKING_DAYS}` +
          (urgentMin === 0 ? '' : ' (only stage 0 may be 0, meaning skipped)'),
      );
    }

    if (input.breachAction != null && !isBreachAction(input.breachAction)) {
      invalid(at('breachAction'), `${label}: ${String(input.breachAction)} is not a breach action`);
    }

    if (!base || !numberValid) return;
    if (!partnershipStage) {
      breach(
        at('number'),
        `stage ${number} is not a stage of the partnership policy (internal extra steps are not supported)`,
      );
      return;
    }
    // An agency may only shorten the partnership's timescales (docs/procedure.md §3).
    if (standardValid && input.standardWorkingDays > partnershipStage.standardWorkingDays) {
      breach(
        at('standardWorkingDays'),
        `${label}: ${days(input.standardWorkingDays)} is longer than the partnership's ${partnershipStage.standardWorkingDays}`,
      );
    }
    if (urgentValid && input.urgentWorkingDays > partnershipStage.urgentWorkingDays) {
      breach(
        at('urgentWorkingDays'),
        `${label}: urgent ${days(input.urgentWorkingDays)} is longer than the partnership's ${partnershipStage.urgentWorkingDays}` +
          (partnershipStage.urgentWorkingDays === 0 ? ' (skipped when urgent)' : ''),
      );
    }
  });

  if (numbers.size > 0) {
    // Gaps that are partnership stages are reported once, below, as dropped stages.
    const first = numbers.has(0) ? 0 : 1;
    const last = Math.max(...numbers);
    for (let n = first; n <= last; n += 1) {
      if (!numbers.has(n) && !baseByNumber.has(n)) {
        invalid(STAGES_PATH, `stage numbers must run without gaps from 0 or 1: stage ${n} is missing`);
      }
    }
  }
  for (const partnershipStage of base ?? []) {
    if (!numbers.has(partnershipStage.number)) {
      breach(
        STAGES_PATH,
        `stage ${partnershipStage.number} (${partnershipStage.name}) of the partnership policy cannot be dropped`,
      );
    }
  }

  return violations;
}
