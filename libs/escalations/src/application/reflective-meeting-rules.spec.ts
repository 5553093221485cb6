import type { RequestContext } from '@hips/common';
import type { RoleType } from '@hips/core';
import { caseActionPolicy as policy } from '../access/case-action.policy';
import type { EscalationRow, StageRow } from '../mappers';
import { looksLikeChildIdentifier } from './reflective-meeting-rules';

const row = { raising_agency_id: 'raising', responding_agency_id: 'responding' } as EscalationRow;
const stage = {
  role_type: 'PRACTITIONER',
  raiser_owner_person_id: 'raising-owner',
  responder_owner_person_id: 'responding-owner',
} as StageRow;
const managers = new Set(['raising-manager']);
const person = (personId: string, agencyId: string, roles: RoleType[] = ['PRACTITIONER']) =>
  ({ personId, apiKeyId: null, agencyId, roles, partnershipId: 'p' }) as unknown as RequestContext;

describe('the reflective step’s record', () => {
  it.each([
    ['the raising side owner', person('raising-owner', 'raising'), 'y y'],
    ['the raising side owner’s manager', person('raising-manager', 'raising', ['LINE_MANAGER']), 'y y'],
    ['the responding side owner', person('responding-owner', 'responding'), 'y -'],
    ['another practitioner of the responding agency', person('someone', 'responding'), '- -'],
    ['a practitioner of another agency', person('stranger', 'other'), '- -'],
  ])('%s may record a meeting that proceeds, that resolves', (_name, ctx, may) => {
    const answer = [false, true].map((resolves) =>
      policy.mayRecordReflectiveMeeting(ctx, row, stage, managers, resolves) ? 'y' : '-',
    );
    expect(answer.join(' ')).toBe(may);
  });

  it.each(['9434765919', '943 476 5919', 'Chair 943-476-5919', 'born 04/05/2018', 'DOB 2018-05-04'])(
    'refuses a role that looks like a child identifier: %s',
    (text) => expect(looksLikeChildIdentifier(text)).toBe(true),
  );

  it.each(['Designated nurse', 'Year 6 teacher', 'Head of Service (Children 0-5)', 'Independent chair'])(
    'accepts a role: %s',
    (text) => expect(looksLikeChildIdentifier(text)).toBe(false),
  );
});
