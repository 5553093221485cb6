import {
  defaultLadder,
  STAGE_ROLES,
  stageWorkingDays,
  toStagePolicy,
  validatePolicyDraft,
  type StagePolicy,
  type StagePolicyInput,
} from '@hips/core';

const general = defaultLadder('GENERAL', 'Rethink');
const asInput = (stages: readonly StagePolicy[]): StagePolicyInput[] =>
  stages.map(({ number, name, roleType, standardWorkingDays, urgentWorkingDays, breachAction }) => ({
    number,
    name,
    roleType,
    standardWorkingDays,
    urgentWorkingDays,
    breachAction,
  }));
const withStage = (
  stages: StagePolicyInput[],
  number: number,
  patch: Partial<StagePolicyInput>,
): StagePolicyInput[] => stages.map((s) => (s.number === number ? { ...s, ...patch } : s));

describe('defaultLadder', () => {
  it('GENERAL follows docs/procedure.md §3', () => {
    expect(
      general.map((s) => [s.number, s.name, s.roleType, s.standardWorkingDays, s.urgentWorkingDays]),
    ).toEqual([
      [0, 'Rethink', 'PRACTITIONER', 10, 0],
      [1, 'Practitioner to practitioner', 'PRACTITIONER', 5, 1],
      [2, 'Line manager / safeguarding lead', 'LINE_MANAGER', 5, 1],
      [3, 'Senior manager', 'SENIOR_MANAGER', 5, 1],
      [4, 'Partnership', 'PARTNERSHIP_MANAGER', 10, 2],
    ]);
    expect(general.every((s) => s.breachAction === 'NOTIFY')).toBe(true);
    expect(general.map((s) => s.breaches)).toEqual([false, true, true, true, true]);
  });

  it('names stage 0 after the partnership reflective step', () => {
    expect(defaultLadder('GENERAL', 'Reflecting Teams')[0].name).toBe('Reflecting Teams');
    expect(defaultLadder('GENERAL', '  ')[0].name).toBe('Reflective step');
  });

  it('CPC_DISSENT has four stages of 5 WD each', () => {
    const cpc = defaultLadder('CPC_DISSENT', 'Rethink');
    expect(
      cpc.map((s) => [s.number, s.name, s.roleType, s.standardWorkingDays, s.urgentWorkingDays]),
    ).toEqual([
      [1, 'Conference chair review', 'SAFEGUARDING_LEAD', 5, 1],
      [2, "Chair's manager", 'LINE_MANAGER', 5, 1],
      [3, 'Head of service', 'SENIOR_MANAGER', 5, 1],
      [4, 'Partnership', 'PARTNERSHIP_MANAGER', 5, 1],
    ]);
    expect(cpc.every((s) => s.breaches)).toBe(true);
  });

  it('uses only stage roles, and both default ladders validate', () => {
    for (const ladder of [general, defaultLadder('CPC_DISSENT', 'x')]) {
      expect(ladder.every((s) => (STAGE_ROLES as readonly string[]).includes(s.roleType))).toBe(true);
      expect(validatePolicyDraft(asInput(ladder), null)).toEqual([]);
      expect(validatePolicyDraft(asInput(ladder), ladder)).toEqual([]);
    }
  });
});

describe('stageWorkingDays and toStagePolicy', () => {
  it('skips stage 0 when urgent', () => {
    expect(stageWorkingDays(general[0], 'STANDARD')).toBe(10);
    expect(stageWorkingDays(general[0], 'URGENT')).toBeNull();
    expect(stageWorkingDays(general[4], 'URGENT')).toBe(2);
  });

  it('fills the name from the partnership stage and defaults the breach action', () => {
    const stage = toStagePolicy(
      { number: 2, name: ' ', roleType: 'SAFEGUARDING_LEAD', standardWorkingDays: 3, urgentWorkingDays: 1 },
      general,
    );
    expect(stage).toEqual({
      number: 2,
      name: 'Line manager / safeguarding lead',
      roleType: 'SAFEGUARDING_LEAD',
      standardWorkingDays: 3,
      urgentWorkingDays: 1,
      breachAction: 'NOTIFY',
      breaches: true,
    });
    expect(toStagePolicy({ ...stage, number: 7, name: null }).name).toBe('Stage 7');
    expect(toStagePolicy({ ...stage, number: 0 }).breaches).toBe(false);
  });
});

