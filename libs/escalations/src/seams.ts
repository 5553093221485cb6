import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '@hips/common';
import {
  defaultLadder,
  WorkingCalendar,
  type EscalationType,
  type RoleType,
  type StagePolicy,
} from '@hips/core';

/**
 * SEAMS. The escalation case depends on three things other work owns; each is one small interface with a default
 * implementation here, bound in EscalationsModule. Replace the binding, not the callers:
 * - PolicySource  → the versioned escalation policies (libs/policies) will provide the policy in force;
 * - CalendarSource → the versioned partnership calendars (libs/calendar) will provide closure days;
 * - OwnerRouter   → org-structure routing with deputies and absences (libs/directory) will pick stage owners.
 * All run inside the caller's tenant transaction (`em`).
 */

export interface LadderQuery {
  type: EscalationType;
  raisingAgencyId: string;
  respondingAgencyId: string;
}

export interface PinnedLadder {
  /** The policy version the case pins (policyVersion in GraphQL). */
  version: number;
  stages: StagePolicy[];
}

export abstract class PolicySource {
  abstract ladderFor(em: EntityManager, ctx: RequestContext, query: LadderQuery): Promise<PinnedLadder>;
}

export interface PinnedCalendar {
  version: number;
  calendar: WorkingCalendar;
}

export abstract class CalendarSource {
  abstract calendarFor(em: EntityManager, ctx: RequestContext): Promise<PinnedCalendar>;
}

export interface OwnerQuery {
  agencyId: string | null;
  roleType: RoleType;
  /** The person routing starts from (the raiser, the named respondent, the previous stage's owner). */
  anchorPersonId: string | null;
  at: Date;
}

export abstract class OwnerRouter {
  abstract resolve(em: EntityManager, ctx: RequestContext, query: OwnerQuery): Promise<string | null>;
}

/**
 * DEFAULT (replaced by libs/policies): the partnership default ladder of procedure.md §3 as version 1, stage 0
 * named after the partnership's reflective step.
 */
@Injectable()
export class DefaultPolicySource extends PolicySource {
  async ladderFor(em: EntityManager, ctx: RequestContext, query: LadderQuery): Promise<PinnedLadder> {
    const [row]: { reflective_step_name: string | null }[] = await em.query(
      'select reflective_step_name from partnerships where id = $1',
      [ctx.partnershipId],
    );
    return { version: 1, stages: defaultLadder(query.type, row?.reflective_step_name ?? '') };
  }
}

/** DEFAULT (replaced by libs/calendar): weekdays minus England and Wales bank holidays, no closure days. */
@Injectable()
export class DefaultCalendarSource extends CalendarSource {
  private readonly calendar = new WorkingCalendar();
  calendarFor(): Promise<PinnedCalendar> {
    return Promise.resolve({ version: 0, calendar: this.calendar });
  }
}

/**
 * DEFAULT (replaced by the org-structure routing with deputies and absences): a holder of the role type in the
 * agency (any agency for PARTNERSHIP_MANAGER) in this partnership, preferring the anchor person themselves, then
 * a holder in the anchor's own unit, then the nearest up the anchor's manager chain, then the longest-standing
 * holder. Disabled people are never chosen.
 */
@Injectable()
export class DefaultOwnerRouter extends OwnerRouter {
  async resolve(em: EntityManager, ctx: RequestContext, query: OwnerQuery): Promise<string | null> {
    const rows: { person_id: string }[] = await em.query(
      `with recursive chain(person_id, depth) as (
         select $4::uuid, 0 where $4::uuid is not null
         union
         select ra.manager_person_id, c.depth + 1 from chain c
           join role_assignments ra on ra.person_id = c.person_id and ra.partnership_id = $1
          where ra.manager_person_id is not null and c.depth < 20
       ),
       depths as (select person_id, min(depth) as depth from chain group by person_id),
       anchor_units as (select org_unit_id from role_assignments where partnership_id = $1 and person_id = $4::uuid)
       select ra.person_id from role_assignments ra
         join org_units u on u.id = ra.org_unit_id
         join people p on p.id = ra.person_id and p.disabled_at is null
         left join depths d on d.person_id = ra.person_id
        where ra.partnership_id = $1 and ra.role_type = $3 and ($2::uuid is null or u.agency_id = $2::uuid)
        order by (ra.person_id = $4::uuid) desc nulls last,
                 (ra.org_unit_id in (select org_unit_id from anchor_units)) desc,
                 d.depth nulls last, ra.created_at, ra.person_id
        limit 1`,
      [ctx.partnershipId, query.agencyId, query.roleType, query.anchorPersonId],
    );
    return rows[0]?.person_id ?? null;
  }
}
