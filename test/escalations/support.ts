import { startTestApp, type TestApp } from '../support/app';
import { toGlobalId } from '@hips/common';

export const CASE_FIELDS = `id reference status version type urgency policyVersion raisedAt closedAt
  raisingAgency { name } respondingAgency { name } raisedBy { displayName }
  currentStage { number name status dueAt workingDays overdue breachedAt extended response
    due { start workingDays dueAt explanation skippedDates }
    raiserOwner { displayName } responderOwner { displayName } }
  stages { number status closedAt }
  outcome { code statement learningThemes systemicIssue agreedActions { description ownerAgency { name } done } }`;

export const RAISE = `mutation($input: RaiseEscalationInput!) { raiseEscalation(input: $input) {
  escalation { ${CASE_FIELDS} } redirect guidance userErrors { code field message } } }`;

export const NO_SCREENING = {
  immediateRisk: false,
  systemicIssue: false,
  complaint: false,
  allegationAgainstStaff: false,
  whistleblowing: false,
};

export const email = (level: string, agency: string, area = 'portsmouth') =>
  `${level}.${agency}.${area}@demo.hips.test`;

export async function agencyId(t: TestApp, like: string): Promise<string> {
  const [row]: { id: string }[] = await t.owner.query('select id from agencies where name like $1', [like]);
  return toGlobalId('Agency', row.id);
}

export const PORTSMOUTH_CSC = 'Portsmouth City Council Children%';
export const POLICE = 'Hampshire and Isle of Wight Constabulary';

export function raiseInput(respondingAgencyId: string, patch: Record<string, unknown> = {}) {
  return {
    respondingAgencyId,
    category: 'THRESHOLD_REFERRAL_NOT_ACCEPTED',
    urgency: 'STANDARD',
    levelOfNeed: 'CHILD_IN_NEED',
    summary: 'Referral about neglect not accepted for assessment',
    desiredOutcome: 'A strategy discussion',
    riskSummary: 'Repeated missed health appointments',
    child: {
      initials: 'QZ',
      dateOfBirth: '2018-05-04',
      localAuthority: 'PORTSMOUTH',
      nhsNumber: '9434765919',
    },
    screening: NO_SCREENING,
    ...patch,
  };
}

export function act(name: string, inputType: string) {
  return `mutation($input: ${inputType}!) { ${name}(input: $input) { escalation { ${CASE_FIELDS} } userErrors { code field message } } }`;
}

export const RESPOND = act('respondToEscalation', 'RespondInput');
export const ESCALATE = act('escalateEscalation', 'EscalateInput');
export const EXTEND = act('extendStage', 'ExtendStageInput');
export const RESOLVE = act('resolveEscalation', 'ResolveInput');
export const WITHDRAW = act('withdrawEscalation', 'WithdrawInput');
export const REOPEN = act('reopenEscalation', 'ReopenInput');
export const DECIDE = act('recordPartnershipDecision', 'PartnershipDecisionInput');

/** A started test app with the Portsmouth agencies the case specs raise between, and their shorthand calls. */
export interface CaseHarness {
  t: TestApp;
  csc: string;
  police: string;
  as: (who: string) => Promise<{ token: string }>;
  raise: (who: string, patch?: Record<string, unknown>) => Promise<any>;
  run: (
    mutation: string,
    who: string,
    input: Record<string, unknown>,
  ) => Promise<{ escalation: any; userErrors: { code: string; field: string[]; message: string }[] }>;
}

export async function startCaseHarness(): Promise<CaseHarness> {
  const t = await startTestApp();
  const csc = await agencyId(t, PORTSMOUTH_CSC);
  const police = await agencyId(t, POLICE);
  const as = async (who: string) => ({ token: await t.login(who, 'PORTSMOUTH') });
  return {
    t,
    csc,
    police,
    as,
    raise: async (who, patch = {}) => {
      const res = await t.gql(RAISE, { input: raiseInput(csc, patch) }, await as(who));
      expect(res.errors).toBeUndefined();
      return res.data.raiseEscalation;
    },
    run: async (mutation, who, input) => {
      const res = await t.gql(mutation, { input }, await as(who));
      expect(res.errors).toBeUndefined();
      return Object.values(res.data)[0] as {
        escalation: any;
        userErrors: { code: string; field: string[]; message: string }[];
      };
    },
  };
}

/** Starts the case harness before the spec's tests and closes it after; its fields are there once they run. */
export function useCaseHarness(): CaseHarness {
  const h = {} as CaseHarness;
  beforeAll(async () => {
    Object.assign(h, await startCaseHarness());
  });
  afterAll(() => h.t.close());
  return h;
}
