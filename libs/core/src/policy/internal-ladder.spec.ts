import { defaultInternalLadder, validateInternalLadder, type StagePolicyInput } from '@hips/core';

const asInput = (agencyType = 'POLICE'): StagePolicyInput[] =>
  defaultInternalLadder(agencyType).map(
    ({ number, name, roleType, standardWorkingDays, urgentWorkingDays, breachAction }) => ({
      number,
      name,
      roleType,
      standardWorkingDays,
      urgentWorkingDays,
      breachAction,
    }),
  );
const fields = (stages: StagePolicyInput[]) =>
  validateInternalLadder(stages).map((v) => `${v.code} ${v.field.join('.')}`);

describe('internal ladders', () => {
  it.each(['POLICE', 'EDUCATION', 'HEALTH_PROVIDER', 'CHILDRENS_SOCIAL_CARE', 'OTHER'])(
    'the %s default climbs practitioner to senior manager and is valid',
    (agencyType) => {
      const ladder = defaultInternalLadder(agencyType);
      expect(ladder.map((s) => s.roleType)).toEqual([
        'PRACTITIONER',
        'LINE_MANAGER',
        'SAFEGUARDING_LEAD',
        'SENIOR_MANAGER',
      ]);
      expect(ladder.every((s) => s.breaches)).toBe(true);
      expect(ladder[3].breachAction).toBe('NOTIFY');
      expect(validateInternalLadder(asInput(agencyType))).toEqual([]);
    },
  );

  it('names the stages as the agency type does, generic otherwise', () => {
    expect(defaultInternalLadder('EDUCATION')[2].name).toBe('Designated safeguarding lead');
    expect(defaultInternalLadder('HOUSING')[1].name).toBe('Line manager');
  });

  it('needs at least two stages', () => {
    expect(fields(asInput().slice(0, 1))).toEqual(['VALIDATION input.stages']);
  });

  it('has no reflective stage 0', () => {
    const stages = [{ ...asInput()[0], number: 0, urgentWorkingDays: 1 }, ...asInput().slice(1, 3)];
    expect(fields(stages)).toContain('VALIDATION input.stages.0.number');
  });

  it('takes only agency roles, never falling in seniority', () => {
    const stages = asInput();
    stages[2] = { ...stages[2], roleType: 'PRACTITIONER' };
    stages[3] = { ...stages[3], roleType: 'PARTNERSHIP_MANAGER' };
    expect(fields(stages)).toEqual([
      'VALIDATION input.stages.2.roleType',
      'VALIDATION input.stages.3.roleType',
    ]);
  });

  it('lets the same role hold two stages', () => {
    const stages = asInput();
    stages[2] = { ...stages[2], roleType: 'LINE_MANAGER' };
    expect(validateInternalLadder(stages)).toEqual([]);
  });

  it('refuses an automatic escalation beyond the last stage, wherever it sits in the input', () => {
    const stages = asInput().reverse();
    stages[0] = { ...stages[0], breachAction: 'AUTO_ESCALATE' };
    expect(fields(stages)).toEqual(['POLICY_VIOLATION input.stages.0.breachAction']);
  });

  it('keeps the shape rules of any policy: working days and contiguous numbers', () => {
    const stages = asInput();
    stages[1] = { ...stages[1], standardWorkingDays: 61 };
    stages[3] = { ...stages[3], number: 6 };
    expect(fields(stages)).toEqual(
      expect.arrayContaining(['VALIDATION input.stages.1.standardWorkingDays', 'VALIDATION input.stages']),
    );
  });
});
