import type { RoleType } from '@hips/core';
import type { UnitOfWork } from '@hips/database';

/**
 * The directory's answers about the parties of an escalation case (relevant agencies, posts, role holders,
 * the partnership's reference prefix), so the case never queries the directory's tables itself.
 */

/** Does the person hold any post in a unit of the agency (in the unit's partnership)? */
export async function holdsPostInAgency(
  uow: UnitOfWork,
  personId: string,
  agencyId: string,
): Promise<boolean> {
  const found: unknown[] = await uow.query(
    `select 1 from role_assignments ra join org_units u on u.id = ra.org_unit_id
      where ra.partnership_id = $1 and ra.person_id = $2 and u.agency_id = $3 limit 1`,
    [uow.partnershipId, personId, agencyId],
  );
  return found.length > 0;
}

/** The unit of the person's post in the agency, a post of `preferredRole` first, then the oldest. */
export async function postUnitInAgency(
  uow: UnitOfWork,
  q: { personId: string; agencyId: string; preferredRole: RoleType },
): Promise<string | null> {
  const [post]: { org_unit_id: string }[] = await uow.query(
    `select ra.org_unit_id from role_assignments ra join org_units u on u.id = ra.org_unit_id
     where ra.partnership_id = $1 and ra.person_id = $2 and u.agency_id = $3
     order by (ra.role_type = $4) desc, ra.created_at limit 1`,
    [uow.partnershipId, q.personId, q.agencyId, q.preferredRole],
  );
  return post?.org_unit_id ?? null;
}

/**
 * A holder of the role type in the agency (any agency when agencyId is null) in the unit's partnership,
 * preferring the anchor person themselves, then a holder in the anchor's own unit, then the nearest up the
 * anchor's manager chain, then the longest-standing holder. Disabled people are never chosen.
 */
export async function nearestRoleHolder(
  uow: UnitOfWork,
  q: { agencyId: string | null; roleType: RoleType; anchorPersonId: string | null },
): Promise<string | null> {
  const rows: { person_id: string }[] = await uow.query(
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
    [uow.partnershipId, q.agencyId, q.roleType, q.anchorPersonId],
  );
  return rows[0]?.person_id ?? null;
}

/** The prefix of the unit's partnership's case references. */
export async function referencePrefix(uow: UnitOfWork): Promise<string> {
  const [{ reference_prefix: prefix }]: { reference_prefix: string }[] = await uow.query(
    'select reference_prefix from partnerships where id = $1',
    [uow.partnershipId],
  );
  return prefix;
}

/** The login emails of the people among `ids` who are not disabled. */
export function activeEmails(uow: UnitOfWork, ids: string[]): Promise<{ id: string; email: string }[]> {
  return uow.query('select id, email from people where id = any($1) and disabled_at is null', [ids]);
}

/** The manager of the person's oldest post with a manager (in the unit's partnership), or null. */
export async function firstManagerOf(uow: UnitOfWork, personId: string): Promise<string | null> {
  const [row]: { manager_person_id: string }[] = await uow.query(
    `select manager_person_id from role_assignments
     where partnership_id = $1 and person_id = $2 and manager_person_id is not null order by created_at limit 1`,
    [uow.partnershipId, personId],
  );
  return row?.manager_person_id ?? null;
}

/** The contact address of the unit's partnership (its safeguarding children partnership), or null. */
export async function partnershipContactEmail(uow: UnitOfWork): Promise<string | null> {
  const [p]: { contact_email: string }[] = await uow.query(
    'select contact_email from partnerships where id = $1',
    [uow.partnershipId],
  );
  return p ? p.contact_email : null;
}

/** Everyone holding the partnership manager role in the unit's partnership. */
export async function partnershipManagerIds(uow: UnitOfWork): Promise<string[]> {
  const rows: { person_id: string }[] = await uow.query(
    `select distinct person_id from role_assignments where partnership_id = $1 and role_type = 'PARTNERSHIP_MANAGER'`,
    [uow.partnershipId],
  );
  return rows.map((r) => r.person_id);
}

/** People who report (directly or not) to the manager in the unit's partnership, at most 20 levels down. */
export async function reportsOf(uow: UnitOfWork, managerPersonId: string): Promise<string[]> {
  const rows = await uow.query<{ person_id: string }[]>(
    `with recursive down(person_id, depth) as (
         select person_id, 1 from role_assignments where partnership_id = $1 and manager_person_id = $2
         union
         select ra.person_id, d.depth + 1 from down d
           join role_assignments ra on ra.partnership_id = $1 and ra.manager_person_id = d.person_id
          where d.depth < 20
       ) select distinct person_id from down`,
    [uow.partnershipId, managerPersonId],
  );
  return rows.map((r) => r.person_id);
}
