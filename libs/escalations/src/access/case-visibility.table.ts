import type { RoleType } from '@hips/core';
import type { CaseParties, CaseViewer, ChildChain } from './case-visibility.policy';

/**
 * What each viewer may see of a case, relation by relation: the one table both faces of the case visibility
 * policy are checked against (in memory: case-visibility.policy.spec.ts; as SQL on PostgreSQL:
 * test/escalations/case-visibility-policy.e2e-spec.ts). `child` = the case and its child, `case` = the case
 * without the child, `-` = nothing. Written out by hand, never computed from the policy.
 *
 * Only the agency and the oversight roles decide who sees a case: any other role of a person posted in one of the
 * case's agencies sees it (the demo data posts admins and analysts in a business-unit agency, which is never a
 * party to a case, hence "no" for them in docs/security/README.md).
 */

/** The viewer's relation to the case, left to right as in GRID. */
export const RELATIONS = [
  'raiser',
  'raising-agency stage owner',
  'raising-agency manager above an owner',
  'raising-agency colleague off the chain',
  'responding-agency stage owner',
  'responding-agency manager above an owner',
  'responding-agency colleague off the chain',
  'other agency of the partnership',
  'other agency, manager above an owner',
  'raiser, signed in to another partnership',
  'no agency',
] as const;
export type Relation = (typeof RELATIONS)[number];

export type Sees = 'child' | 'case' | '-';

const VIEWERS = {
  PRACTITIONER: ['PRACTITIONER'],
  LINE_MANAGER: ['LINE_MANAGER'],
  SAFEGUARDING_LEAD: ['SAFEGUARDING_LEAD'],
  SENIOR_MANAGER: ['SENIOR_MANAGER'],
  PARTNERSHIP_MANAGER: ['PARTNERSHIP_MANAGER'],
  SCRUTINEER: ['SCRUTINEER'],
  AGENCY_ADMIN: ['AGENCY_ADMIN'],
  PARTNERSHIP_ADMIN: ['PARTNERSHIP_ADMIN'],
  ANALYST: ['ANALYST'],
  HIPS_ANALYST: ['HIPS_ANALYST'],
  'PARTNERSHIP_ADMIN + SCRUTINEER': ['PARTNERSHIP_ADMIN', 'SCRUTINEER'],
  'person without a role': [],
  "API key of the viewer's agency": [],
} satisfies Record<string, RoleType[]>;
type ViewerName = keyof typeof VIEWERS;
const API_KEY: ViewerName = "API key of the viewer's agency";

// prettier-ignore
const GRID: Record<ViewerName, string> = {
  //                                raiser  rOwner  rAbove  rOff    sOwner  sAbove  sOff    other   oAbove  otherP  noAgency
  PRACTITIONER:                     'child  child   child   case    child   child   case    -       -       -       -',
  LINE_MANAGER:                     'child  child   child   case    child   child   case    -       -       -       -',
  SAFEGUARDING_LEAD:                'child  child   child   case    child   child   case    -       -       -       -',
  SENIOR_MANAGER:                   'child  child   child   case    child   child   case    -       -       -       -',
  PARTNERSHIP_MANAGER:              'child  child   child   child   child   child   child   child   child   -       child',
  SCRUTINEER:                       'child  child   child   child   child   child   child   child   child   -       child',
  AGENCY_ADMIN:                     'child  child   child   case    child   child   case    -       -       -       -',
  PARTNERSHIP_ADMIN:                'child  child   child   case    child   child   case    -       -       -       -',
  ANALYST:                          'child  child   child   case    child   child   case    -       -       -       -',
  HIPS_ANALYST:                     'child  child   child   case    child   child   case    -       -       -       -',
  'PARTNERSHIP_ADMIN + SCRUTINEER': 'child  child   child   child   child   child   child   child   child   -       child',
  'person without a role':          'child  child   child   case    child   child   case    -       -       -       -',
  "API key of the viewer's agency": 'case   case    case    case    case    case    case    -       -       -       -',
};

