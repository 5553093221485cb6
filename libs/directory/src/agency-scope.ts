import type { EntityManager } from 'typeorm';
import { fail, hasRole, notFound, RequestContext } from '@hips/common';
import { UnitOfWork } from '@hips/database';
import { AgencyMembershipRepository } from './persistence/agency-membership.repository';

const memberships = new AgencyMembershipRepository();

/** The one rule of who may manage an agency's structure and policies (see assertCanManageAgency). */
export function mayManageAgency(ctx: RequestContext, agencyId: string | null): boolean {
  if (hasRole(ctx, 'PARTNERSHIP_ADMIN')) return true;
  return agencyId !== null && hasRole(ctx, 'AGENCY_ADMIN') && ctx.agencyId === agencyId;
}

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
  if (!agencyId || !(await memberships.isMember(new UnitOfWork(ctx, em), agencyId)))
    notFound('Agency', field);
  if (mayManageAgency(ctx, agencyId)) return agencyId;
  return fail('FORBIDDEN', 'Only a partnership admin, or an admin of this agency, may do this', field);
}
