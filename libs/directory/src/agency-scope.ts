import type { EntityManager } from 'typeorm';
import { fail, hasRole, notFound, RequestContext } from '@hips/common';

/**
 * Who may manage an agency's structure: a PARTNERSHIP_ADMIN for agencies of its partnership, an AGENCY_ADMIN for
 * its own agency. Must be called inside the tenant transaction (the agency row is read under RLS).
 */
export async function assertCanManageAgency(
  em: EntityManager,
  ctx: RequestContext,
  agencyId: string | null,
  field: string[],
): Promise<string> {
  const rows: unknown[] = agencyId
    ? await em.query(
        `select 1 from agencies a join agency_memberships m on m.agency_id = a.id and m.partnership_id = $2
         where a.id = $1`,
        [agencyId, ctx.partnershipId],
      )
    : [];
  if (!agencyId || rows.length === 0) notFound('Agency', field);
  if (hasRole(ctx, 'PARTNERSHIP_ADMIN')) return agencyId;
  if (hasRole(ctx, 'AGENCY_ADMIN') && ctx.agencyId === agencyId) return agencyId;
  return fail('FORBIDDEN', 'Only a partnership admin, or an admin of this agency, may do this', field);
}
