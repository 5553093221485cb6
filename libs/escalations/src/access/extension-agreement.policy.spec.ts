import type { RequestContext } from '@hips/common';
import type { EscalationRow, StageRow } from '../mappers';
import { caseActionPolicy as policy } from './case-action.policy';

/* Who may propose and decide an extension by both owners agreeing (docs/permissions.md). */

const row = {
  raising_agency_id: 'raising',
  responding_agency_id: 'responding',
  raised_by_person_id: 'raiser',
  urgency: 'STANDARD',
} as EscalationRow;
const stage = {
  role_type: 'LINE_MANAGER',
  raiser_owner_person_id: 'raising-owner',
  responder_owner_person_id: 'responding-owner',
} as StageRow;

const person = (personId: string, agencyId: string): RequestContext => ({
  requestId: 'spec',
  partnershipId: 'p',
  partnershipCode: 'P',
  personId,
  apiKeyId: null,
  apiClientName: null,
  agencyId,
  roles: ['LINE_MANAGER'],
});
const raisingOwner = person('raising-owner', 'raising');
const respondingOwner = person('responding-owner', 'responding');
const byRaising = { proposed_by_person_id: 'raising-owner', proposed_by_side: 'RAISING' };

describe('extension by agreement policy', () => {
  it('lets either owner of a standard stage propose, nobody else', () => {
    expect(policy.extensionSideOf(raisingOwner, row, stage)).toBe('RAISING');
    expect(policy.extensionSideOf(respondingOwner, row, stage)).toBe('RESPONDING');
    expect(policy.mayProposeExtension(person('raiser', 'raising'), row, stage)).toBe(false);
    expect(policy.mayProposeExtension(person('someone', 'responding'), row, stage)).toBe(false);
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
    expect(policy.mayDecideExtension(person('someone', 'responding'), row, stage, byRaising)).toBe(false);
  });
});
