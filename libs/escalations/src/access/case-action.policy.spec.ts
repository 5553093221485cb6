import type { RequestContext } from '@hips/common';
import type { RoleType } from '@hips/core';
import type { EscalationRow, StageRow } from '../mappers';
import { caseActionPolicy as policy } from './case-action.policy';

const RAISING = 'agency-raising';
const RESPONDING = 'agency-responding';
const OTHER = 'agency-other';
const ACTION_OWNER = 'agency-action-owner';

const row = {
  raising_agency_id: RAISING,
  responding_agency_id: RESPONDING,
  raised_by_person_id: 'raiser',
  urgency: 'STANDARD',
} as EscalationRow;
const stage = {
  role_type: 'LINE_MANAGER',
  raiser_owner_person_id: 'raising-owner',
  responder_owner_person_id: 'responding-owner',
} as StageRow;
const managers = new Set(['raising-manager']);

function person(personId: string, agencyId: string, roles: RoleType[] = ['PRACTITIONER']): RequestContext {
  return {
    requestId: 'spec',
    partnershipId: 'p',
    partnershipCode: 'P',
    personId,
    apiKeyId: null,
    apiClientName: null,
    agencyId,
    roles,
  };
}
const apiKey = (agencyId: string): RequestContext => ({
  ...person('', agencyId, []),
  personId: null,
  apiKeyId: 'key',
});

const ACTIONS = [
  'respond',
  'escalate',
  'skip',
  'extend',
  'extendUrgent',
  'resolve',
  'withdraw',
  'decide',
  'markActionDone',
] as const;

const answers = (ctx: RequestContext): string =>
  [
    policy.mayRespond(ctx, row, stage),
    policy.mayEscalate(ctx, row, stage, managers, false),
    policy.mayEscalate(ctx, row, stage, managers, true),
    policy.mayExtend(ctx, row, managers),
    policy.mayExtend(ctx, { ...row, urgency: 'URGENT' }, managers),
    policy.mayResolve(ctx, row, stage, managers),
    policy.mayWithdraw(ctx, row, stage),
    policy.mayRecordPartnershipDecision(ctx),
    policy.mayMarkAgreedActionDone(ctx, row, ACTION_OWNER),
  ]
    .map((may) => (may ? 'y' : '-'))
    .join(' ');

/**
 * Who may take which action, by the caller's relation to the case (docs/permissions.md). Columns, in order:
 * respond, escalate, skip, extend, extend an urgent stage, resolve, withdraw, partnership decision, mark an agreed
 * action (owned by a third agency) done.
 */
const table: [string, RequestContext, string][] = [
  ['the raiser', person('raiser', RAISING), '- - - - - - y - y'],
  ['the raising side owner', person('raising-owner', RAISING, ['LINE_MANAGER']), '- y - - - y y - y'],
  [
    'the raising side owner’s manager',
    person('raising-manager', RAISING, ['SENIOR_MANAGER']),
    '- y y y - y - - y',
  ],
  [
    'the responding side owner',
    person('responding-owner', RESPONDING, ['LINE_MANAGER']),
    'y - - - - - - - y',
  ],
  ['another practitioner of the responding agency', person('someone', RESPONDING), '- - - - - - - - y'],
  ['an API key of the raising agency', apiKey(RAISING), '- y - - - y y - y'],
  ['an API key of the responding agency', apiKey(RESPONDING), 'y - - - - - - - y'],
  ['a practitioner of the action’s owner agency', person('owner-staff', ACTION_OWNER), '- - - - - - - - y'],
  ['the partnership manager', person('pm', OTHER, ['PARTNERSHIP_MANAGER']), '- - - y y - - y -'],
  ['a practitioner of another agency', person('stranger', OTHER), '- - - - - - - - -'],
  ['an API key of another agency', apiKey(OTHER), '- - - - - - - - -'],
];

describe('caseActionPolicy', () => {
  it.each(table)(`%s (${ACTIONS.join(', ')})`, (_name, ctx, may) => {
    expect(answers(ctx)).toBe(may);
  });

  it('with no named owner, any holder of the stage role in that agency owns the side', () => {
    const unrouted = { ...stage, responder_owner_person_id: null };
    expect(policy.mayRespond(person('someone', RESPONDING, ['LINE_MANAGER']), row, unrouted)).toBe(true);
    expect(policy.mayRespond(person('someone', RESPONDING, ['PRACTITIONER']), row, unrouted)).toBe(false);
  });
});

const raisingOwner = person('raising-owner', RAISING, ['LINE_MANAGER']);
const respondingOwner = person('responding-owner', RESPONDING, ['LINE_MANAGER']);
const byRaising = { proposed_by_person_id: 'raising-owner', proposed_by_side: 'RAISING' };

// Who may propose and decide an extension by both owners agreeing (docs/permissions.md).
describe('extension by agreement policy', () => {
  it('lets either owner of a standard stage propose, nobody else', () => {
    expect(policy.extensionSideOf(raisingOwner, row, stage)).toBe('RAISING');
    expect(policy.extensionSideOf(respondingOwner, row, stage)).toBe('RESPONDING');
    expect(policy.mayProposeExtension(person('raiser', RAISING, ['LINE_MANAGER']), row, stage)).toBe(false);
    expect(policy.mayProposeExtension(person('someone', RESPONDING, ['LINE_MANAGER']), row, stage)).toBe(
      false,
    );
    expect(policy.mayProposeExtension({ ...raisingOwner, personId: null, apiKeyId: 'k' }, row, stage)).toBe(
      false,
    );
    expect(policy.mayProposeExtension(raisingOwner, { ...row, urgency: 'URGENT' }, stage)).toBe(false);
  });

  it('lets only the other side’s owner decide', () => {
    expect(policy.mayDecideExtension(respondingOwner, row, stage, byRaising)).toBe(true);
    expect(policy.mayDecideExtension(raisingOwner, row, stage, byRaising)).toBe(false);
    const bothSides = { ...stage, responder_owner_person_id: 'raising-owner' } as StageRow;
    expect(policy.mayDecideExtension(raisingOwner, row, bothSides, byRaising)).toBe(false);
    expect(
      policy.mayDecideExtension(person('someone', RESPONDING, ['LINE_MANAGER']), row, stage, byRaising),
    ).toBe(false);
  });
});