/** Fixed ids: the table runs on constructed rows, in memory and in SQL alike. */
export const IDS = {
  partnership: '11111111-0000-4000-8000-000000000001',
  otherPartnership: '11111111-0000-4000-8000-000000000002',
  raisingAgency: '22222222-0000-4000-8000-000000000001',
  respondingAgency: '22222222-0000-4000-8000-000000000002',
  otherAgency: '22222222-0000-4000-8000-000000000003',
  viewer: '33333333-0000-4000-8000-000000000001',
  raiser: '33333333-0000-4000-8000-000000000002',
  raisingOwner: '33333333-0000-4000-8000-000000000003',
  respondingOwner: '33333333-0000-4000-8000-000000000004',
};

export const CASE: CaseParties = {
  partnershipId: IDS.partnership,
  raisingAgencyId: IDS.raisingAgency,
  respondingAgencyId: IDS.respondingAgency,
};

const OWNERS = [IDS.raiser, IDS.raisingOwner, IDS.respondingOwner];

/** Where the viewer stands: partnership, agency, and place on the child's chain. */
function placed(relation: Relation): {
  partnershipId: string;
  agencyId: string | null;
  /** 'is' an owner (or the raiser), 'above' one, or 'off' the chain. */
  chain: 'is' | 'above' | 'off';
} {
  const at = (agencyId: string | null, chain: 'is' | 'above' | 'off', partnershipId = IDS.partnership) => ({
    partnershipId,
    agencyId,
    chain,
  });
  switch (relation) {
    case 'raiser':
      return at(IDS.raisingAgency, 'is');
    case 'raising-agency stage owner':
      return at(IDS.raisingAgency, 'is');
    case 'raising-agency manager above an owner':
      return at(IDS.raisingAgency, 'above');
    case 'raising-agency colleague off the chain':
      return at(IDS.raisingAgency, 'off');
    case 'responding-agency stage owner':
      return at(IDS.respondingAgency, 'is');
    case 'responding-agency manager above an owner':
      return at(IDS.respondingAgency, 'above');
    case 'responding-agency colleague off the chain':
      return at(IDS.respondingAgency, 'off');
    case 'other agency of the partnership':
      return at(IDS.otherAgency, 'off');
    case 'other agency, manager above an owner':
      return at(IDS.otherAgency, 'above');
    case 'raiser, signed in to another partnership':
      return at(IDS.raisingAgency, 'is', IDS.otherPartnership);
    case 'no agency':
      return at(null, 'off');
  }
}

export interface VisibilityRow {
  name: string;
  viewer: CaseViewer;
  chain: ChildChain;
  sees: Sees;
}

/** Every viewer × every relation, with what the table says they see. */
export function visibilityTable(): VisibilityRow[] {
  return (Object.keys(GRID) as ViewerName[]).flatMap((viewerName) => {
    const cells = GRID[viewerName].trim().split(/\s+/) as Sees[];
    if (cells.length !== RELATIONS.length) throw new Error(`GRID row ${viewerName}: ${cells.length} cells`);
    return RELATIONS.map((relation, i) => {
      const where = placed(relation);
      const isKey = viewerName === API_KEY;
      // The viewer is (as a person id) the raiser or an owner, or manages one, or neither.
      const personId = isKey ? null : where.chain === 'is' ? pick(relation) : IDS.viewer;
      return {
        name: `${viewerName} / ${relation}`,
        viewer: {
          partnershipId: where.partnershipId,
          personId,
          agencyId: where.agencyId,
          roles: VIEWERS[viewerName],
        },
        chain: {
          ownerPersonIds: OWNERS,
          viewerReports: new Set(where.chain === 'above' && !isKey ? [IDS.respondingOwner] : []),
        },
        sees: cells[i],
      };
    });
  });
}

function pick(relation: Relation): string {
  if (relation === 'raising-agency stage owner') return IDS.raisingOwner;
  if (relation === 'responding-agency stage owner') return IDS.respondingOwner;
  return IDS.raiser;
}
