import { toStagePolicy } from './ladder';
import type { PolicyViolation, RoleType, StagePolicy, StagePolicyInput } from './types';
import { validatePolicyDraft } from './validate-policy';

/**
 * The escalation_policies `type` of an agency's internal ladder (docs/decisions/0010-internal-ladders.md): stored
 * beside the agency's multi-agency policies, versioned and drafted the same way, but never a partnership default
 * and never one of the GraphQL `EscalationType` values a case is raised under.
 */
export const INTERNAL_LADDER_TYPE = 'INTERNAL' as const;

/** Stage roles of an internal ladder, least senior first; the partnership's own roles are outside an agency. */
export const INTERNAL_LADDER_ROLES = [
  'PRACTITIONER',
  'LINE_MANAGER',
  'SAFEGUARDING_LEAD',
  'SENIOR_MANAGER',
] as const satisfies readonly RoleType[];

const LADDER_NAMES: Record<string, readonly [string, string, string, string]> = {
  POLICE: ['Officer to officer', 'Sergeant', 'Force safeguarding lead', 'Superintendent'],
  EDUCATION: [
    'Staff member to staff member',
    'Key stage lead',
    'Designated safeguarding lead',
    'Headteacher',
  ],
  EARLY_YEARS: [
    'Practitioner to practitioner',
    'Room leader',
    'Designated safeguarding lead',
    'Setting manager',
  ],
  HEALTH_PROVIDER: [
    'Clinician to clinician',
    'Team leader',
    'Named nurse / named doctor',
    'Head of safeguarding',
  ],
  HEALTH_COMMISSIONER: [
    'Practitioner to practitioner',
    'Line manager',
    'Designated professional',
    'Director of nursing',
  ],
  GENERAL_PRACTICE: [
    'Clinician to clinician',
    'Practice manager',
    'Practice safeguarding lead',
    'Senior partner',
  ],
  CHILDRENS_SOCIAL_CARE: [
    'Social worker to social worker',
    'Team manager',
    'Principal social worker',
    'Head of service',
  ],
};
const GENERIC_NAMES = [
  'Practitioner to practitioner',
  'Line manager',
  'Safeguarding lead',
  'Senior manager',
] as const;

/**
 * The editable default internal ladder for an agency type (docs/procedure.md, "Internal escalation policies"):
 * practitioner → line manager → safeguarding lead → senior manager, named as the agency type usually names them;
 * 5 working days a stage (urgent 1), each breach notifying and recommending the next stage, the last only notifying.
 */
export function defaultInternalLadder(agencyType: string): StagePolicy[] {
  const names = LADDER_NAMES[agencyType] ?? GENERIC_NAMES;
  return INTERNAL_LADDER_ROLES.map((roleType, index) =>
    toStagePolicy({
      number: index + 1,
      name: names[index],
      roleType,
      standardWorkingDays: 5,
      urgentWorkingDays: 1,
      breachAction: index === INTERNAL_LADDER_ROLES.length - 1 ? 'NOTIFY' : 'RECOMMEND_ESCALATION',
    }),
  );
}

const STAGES_PATH = ['input', 'stages'];

function seniority(roleType: RoleType): number {
  return (INTERNAL_LADDER_ROLES as readonly RoleType[]).indexOf(roleType);
}

/**
 * Checks an internal ladder draft: every rule of any policy (validatePolicyDraft with no partnership base),
 * then, as VALIDATION errors with paths into the input, the internal ones: at least two stages; no reflective
 * stage 0 (numbers run from 1); roles from INTERNAL_LADDER_ROLES, never falling in seniority up the ladder;
 * and (POLICY_VIOLATION) the last stage may not AUTO_ESCALATE, since nothing inside the agency lies beyond it —
 * leaving the agency is the owner's decision, not a breach action.
 */
export function validateInternalLadder(stages: readonly StagePolicyInput[]): PolicyViolation[] {
  const violations = validatePolicyDraft(stages, null);
  const invalid = (field: string[], message: string): void => {
    violations.push({ code: 'VALIDATION', field, message });
  };
  if (stages.length < 2) invalid(STAGES_PATH, 'an internal ladder needs at least two stages');

  const ordered = stages
    .map((stage, index) => ({ stage, index }))
    .sort((a, b) => a.stage.number - b.stage.number);
  let previous: { rank: number; number: number } | null = null;
  for (const { stage, index } of ordered) {
    const at = (field: keyof StagePolicyInput): string[] => [...STAGES_PATH, String(index), field];
    if (stage.number === 0) invalid(at('number'), 'an internal ladder has no reflective stage 0');
    const rank = seniority(stage.roleType);
    if (rank < 0) {
      invalid(
        at('roleType'),
        `stage ${stage.number}: ${String(stage.roleType)} is not an agency role (use one of ${INTERNAL_LADDER_ROLES.join(', ')})`,
      );
      continue;
    }
    if (previous && rank < previous.rank) {
      invalid(
        at('roleType'),
        `stage ${stage.number}: ${stage.roleType} is less senior than stage ${previous.number}'s role`,
      );
    }
    previous = { rank, number: stage.number };
  }
  const last = ordered[ordered.length - 1];
  if (last && last.stage.breachAction === 'AUTO_ESCALATE') {
    violations.push({
      code: 'POLICY_VIOLATION',
      field: [...STAGES_PATH, String(last.index), 'breachAction'],
      message: `stage ${last.stage.number}: the last stage of an internal ladder cannot escalate automatically`,
    });
  }
  return violations;
}