describe('validatePolicyDraft: any policy', () => {
  const draft = asInput(general);

  it('needs at least one stage', () => {
    expect(validatePolicyDraft([], null)).toEqual([
      { code: 'VALIDATION', field: ['input', 'stages'], message: 'a policy needs at least one stage' },
    ]);
  });

  it('accepts stages in any order, starting at 1', () => {
    expect(validatePolicyDraft([...draft.slice(1)].reverse(), null)).toEqual([]);
  });

  it('rejects duplicate stage numbers', () => {
    const violations = validatePolicyDraft([...draft, { ...draft[2] }], null);
    expect(violations).toEqual([
      {
        code: 'VALIDATION',
        field: ['input', 'stages', '5', 'number'],
        message: 'stage 2 appears more than once',
      },
    ]);
  });

  it('rejects gaps and a start above 1', () => {
    expect(
      validatePolicyDraft(
        draft.filter((s) => s.number !== 2),
        null,
      ),
    ).toEqual([
      {
        code: 'VALIDATION',
        field: ['input', 'stages'],
        message: 'stage numbers must run without gaps from 0 or 1: stage 2 is missing',
      },
    ]);
    expect(
      validatePolicyDraft(
        draft.filter((s) => s.number >= 2),
        null,
      ).map((v) => v.message),
    ).toEqual(['stage numbers must run without gaps from 0 or 1: stage 1 is missing']);
  });

  it.each([-1, 1.5, 21, Number.NaN])('rejects stage number %p', (number) => {
    const violations = validatePolicyDraft(
      [{ number, roleType: 'PRACTITIONER', standardWorkingDays: 5, urgentWorkingDays: 1 }],
      null,
    );
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'stages', '0', 'number'] });
  });

  it.each([0, 61, 2.5])('rejects %p standard working days', (standardWorkingDays) => {
    expect(validatePolicyDraft(withStage(draft, 3, { standardWorkingDays }), null)).toEqual([
      {
        code: 'VALIDATION',
        field: ['input', 'stages', '3', 'standardWorkingDays'],
        message: 'stage 3 (Senior manager): standard working days must be a whole number from 1 to 60',
      },
    ]);
  });

  it('accepts the bounds 1 and 60', () => {
    expect(
      validatePolicyDraft(withStage(draft, 3, { standardWorkingDays: 60, urgentWorkingDays: 60 }), null),
    ).toEqual([]);
    expect(
      validatePolicyDraft(withStage(draft, 0, { standardWorkingDays: 1, urgentWorkingDays: 1 }), null),
    ).toEqual([]);
  });

  it('allows urgent 0 only for stage 0', () => {
    expect(validatePolicyDraft(withStage(draft, 0, { urgentWorkingDays: 0 }), null)).toEqual([]);
    expect(validatePolicyDraft(withStage(draft, 1, { urgentWorkingDays: 0 }), null)).toEqual([
      {
        code: 'VALIDATION',
        field: ['input', 'stages', '1', 'urgentWorkingDays'],
        message:
          'stage 1 (Practitioner to practitioner): urgent working days must be a whole number from 1 to 60 (only stage 0 may be 0, meaning skipped)',
      },
    ]);
    expect(validatePolicyDraft(withStage(draft, 0, { urgentWorkingDays: -1 }), null)[0].field).toEqual([
      'input',
      'stages',
      '0',
      'urgentWorkingDays',
    ]);
  });

  it.each(['AGENCY_ADMIN', 'PARTNERSHIP_ADMIN', 'ANALYST', 'HIPS_ANALYST', 'SCRUTINEER'] as const)(
    'rejects the platform role %s as a stage role',
    (roleType) => {
      const violations = validatePolicyDraft(withStage(draft, 2, { roleType }), null);
      expect(violations).toHaveLength(1);
      expect(violations[0]).toMatchObject({
        code: 'VALIDATION',
        field: ['input', 'stages', '2', 'roleType'],
      });
      expect(violations[0].message).toContain(`${roleType} is not a stage role`);
    },
  );

  it('rejects an unknown breach action from untyped input', () => {
    const stages = withStage(draft, 1, { breachAction: 'EXPLODE' as never });
    expect(validatePolicyDraft(stages, null)).toEqual([
      {
        code: 'VALIDATION',
        field: ['input', 'stages', '1', 'breachAction'],
        message: 'stage 1 (Practitioner to practitioner): EXPLODE is not a breach action',
      },
    ]);
  });
});

