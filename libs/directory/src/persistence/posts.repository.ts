import { Injectable } from '@nestjs/common';
import type { RoleTypeEnum } from '@hips/common';
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
