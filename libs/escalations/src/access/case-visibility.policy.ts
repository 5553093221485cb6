import type { RoleType } from '@hips/core';

/**
 * Who may see a case, and who may see its child (docs/security/README.md "Roles"; the relations are tested as a
 * table in case-visibility.table.ts). The case rule is written once, as data (CASE_VISIBLE below), and read by two
 * interpreters: one answers in memory (subscriptions, webhooks, retention, any export), the other writes the SQL
 * predicate the read path filters with. Both are checked against the same table, in memory and on PostgreSQL.
 */

/** The viewer as the rule needs it: a RequestContext fits, as does an agency's system (no person, no roles). */
export interface CaseViewer {
  partnershipId: string;
  personId: string | null;
  agencyId: string | null;
  roles: readonly RoleType[];
}

/** What the rule needs of a case: its partnership and its two agencies. */
export interface CaseParties {
  partnershipId: string;
  raisingAgencyId: string;
  respondingAgencyId: string;
}

/** The people on the child's chain of a case, and the people the viewer manages (directly or not). */
export interface ChildChain {
  /** The raiser and the owners of every stage, either side, current or earlier. */
  ownerPersonIds: readonly string[];
  viewerReports: ReadonlySet<string>;
}

/** Roles that see every case of their partnership and its child. */
export const OVERSIGHT_ROLES: RoleType[] = ['PARTNERSHIP_MANAGER', 'SCRUTINEER'];

/** The case table's column of each party (the SQL face's vocabulary). */
const COLUMNS = {
  partnershipId: 'partnership_id',
  raisingAgencyId: 'raising_agency_id',
  respondingAgencyId: 'responding_agency_id',
} as const satisfies Record<keyof CaseParties, string>;

type Term =
  | { all: Term[] }
  | { any: Term[] }
  /** The viewer holds one of these roles (in the viewer's partnership). */
  | { viewerHasRole: readonly RoleType[] }
  /** The viewer's own id of this kind is (not null and) the case's party. */
  | { viewer: 'partnershipId' | 'agencyId'; is: keyof CaseParties };

/** A case is seen in its own partnership, by its two agencies (people and systems alike) and by oversight. */
const CASE_VISIBLE: Term = {
  all: [
    { viewer: 'partnershipId', is: 'partnershipId' },
    {
      any: [
        { viewerHasRole: OVERSIGHT_ROLES },
        { viewer: 'agencyId', is: 'raisingAgencyId' },
        { viewer: 'agencyId', is: 'respondingAgencyId' },
      ],
    },
  ],
};

function holds(term: Term, viewer: CaseViewer, parties: CaseParties): boolean {
  if ('all' in term) return term.all.every((t) => holds(t, viewer, parties));
  if ('any' in term) return term.any.some((t) => holds(t, viewer, parties));
  if ('viewerHasRole' in term) return term.viewerHasRole.some((role) => viewer.roles.includes(role));
  const own = viewer[term.viewer];
  return own !== null && own === parties[term.is];
}

/** Appends a value to a statement's parameters and answers its placeholder ($n). */
function bindTo(params: unknown[]): (value: unknown, type: 'uuid' | 'boolean') => string {
  return (value, type) => {
    params.push(value);
    return `$${params.length}::${type}`;
  };
}

function toSql(term: Term, viewer: CaseViewer, alias: string, bind: ReturnType<typeof bindTo>): string {
  if ('all' in term) return `(${term.all.map((t) => toSql(t, viewer, alias, bind)).join(' and ')})`;
  if ('any' in term) return `(${term.any.map((t) => toSql(t, viewer, alias, bind)).join(' or ')})`;
  // What depends on the viewer only is decided here and bound as a value: the same statement text for everyone.
  if ('viewerHasRole' in term) return bind(holds(term, viewer, NO_PARTIES), 'boolean');
  // A null id compares as unknown, which a WHERE (and `is true`) treats as false, as the in-memory face does.
  return `${alias}.${COLUMNS[term.is]} = ${bind(viewer[term.viewer], 'uuid')}`;
}

const NO_PARTIES: CaseParties = { partnershipId: '', raisingAgencyId: '', respondingAgencyId: '' };

/** The parties a viewer's own agency may be matched against: who could see a case without any role. */
function agencyParties(term: Term): (keyof CaseParties)[] {
  if ('all' in term) return term.all.flatMap(agencyParties);
  if ('any' in term) return term.any.flatMap(agencyParties);
  return 'viewer' in term && term.viewer === 'agencyId' ? [term.is] : [];
}

const SQL_ALIAS = /^[a-z_][a-z0-9_]*$/;

export const caseVisibility = {
  /** May this viewer see this case (and its chronology, notes, events)? */
  maySeeCase(viewer: CaseViewer, parties: CaseParties): boolean {
    return holds(CASE_VISIBLE, viewer, parties);
  },

  /**
   * The same rule as an SQL predicate on the `escalations` row aliased `alias`: appends its values to `params` and
   * answers the text, e.g. `const params = [id]; query(\`... where e.id = $1 and ${caseVisibility.sql(ctx, params)}\`,
   * params)`. It includes the partnership.
   */
  sql(viewer: CaseViewer, params: unknown[], alias = 'e'): string {
    if (!SQL_ALIAS.test(alias)) throw new Error(`caseVisibility.sql: bad alias ${alias}`);
    return toSql(CASE_VISIBLE, viewer, alias, bindTo(params));
  },

  /**
   * The agencies whose systems (API keys, webhook endpoints: no person, no role) may see this case: whom its
   * webhook deliveries go to.
   */
  agencySystemsSeeing(parties: CaseParties): string[] {
    const candidates = [...new Set(agencyParties(CASE_VISIBLE).map((party) => parties[party]))];
    return candidates.filter((agencyId) =>
      holds(
        CASE_VISIBLE,
        { partnershipId: parties.partnershipId, personId: null, agencyId, roles: [] },
        parties,
      ),
    );
  },

  /**
   * May this viewer see the child's identifiers? A person who may see the case, and is in oversight, or is the
   * raiser, an owner of any stage, or above one of them in the manager chain. Never an agency's system. `chain` is
   * asked only when it decides (it costs queries).
   */
  async maySeeChild(
    viewer: CaseViewer,
    parties: CaseParties,
    chain: () => Promise<ChildChain>,
  ): Promise<boolean> {
    if (viewer.personId === null || !holds(CASE_VISIBLE, viewer, parties)) return false;
    if (holds({ viewerHasRole: OVERSIGHT_ROLES }, viewer, parties)) return true;
    const { ownerPersonIds, viewerReports } = await chain();
    return ownerPersonIds.some((id) => id === viewer.personId || viewerReports.has(id));
  },

  /** The parties of an `escalations` row. */
  partiesOfRow(row: Record<(typeof COLUMNS)[keyof CaseParties], string>): CaseParties {
    return {
      partnershipId: row[COLUMNS.partnershipId],
      raisingAgencyId: row[COLUMNS.raisingAgencyId],
      respondingAgencyId: row[COLUMNS.respondingAgencyId],
    };
  },
};
