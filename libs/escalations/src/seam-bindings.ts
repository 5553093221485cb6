import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CalendarService } from '@hips/calendar';
import type { RequestContext } from '@hips/common';
import { toStagePolicy } from '@hips/core';
import { RoutingService } from '@hips/directory';
import { PoliciesService } from '@hips/policies';
import {
  CalendarSource,
  DefaultOwnerRouter,
  DefaultPolicySource,
  LadderQuery,
  OwnerQuery,
  OwnerRouter,
  PinnedCalendar,
  PinnedLadder,
  PolicySource,
} from './seams';

/**
 * The case's stages and timescales come from the raising agency's published policy in force (which may only
 * shorten the partnership's), else the partnership default; the version is pinned on the case.
 */
@Injectable()
export class PublishedPolicySource extends PolicySource {
  constructor(
    private readonly policies: PoliciesService,
    private readonly fallback: DefaultPolicySource,
  ) {
    super();
  }

  async ladderFor(em: EntityManager, ctx: RequestContext, query: LadderQuery): Promise<PinnedLadder> {
    const row = await this.policies.inForce(em, ctx.partnershipId, query.raisingAgencyId, query.type);
    // Every partnership's defaults are seeded by a migration; the fallback only covers a database without them.
    if (!row) return this.fallback.ladderFor(em, ctx, query);
    return { version: row.version, stages: row.stages.map((stage) => toStagePolicy(stage)) };
  }
}

/** Deadlines use the partnership's current published calendar (bank holidays plus its closure days). */
@Injectable()
export class PartnershipCalendarSource extends CalendarSource {
  constructor(private readonly calendars: CalendarService) {
    super();
  }

  async calendarFor(em: EntityManager, ctx: RequestContext): Promise<PinnedCalendar> {
    const current = await this.calendars.current(em, ctx.partnershipId);
    return { version: current.version, calendar: current.calendar };
  }
}

/**
 * Stage owners are routed through the org structure (holder → deputy when absent → manager chain) from the
 * anchor person's unit in the agency; with no anchor there (or nobody routable), the default picks a holder.
 */
@Injectable()
export class StructureOwnerRouter extends OwnerRouter {
  constructor(
    private readonly routing: RoutingService,
    private readonly fallback: DefaultOwnerRouter,
  ) {
    super();
  }

  async resolve(em: EntityManager, ctx: RequestContext, query: OwnerQuery): Promise<string | null> {
    if (query.anchorPersonId && query.agencyId) {
      const [post]: { org_unit_id: string }[] = await em.query(
        `select ra.org_unit_id from role_assignments ra join org_units u on u.id = ra.org_unit_id
         where ra.partnership_id = $1 and ra.person_id = $2 and u.agency_id = $3
         order by (ra.role_type = $4) desc, ra.created_at limit 1`,
        [ctx.partnershipId, query.anchorPersonId, query.agencyId, query.roleType],
      );
      if (post) {
        const route = await this.routing.resolveOwner(ctx, em, {
          orgUnitId: post.org_unit_id,
          roleType: query.roleType,
          at: query.at,
        });
        if (route.personId) return route.personId;
      }
    }
    return this.fallback.resolve(em, ctx, query);
  }
}
