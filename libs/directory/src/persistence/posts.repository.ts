import { Injectable } from '@nestjs/common';
import type { RoleTypeEnum } from '@hips/common';
import type { RoleType } from '@hips/core';
import type { UnitOfWork } from '@hips/database';
import type { Post } from '../dto/org-structure.model';

/** A post (role assignment) with its deputies' ids, as read. */
export interface PostRow {
  id: string;
  person_id: string;
  org_unit_id: string;
  role_type: string;
  manager_person_id: string | null;
  deputy_ids: string[];
}

/** Posts with their deputies, in the tenant. `where` is a condition on `ra`, with $1 the partnership. */
export function selectPosts(where: string): string {
  return `select ra.id, ra.person_id, ra.org_unit_id, ra.role_type, ra.manager_person_id,
      coalesce(array_agg(d.deputy_person_id::text order by d.created_at, d.deputy_person_id)
        filter (where d.deputy_person_id is not null), '{}')::text[] as deputy_ids
    from role_assignments ra
    left join post_deputies d on d.role_assignment_id = ra.id and d.partnership_id = ra.partnership_id
    where ra.partnership_id = $1 and (${where})
    group by ra.id`;
}

export const toPost = (r: PostRow): Post => ({
  holderUuid: r.person_id,
  orgUnitUuid: r.org_unit_id,
  managerUuid: r.manager_person_id,
  deputyUuids: r.deputy_ids,
  roleType: r.role_type as RoleTypeEnum,
});

/** Posts (role_assignments) and their deputies (post_deputies), in the unit's partnership. */
@Injectable()
export class PostsRepository {
  /** The posts the people hold, by role type and unit. */
  byHolders(uow: UnitOfWork, personIds: readonly string[]): Promise<PostRow[]> {
    return uow.query(`${selectPosts('ra.person_id = any($2)')} order by ra.role_type, ra.org_unit_id`, [
      uow.partnershipId,
      personIds,
    ]);
  }

  /** The posts of the units, by role type and holder. */
  byUnits(uow: UnitOfWork, unitIds: readonly string[]): Promise<PostRow[]> {
    return uow.query(`${selectPosts('ra.org_unit_id = any($2)')} order by ra.role_type, ra.person_id`, [
      uow.partnershipId,
      unitIds,
    ]);
  }

  /** The posts in these units and every post up their holders' manager chains (UNION stops on cycles). */
  inUnitsWithChainsAbove(uow: UnitOfWork, unitIds: readonly string[]): Promise<PostRow[]> {
    return uow.query(
      `with recursive chain(person_id) as (
         select person_id from role_assignments where partnership_id = $1 and org_unit_id = any($2)
         union
         select ra.manager_person_id from role_assignments ra join chain c on ra.person_id = c.person_id
         where ra.partnership_id = $1 and ra.manager_person_id is not null
       )
       ${selectPosts('ra.org_unit_id = any($2) or ra.person_id in (select person_id from chain)')}`,
      [uow.partnershipId, unitIds],
    );
  }

  /** Whether the person holds a post of the unit's partnership in the agency. */
  async holdsPostInAgency(uow: UnitOfWork, personId: string, agencyId: string): Promise<boolean> {
    const rows: unknown[] = await uow.query(
      `select 1 from role_assignments ra join org_units u on u.id = ra.org_unit_id
        where ra.partnership_id = $1 and ra.person_id = $2 and u.agency_id = $3 limit 1`,
      [uow.partnershipId, personId, agencyId],
    );
    return rows.length > 0;
  }

  /** Whether this holder already holds the post (unit and role type) in the unit's partnership. */
  async isHeld(
    uow: UnitOfWork,
    post: { personId: string; orgUnitId: string; roleType: RoleType },
  ): Promise<boolean> {
    const rows: unknown[] = await uow.query(
      `select 1 from role_assignments
        where partnership_id = $1 and person_id = $2 and org_unit_id = $3 and role_type = $4`,
      [uow.partnershipId, post.personId, post.orgUnitId, post.roleType],
    );
    return rows.length > 0;
  }

  /** Serialises the partnership's manager-chain changes until the transaction ends. */
  async lockManagerChains(uow: UnitOfWork): Promise<void> {
    await uow.query(`select pg_advisory_xact_lock(hashtextextended('manager-chain:' || $1::text, 0))`, [
      uow.partnershipId,
    ]);
  }