describe('validatePolicyDraft: an agency policy against the partnership default', () => {
  const draft = asInput(general);

  it('accepts shorter timescales, a renamed stage and a different role', () => {
    const stages = withStage(
      withStage(draft, 2, { roleType: 'SAFEGUARDING_LEAD', name: 'DSL', standardWorkingDays: 3 }),
      4,
      {
        urgentWorkingDays: 1,
      },
    );
    expect(validatePolicyDraft(stages, general)).toEqual([]);
  });

  it('names a dropped partnership stage', () => {
    expect(
      validatePolicyDraft(
        draft.filter((s) => s.number !== 3),
        general,
      ),
    ).toEqual([
      {
        code: 'POLICY_VIOLATION',
        field: ['input', 'stages'],
        message: 'stage 3 (Senior manager) of the partnership policy cannot be dropped',
      },
    ]);
    expect(
      validatePolicyDraft(
        draft.filter((s) => s.number !== 0 && s.number !== 4),
        general,
      ),
    ).toEqual([
      {
        code: 'POLICY_VIOLATION',
        field: ['input', 'stages'],
        message: 'stage 0 (Rethink) of the partnership policy cannot be dropped',
      },
      {
        code: 'POLICY_VIOLATION',
        field: ['input', 'stages'],
        message: 'stage 4 (Partnership) of the partnership policy cannot be dropped',
      },
    ]);
  });

  it('rejects longer standard and urgent timescales', () => {
    expect(
      validatePolicyDraft(withStage(draft, 2, { standardWorkingDays: 7, urgentWorkingDays: 2 }), general),
    ).toEqual([
      {
        code: 'POLICY_VIOLATION',
        field: ['input', 'stages', '2', 'standardWorkingDays'],
        message:
          "stage 2 (Line manager / safeguarding lead): 7 working days is longer than the partnership's 5",
      },
      {
        code: 'POLICY_VIOLATION',
        field: ['input', 'stages', '2', 'urgentWorkingDays'],
        message:
          "stage 2 (Line manager / safeguarding lead): urgent 2 working days is longer than the partnership's 1",
      },
    ]);
  });

  it('does not let an agency run the reflective step when the partnership skips it for urgent cases', () => {
    expect(validatePolicyDraft(withStage(draft, 0, { urgentWorkingDays: 1 }), general)).toEqual([
      {
        code: 'POLICY_VIOLATION',
        field: ['input', 'stages', '0', 'urgentWorkingDays'],
        message:
          "stage 0 (Rethink): urgent 1 working day is longer than the partnership's 0 (skipped when urgent)",
      },
    ]);
  });

  it('rejects stages the partnership policy does not have (internal steps are out of scope)', () => {
    const extra = {
      number: 5,
      roleType: 'SENIOR_MANAGER',
      standardWorkingDays: 5,
      urgentWorkingDays: 1,
    } as const;
    expect(validatePolicyDraft([...draft, extra], general)).toEqual([
      {
        code: 'POLICY_VIOLATION',
        field: ['input', 'stages', '5', 'number'],
        message: 'stage 5 is not a stage of the partnership policy (internal extra steps are not supported)',
      },
    ]);
  });

  it('checks a CPC dissent policy against the CPC ladder', () => {
    const cpc = defaultLadder('CPC_DISSENT', 'Rethink');
    expect(validatePolicyDraft(withStage(asInput(cpc), 4, { standardWorkingDays: 10 }), cpc)).toEqual([
      {
        code: 'POLICY_VIOLATION',
        field: ['input', 'stages', '3', 'standardWorkingDays'],
        message: "stage 4 (Partnership): 10 working days is longer than the partnership's 5",
      },
    ]);
  });
});
