// String-literal unions spelled exactly as the enums in contract.graphql, so GraphQL enum values pass
// through untouched. The `as const` arrays let callers validate untyped input at run time.

export const ROLE_TYPES = [
  'PRACTITIONER',
  'LINE_MANAGER',
  'SAFEGUARDING_LEAD',
  'SENIOR_MANAGER',
  'PARTNERSHIP_MANAGER',
  'AGENCY_ADMIN',
  'PARTNERSHIP_ADMIN',
  'ANALYST',
  'HIPS_ANALYST',
  'SCRUTINEER',
] as const;
export type RoleType = (typeof ROLE_TYPES)[number];

/** Role types that can own a stage; the others are platform roles (administration, analytics, scrutiny). */
export const STAGE_ROLES = [
  'PRACTITIONER',
  'LINE_MANAGER',
  'SAFEGUARDING_LEAD',
  'SENIOR_MANAGER',
  'PARTNERSHIP_MANAGER',
] as const satisfies readonly RoleType[];
export type StageRoleType = (typeof STAGE_ROLES)[number];

export const BREACH_ACTIONS = ['NOTIFY', 'RECOMMEND_ESCALATION', 'AUTO_ESCALATE'] as const;
export type BreachAction = (typeof BREACH_ACTIONS)[number];

export const ESCALATION_TYPES = ['GENERAL', 'CPC_DISSENT'] as const;
export type EscalationType = (typeof ESCALATION_TYPES)[number];

export const URGENCIES = ['STANDARD', 'URGENT'] as const;
export type Urgency = (typeof URGENCIES)[number];

export function isRoleType(value: unknown): value is RoleType {
  return (ROLE_TYPES as readonly unknown[]).includes(value);
}

export function isStageRole(value: unknown): value is StageRoleType {
  return (STAGE_ROLES as readonly unknown[]).includes(value);
}

export function isBreachAction(value: unknown): value is BreachAction {
  return (BREACH_ACTIONS as readonly unknown[]).includes(value);
}

/** One rung of an escalation ladder (GraphQL `StagePolicy`, plus `breaches`). */
export interface StagePolicy {
  readonly number: number;
  readonly name: string;
  readonly roleType: RoleType;
  readonly standardWorkingDays: number;
  /** 0 only for stage 0, meaning the reflective step is skipped for urgent cases. */
  readonly urgentWorkingDays: number;
  readonly breachAction: BreachAction;
  /**
   * False for the reflective step (stage 0): its working days are a target that is reminded about but
   * never breached (docs/procedure.md §3). Not in the GraphQL type; derived from the stage number.
   */
  readonly breaches: boolean;
}

/** GraphQL `StagePolicyInput`, as received in a policy draft. */
export interface StagePolicyInput {
  readonly number: number;
  readonly name?: string | null;
  readonly roleType: RoleType;
  readonly standardWorkingDays: number;
  readonly urgentWorkingDays: number;
  readonly breachAction?: BreachAction | null;
}

/** A `UserError` in the GraphQL payload; `field` is the path into the mutation input. */
export interface PolicyViolation {
  readonly code: 'VALIDATION' | 'POLICY_VIOLATION';
  readonly field: string[];
  readonly message: string;
}