  /** Everyone up the person's manager chains in the partnership (any of their posts), at most 50 levels. */
  async managerIdsAbove(
    uow: Pick<UnitOfWork, 'query' | 'partnershipId'>,
    personId: string,
  ): Promise<Set<string>> {
    const rows: { person_id: string }[] = await uow.query(
      `with recursive up(person_id, depth) as (
         select manager_person_id, 1 from role_assignments
          where partnership_id = $1 and person_id = $2 and manager_person_id is not null
         union
         select ra.manager_person_id, u.depth + 1 from up u
           join role_assignments ra on ra.partnership_id = $1 and ra.person_id = u.person_id
          where ra.manager_person_id is not null and u.depth < 50
       ) select distinct person_id from up`,
      [uow.partnershipId, personId],
    );
    return new Set(rows.map((r) => r.person_id));
  }

  /** The post of this holder, unit and role type (its id and manager), locked for update; undefined when none. */
  async lockPost(
    uow: UnitOfWork,
    post: { personId: string; orgUnitId: string; roleType: RoleType },
  ): Promise<{ id: string; manager_person_id: string | null } | undefined> {
    const [row]: { id: string; manager_person_id: string | null }[] = await uow.query(
      `select id, manager_person_id from role_assignments
        where partnership_id = $1 and person_id = $2 and org_unit_id = $3 and role_type = $4 for update`,
      [uow.partnershipId, post.personId, post.orgUnitId, post.roleType],
    );
    return row;
  }

  /** Inserts the post, or gives the existing one this manager. */
  async upsert(
    uow: UnitOfWork,
    post: { personId: string; orgUnitId: string; roleType: RoleType; managerId: string | null },
  ): Promise<void> {
    await uow.query(
      `insert into role_assignments (partnership_id, person_id, org_unit_id, role_type, manager_person_id)
       values ($1, $2, $3, $4, $5)
       on conflict (partnership_id, person_id, org_unit_id, role_type)
       do update set manager_person_id = excluded.manager_person_id`,
      [uow.partnershipId, post.personId, post.orgUnitId, post.roleType, post.managerId],
    );
  }

  async byId(uow: UnitOfWork, postId: string): Promise<PostRow> {
    const [row]: PostRow[] = await uow.query(selectPosts('ra.id = $2'), [uow.partnershipId, postId]);
    return row;
  }

  /** The post named by (holder, unit, role type), if there is one. */
  async byHolderUnitRole(
    uow: UnitOfWork,
    post: { personId: string; orgUnitId: string; roleType: string },
  ): Promise<PostRow | undefined> {
    const [row]: PostRow[] = await uow.query(
      selectPosts('ra.person_id = $2 and ra.org_unit_id = $3 and ra.role_type = $4'),
      [uow.partnershipId, post.personId, post.orgUnitId, post.roleType],
    );
    return row;
  }

  /** Every post of the partnership, without deputies (what the structural checks look at). */
  withoutDeputies(uow: UnitOfWork): Promise<PostRow[]> {
    return uow.query(
      `select id, person_id, org_unit_id, role_type, manager_person_id, '{}'::text[] as deputy_ids
       from role_assignments where partnership_id = $1`,
      [uow.partnershipId],
    );
  }

  /** Adds a deputy to a post; false when they already are one. */
  async addDeputy(uow: UnitOfWork, postId: string, deputyPersonId: string): Promise<boolean> {
    const inserted: unknown[] = await uow.query(
      `insert into post_deputies (partnership_id, role_assignment_id, deputy_person_id) values ($1, $2, $3)
       on conflict (partnership_id, role_assignment_id, deputy_person_id) do nothing returning id`,
      [uow.partnershipId, postId, deputyPersonId],
    );
    return inserted.length > 0;
  }

  /** Removes a deputy from a post; false when they were none. */
  async removeDeputy(uow: UnitOfWork, postId: string, deputyPersonId: string): Promise<boolean> {
    const removed: unknown[] = await uow.query(
      // A SELECT around the DELETE: TypeORM returns [rows, count] for a bare DELETE ... RETURNING.
      `with removed as (delete from post_deputies where partnership_id = $1 and role_assignment_id = $2
         and deputy_person_id = $3 returning id) select id from removed`,
      [uow.partnershipId, postId, deputyPersonId],
    );
    return removed.length > 0;
  }

  /** Removes the post named by (holder, unit, role type); what it was, if there was one. */
  async remove(
    uow: UnitOfWork,
    post: { personId: string; orgUnitId: string; roleType: string },
  ): Promise<{ id: string; manager_person_id: string | null } | undefined> {
    const [removed]: { id: string; manager_person_id: string | null }[] = await uow.query(
      // A SELECT around the DELETE: TypeORM returns [rows, count] for a bare DELETE ... RETURNING.
      `with removed as (delete from role_assignments where partnership_id = $1 and person_id = $2
         and org_unit_id = $3 and role_type = $4 returning id, manager_person_id) select * from removed`,
      [uow.partnershipId, post.personId, post.orgUnitId, post.roleType],
    );
    return removed;
  }
}
