import type { EscalationType, RoleType, StagePolicy, StagePolicyInput, Urgency } from './types';

/** Bounds for a stage's working days in any policy (urgent may also be 0 for stage 0: skipped). */
export const MIN_STAGE_WORKING_DAYS = 1;
export const MAX_STAGE_WORKING_DAYS = 60;
/** Sanity cap on stage numbers; the default ladders stop at 4. */
export const MAX_STAGE_NUMBER = 20;

// Procedure limits that are not per-policy (docs/procedure.md §3-§5), kept beside the ladder they govern.
/** A stage may be extended once, by up to this many working days. */
export const MAX_EXTENSION_WORKING_DAYS = 5;
/** A resolved case may be reopened within this many working days. */
export const REOPEN_WINDOW_WORKING_DAYS = 20;
/** A challenge may be back-dated (`challengedAt`) by at most this many working days. */
export const MAX_BACKDATE_WORKING_DAYS = 20;
/**
 * More calendar days back than this is always more than MAX_BACKDATE_WORKING_DAYS working days, so such a
 * `challengedAt` is refused without counting (counting walks day by day: year 1000 took seconds).
 */
export const MAX_BACKDATE_CALENDAR_DAYS = 366;
/** A CPC dissent must be raised within this many working days of the conference. */
export const CPC_DISSENT_RAISE_WINDOW_WORKING_DAYS = 3;

/** The stage number of the optional reflective step; it never breaches and is skipped when urgent. */
export const REFLECTIVE_STAGE_NUMBER = 0;

const DEFAULT_REFLECTIVE_STEP_NAME = 'Reflective step';

function stage(
  number: number,
  name: string,
  roleType: RoleType,
  standardWorkingDays: number,
  urgentWorkingDays: number,
): StagePolicy {
  return {
    number,
    name,
    roleType,
    standardWorkingDays,
    urgentWorkingDays,
    breachAction: 'NOTIFY',
    breaches: number !== REFLECTIVE_STAGE_NUMBER,
  };
}

/**
 * The partnership's default ladder (docs/procedure.md §3), used to seed each partnership's policy.
 *
 * GENERAL: 0 the partnership's reflective step (Rethink / Reflecting Teams / Professionals Meeting),
 * target 10 WD, never breaches, skipped when urgent (urgent 0); 1-3 practitioner, line manager,
 * senior manager, 5 WD (urgent 1); 4 partnership, 10 WD (urgent 2). Stage 2 defaults to LINE_MANAGER;
 * an agency may map it to SAFEGUARDING_LEAD in its own policy.
 *
 * CPC_DISSENT: "5 WD each" for all four stages; the spec gives no urgent figure, so urgent is 1 WD as
 * for stages 1-3 of the general ladder. Role choices (the spec names people, not role types):
 * 1 conference chair review → SAFEGUARDING_LEAD (dissent is raised by the agency's safeguarding lead /
 * named professional with the chair, a safeguarding specialist); 2 chair's manager → LINE_MANAGER
 * (one level up, below head of service); 3 head of service → SENIOR_MANAGER (docs/procedure.md §2 lists head
 * of service as a senior manager); 4 partnership → PARTNERSHIP_MANAGER.
 */
export function defaultLadder(type: EscalationType, reflectiveStepName: string): StagePolicy[] {
  if (type === 'CPC_DISSENT') {
    return [
      stage(1, 'Conference chair review', 'SAFEGUARDING_LEAD', 5, 1),
      stage(2, "Chair's manager", 'LINE_MANAGER', 5, 1),
      stage(3, 'Head of service', 'SENIOR_MANAGER', 5, 1),
      stage(4, 'Partnership', 'PARTNERSHIP_MANAGER', 5, 1),
    ];
  }
  return [
    stage(0, reflectiveStepName.trim() || DEFAULT_REFLECTIVE_STEP_NAME, 'PRACTITIONER', 10, 0),
    stage(1, 'Practitioner to practitioner', 'PRACTITIONER', 5, 1),
    stage(2, 'Line manager / safeguarding lead', 'LINE_MANAGER', 5, 1),
    stage(3, 'Senior manager', 'SENIOR_MANAGER', 5, 1),
    stage(4, 'Partnership', 'PARTNERSHIP_MANAGER', 10, 2),
  ];
}

/**
 * Completes a validated draft stage: a missing name comes from the same-numbered stage of `base`
 * (the partnership policy) or "Stage n"; breach action defaults to NOTIFY; stage 0 never breaches.
 */
export function toStagePolicy(
  input: StagePolicyInput,
  base: readonly StagePolicy[] | null = null,
): StagePolicy {
  const name =
    input.name?.trim() || base?.find((s) => s.number === input.number)?.name || `Stage ${input.number}`;
  return {
    number: input.number,
    name,
    roleType: input.roleType,
    standardWorkingDays: input.standardWorkingDays,
    urgentWorkingDays: input.urgentWorkingDays,
    breachAction: input.breachAction ?? 'NOTIFY',
    breaches: input.number !== REFLECTIVE_STAGE_NUMBER,
  };
}

/** Working days a stage runs for at this urgency, or null when the stage is skipped (urgent 0). */
export function stageWorkingDays(
  stage: Pick<StagePolicy, 'standardWorkingDays' | 'urgentWorkingDays'>,
  urgency: Urgency,
): number | null {
  if (urgency === 'STANDARD') return stage.standardWorkingDays;
  return stage.urgentWorkingDays === 0 ? null : stage.urgentWorkingDays;
}
