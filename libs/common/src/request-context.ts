import type { RoleType } from '@hips/core';

/**
 * Who is asking, for which partnership: resolved once by the auth guard and passed explicitly as the first
 * argument of every service method. Jobs rebuild it from partnershipId and ids.
 */
export interface RequestContext {
  requestId: string;
  partnershipId: string;
  partnershipCode: string;
  /** Set for people (JWT). */
  personId: string | null;
  /** Set for agency systems (X-API-Key). */
  apiKeyId: string | null;
  apiClientName: string | null;
  /** The person's or the key's agency. */
  agencyId: string | null;
  /** Role types held in this partnership (API keys hold none). */
  roles: RoleType[];
}

export function hasRole(ctx: RequestContext, ...roles: RoleType[]): boolean {
  return roles.some((role) => ctx.roles.includes(role));
}

export function actorOf(ctx: RequestContext): {
  actorType: 'PERSON' | 'API_KEY' | 'SYSTEM';
  actorId: string | null;
} {
  if (ctx.personId) return { actorType: 'PERSON', actorId: ctx.personId };
  if (ctx.apiKeyId) return { actorType: 'API_KEY', actorId: ctx.apiKeyId };
  return { actorType: 'SYSTEM', actorId: null };
}
