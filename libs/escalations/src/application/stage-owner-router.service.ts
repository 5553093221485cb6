import { Injectable } from '@nestjs/common';
import type { RoleType } from '@hips/core';
import type { UnitOfWork } from '@hips/database';
import { nearestRoleHolder, postUnitInAgency, RoutingService } from '@hips/directory';

/** Whose stage a new stage's owner is sought for. */
export interface OwnerQuery {
  agencyId: string | null;
  roleType: RoleType;
  /** The person routing starts from (the raiser, the named respondent, the previous stage's owner). */
  anchorPersonId: string | null;
  at: Date;
}

/**
 * Stage owners are routed through the org structure (holder → deputy when absent → manager chain) from the
 * anchor person's unit in the agency; with no anchor there (or nobody routable), the nearest holder of the role
 * (docs/procedure.md §2).
 */
@Injectable()
export class StageOwnerRouter {
  constructor(private readonly routing: RoutingService) {}

  async resolve(uow: UnitOfWork, query: OwnerQuery): Promise<string | null> {
    if (query.anchorPersonId && query.agencyId) {
      const orgUnitId = await postUnitInAgency(uow, {
        personId: query.anchorPersonId,
        agencyId: query.agencyId,
        preferredRole: query.roleType,
      });
      if (orgUnitId) {
        const route = await this.routing.resolveOwner(uow.ctx, uow.em, {
          orgUnitId,
          roleType: query.roleType,
          at: query.at,
        });
        if (route.personId) return route.personId;
      }
    }
    return nearestRoleHolder(uow, query);
  }
}
