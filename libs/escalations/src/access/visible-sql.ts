import type { RoleType } from '@hips/core';

/** Oversight roles that may see cases of other agencies in the partnership. */
export const OVERSIGHT_ROLES: RoleType[] = ['PARTNERSHIP_MANAGER', 'SCRUTINEER'];

/**
 * Visibility of a case to the caller, as SQL: its two agencies, and the partnership's oversight roles. The one
 * definition the write side uses until the case visibility policy (access/case-visibility.policy.ts) replaces it.
 */
export function visibleSql(agencyParam: string, oversightParam: string, alias = 'e'): string {
  return `(${alias}.raising_agency_id = ${agencyParam}::uuid or ${alias}.responding_agency_id = ${agencyParam}::uuid or ${oversightParam}::boolean)`;
}
