import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '@hips/audit';
import {
  fail,
  groupBy,
  hasRole,
  idOf,
  InputCheck,
  notFound,
  RequestContext,
  RoleTypeEnum,
  toGlobalId,
} from '@hips/common';
import { findStructuralProblems, isStageRole, type RoleType } from '@hips/core';
import { TenantDb } from '@hips/database';
import { assertCanManageAgency } from './agency-scope';
import type { OrgUnit } from './dto/directory.model';
import { OrgUnitRow, toOrgUnit } from './mappers';
import { Absence, Post, StructuralProblem, StructuralProblemCode } from './dto/org-structure.model';
import type {
  AddDeputyInput,
  CancelAbsenceInput,
  RecordAbsenceInput,
  RemoveDeputyInput,
} from './dto/org-structure.input';

/** Posts whose deputies an AGENCY_ADMIN may manage (as for assignRole); the rest need a PARTNERSHIP_ADMIN. */
const AGENCY_MANAGED: RoleType[] = [
  'PRACTITIONER',
  'LINE_MANAGER',
  'SAFEGUARDING_LEAD',
  'SENIOR_MANAGER',
  'AGENCY_ADMIN',
];

export interface PostRow {
  id: string;
  person_id: string;
  org_unit_id: string;
  role_type: string;
  manager_person_id: string | null;
  deputy_ids: string[];
}

interface AbsenceRow {
  id: string;
  person_id: string;
  starts_on: string;
  ends_on: string;
  reason: string;
  cancelled_at: Date | null;
  created_at: Date;
}

interface PersonLite {
  id: string;
  agency_id: string;
  display_name: string;
  disabled_at: Date | null;
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

const toAbsence = (r: AbsenceRow): Absence => ({
  __typename: 'Absence',
  id: toGlobalId('Absence', r.id),
  uuid: r.id,
  personUuid: r.person_id,
  from: r.starts_on,
  to: r.ends_on,
  reason: r.reason,
  recordedAt: r.created_at,
  cancelledAt: r.cancelled_at,
});

const ABSENCE_COLUMNS = `id, person_id, starts_on::text as starts_on, ends_on::text as ends_on, reason,
  cancelled_at, created_at`;

/** Deputies and absences (mutations), and reads of posts, units' children and structural problems. */
@Injectable()
export class OrgStructureService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
  ) {}

  async addDeputy(ctx: RequestContext, input: AddDeputyInput): Promise<{ post: Post }> {
    return this.db.run(ctx, async (em) => {
      const { post, person, unit } = await this.findPost(em, ctx, input);
      const deputyId = idOf(input.deputyPersonId, 'Person');
      const [deputy]: PersonLite[] = deputyId
        ? await em.query('select id, agency_id, display_name, disabled_at from people where id = $1', [
            deputyId,
          ])
        : [];
      if (!deputy) notFound('Deputy', ['input', 'deputyPersonId']);
      if (deputy.id === person.id) {
        fail('VALIDATION', 'The holder cannot be their own deputy', ['input', 'deputyPersonId']);
      }
      // A deputy stands in for the holder and sees their cases: nobody names themselves (separation of duties).
      if (deputy.id === ctx.personId) {
        fail('SELF_GRANT', 'Nobody may make themselves a deputy; another admin must do it', [
          'input',
          'deputyPersonId',
        ]);
      }
      if (deputy.agency_id !== unit.agency_id) {
        fail('VALIDATION', 'The deputy must belong to the same agency as the post', [
          'input',
          'deputyPersonId',
        ]);
      }
      if (deputy.disabled_at) fail('VALIDATION', 'The deputy is disabled', ['input', 'deputyPersonId']);
      const inserted: unknown[] = await em.query(
        `insert into post_deputies (partnership_id, role_assignment_id, deputy_person_id) values ($1, $2, $3)
         on conflict (partnership_id, role_assignment_id, deputy_person_id) do nothing returning id`,
        [ctx.partnershipId, post.id, deputy.id],
      );
      if (inserted.length === 0) {
        fail('DUPLICATE', 'This person is already a deputy for the post', ['input', 'deputyPersonId']);
      }
      await this.audit.record(em, ctx, {
        action: 'DEPUTY_ADDED',
        entityType: 'Person',
        entityId: person.id,
        detail: { roleType: post.role_type, orgUnitId: unit.id, deputyPersonId: deputy.id },
      });
      return { post: await this.reloadPost(em, ctx, post.id) };
    });
  }

  async removeDeputy(ctx: RequestContext, input: RemoveDeputyInput): Promise<{ post: Post }> {
    return this.db.run(ctx, async (em) => {
      const { post, person, unit } = await this.findPost(em, ctx, input);
      const deputyId = idOf(input.deputyPersonId, 'Person');
      const removed: unknown[] = deputyId
        ? await em.query(
            // A SELECT around the DELETE: TypeORM returns [rows, count] for a bare DELETE ... RETURNING.
            `with removed as (delete from post_deputies where partnership_id = $1 and role_assignment_id = $2
               and deputy_person_id = $3 returning id) select id from removed`,
            [ctx.partnershipId, post.id, deputyId],
          )
        : [];
      if (removed.length === 0) notFound('Deputy of this post', ['input', 'deputyPersonId']);
      await this.audit.record(em, ctx, {
        action: 'DEPUTY_REMOVED',
        entityType: 'Person',
        entityId: person.id,
        detail: { roleType: post.role_type, orgUnitId: unit.id, deputyPersonId: deputyId },
      });
      return { post: await this.reloadPost(em, ctx, post.id) };
    });
  }

  async recordAbsence(ctx: RequestContext, input: RecordAbsenceInput): Promise<{ absence: Absence }> {
    new InputCheck()
      .text(input.reason, ['input', 'reason'], { max: 200, label: 'reason' })
      .that(input.from <= input.to, ['input', 'to'], 'to must be on or after from')
      .done();
    return this.db.run(ctx, async (em) => {
      const person = await this.findPerson(em, ctx, input.personId, ['input', 'personId']);
      // Serialise absences of one person, so two overlapping requests at once cannot both pass the check.
      await em.query(`select pg_advisory_xact_lock(hashtextextended('absence:' || $1::text, 0))`, [
        person.id,
      ]);
      const overlapping: { starts_on: string; ends_on: string }[] = await em.query(
        `select starts_on::text as starts_on, ends_on::text as ends_on from absences
         where partnership_id = $1 and person_id = $2 and cancelled_at is null
           and starts_on <= $4::date and ends_on >= $3::date
         order by starts_on limit 1`,
        [ctx.partnershipId, person.id, input.from, input.to],
      );
      if (overlapping.length > 0) {
        const [o] = overlapping;
        fail('DUPLICATE', `Overlaps an absence already recorded (${o.starts_on} to ${o.ends_on})`, [
          'input',
          'from',
        ]);
      }
      const [row]: AbsenceRow[] = await em.query(
        `insert into absences (partnership_id, person_id, starts_on, ends_on, reason, recorded_by_person_id)
         values ($1, $2, $3, $4, $5, $6) returning ${ABSENCE_COLUMNS}`,
        [ctx.partnershipId, person.id, input.from, input.to, input.reason.trim(), ctx.personId],
      );
      await this.audit.record(em, ctx, {
        action: 'ABSENCE_RECORDED',
        entityType: 'Person',
        entityId: person.id,
        detail: { absenceId: row.id, from: row.starts_on, to: row.ends_on },
      });
      return { absence: toAbsence(row) };
    });
  }

  async cancelAbsence(ctx: RequestContext, input: CancelAbsenceInput): Promise<{ absence: Absence }> {
    return this.db.run(ctx, async (em) => {
      const absenceId = idOf(input.absenceId, 'Absence');
      const [existing]: AbsenceRow[] = absenceId
        ? await em.query(`select ${ABSENCE_COLUMNS} from absences where partnership_id = $1 and id = $2`, [
            ctx.partnershipId,
            absenceId,
          ])
        : [];
      if (!existing) notFound('Absence', ['input', 'absenceId']);
      const [person]: PersonLite[] = await em.query('select id, agency_id from people where id = $1', [
        existing.person_id,
      ]);
      if (!person) notFound('Absence', ['input', 'absenceId']);
      await assertCanManageAgency(em, ctx, person.agency_id, ['input', 'absenceId']);
      if (existing.cancelled_at)
        fail('INVALID_STATE', 'The absence is already cancelled', ['input', 'absenceId']);
      const [row]: AbsenceRow[] = await em.query(
        `with changed as (update absences set cancelled_at = now() where partnership_id = $1 and id = $2
           returning *) select ${ABSENCE_COLUMNS} from changed`,
        [ctx.partnershipId, existing.id],
      );
      await this.audit.record(em, ctx, {
        action: 'ABSENCE_CANCELLED',
        entityType: 'Person',
        entityId: person.id,
        detail: { absenceId: row.id },
      });
      return { absence: toAbsence(row) };
    });
  }

  // ---- reads (batched by the field resolvers' DataLoaders) ----

  async postsByPerson(ctx: RequestContext, personIds: readonly string[]): Promise<Map<string, Post[]>> {
    const rows: PostRow[] = await this.db.run(ctx, (em) =>
      em.query(`${selectPosts('ra.person_id = any($2)')} order by ra.role_type, ra.org_unit_id`, [
        ctx.partnershipId,
        personIds,
      ]),
    );
    return groupBy(rows.map(toPost), (p) => p.holderUuid);
  }

  async postsByUnit(ctx: RequestContext, unitIds: readonly string[]): Promise<Map<string, Post[]>> {
    const rows: PostRow[] = await this.db.run(ctx, (em) =>
      em.query(`${selectPosts('ra.org_unit_id = any($2)')} order by ra.role_type, ra.person_id`, [
        ctx.partnershipId,
        unitIds,
      ]),
    );
    return groupBy(rows.map(toPost), (p) => p.orgUnitUuid);
  }

  async childrenByUnit(ctx: RequestContext, unitIds: readonly string[]): Promise<Map<string, OrgUnit[]>> {
    const rows: OrgUnitRow[] = await this.db.run(ctx, (em) =>
      em.query('select * from org_units where parent_id = any($1) order by name, id', [unitIds]),
    );
    return groupBy(rows.map(toOrgUnit), (u) => u.parentUuid ?? '');
  }

  /**
   * Current and future absences (not cancelled) of each person, for the viewer's partnership. Only admins who
   * may manage the person's agency, and the person, see them: the reason may be personal.
   */
  async absencesByPerson(ctx: RequestContext, personIds: readonly string[]): Promise<Map<string, Absence[]>> {
    const rows: (AbsenceRow & { agency_id: string })[] = await this.db.run(ctx, (em) =>
      em.query(
        `select a.id, a.person_id, a.starts_on::text as starts_on, a.ends_on::text as ends_on, a.reason,
           a.cancelled_at, a.created_at, p.agency_id from absences a
         join people p on p.id = a.person_id
         where a.partnership_id = $1 and a.person_id = any($2) and a.cancelled_at is null
           and a.ends_on >= (now() at time zone 'Europe/London')::date
         order by a.starts_on, a.id`,
        [ctx.partnershipId, personIds],
      ),
    );
    const visible = rows.filter(
      (r) =>
        hasRole(ctx, 'PARTNERSHIP_ADMIN') ||
        (hasRole(ctx, 'AGENCY_ADMIN') && ctx.agencyId === r.agency_id) ||
        ctx.personId === r.person_id,
    );
    return groupBy(visible.map(toAbsence), (a) => a.personUuid);
  }

  /** Structural problems of the viewer's partnership (PARTNERSHIP_ADMIN; checked by the resolver's @Roles). */
  async structuralProblems(ctx: RequestContext): Promise<StructuralProblem[]> {
    if (!hasRole(ctx, 'PARTNERSHIP_ADMIN')) fail('FORBIDDEN', 'Only a partnership admin may do this');
    return this.db.run(ctx, async (em) => {
      const agencies: { id: string; name: string }[] = await em.query(
        `select a.id, a.name from agencies a
         join agency_memberships m on m.agency_id = a.id and m.partnership_id = $1 order by a.name, a.id`,
        [ctx.partnershipId],
      );
      const units: OrgUnitRow[] = await em.query(
        'select id, agency_id, parent_id, name from org_units where agency_id = any($1)',
        [agencies.map((a) => a.id)],
      );
      const posts: PostRow[] = await em.query(
        `select id, person_id, org_unit_id, role_type, manager_person_id, '{}'::text[] as deputy_ids
         from role_assignments where partnership_id = $1`,
        [ctx.partnershipId],
      );
      const ids = [...new Set(posts.flatMap((p) => [p.person_id, p.manager_person_id ?? p.person_id]))];
      const people: PersonLite[] = await em.query(
        'select id, agency_id, display_name, disabled_at from people where id = any($1)',
        [ids],
      );
      return findStructuralProblems({
        agencies,
        units: units.map((u) => ({ id: u.id, agencyId: u.agency_id, parentId: u.parent_id, name: u.name })),
        posts: posts.map((p) => ({
          personId: p.person_id,
          orgUnitId: p.org_unit_id,
          roleType: p.role_type as RoleType,
          managerPersonId: p.manager_person_id,
          deputyPersonIds: [],
        })),
        people: people.map((p) => ({ id: p.id, agencyId: p.agency_id, displayName: p.display_name })),
      }).map((p) => ({
        code: p.code as StructuralProblemCode,
        message: p.message,
        agencyUuid: p.agencyId,
        orgUnitUuid: p.orgUnitId,
        personUuid: p.personId,
        roleType: p.roleType as RoleTypeEnum | null,
      }));
    });
  }

  // ---- helpers ----

  /** The post named by (holder, unit, role type), after checking the caller may manage the unit's agency. */
  private async findPost(
    em: EntityManager,
    ctx: RequestContext,
    input: { personId: string; orgUnitId: string; roleType: RoleTypeEnum },
  ) {
    const roleType = input.roleType as RoleType;
    if (!isStageRole(roleType)) {
      fail('VALIDATION', `${roleType} posts do not own stages and take no deputies`, ['input', 'roleType']);
    }
    const unitId = idOf(input.orgUnitId, 'OrgUnit');
    const [unit]: OrgUnitRow[] = unitId
      ? await em.query('select * from org_units where id = $1', [unitId])
      : [];
    if (!unit) notFound('Organisational unit', ['input', 'orgUnitId']);
    await assertCanManageAgency(em, ctx, unit.agency_id, ['input', 'orgUnitId']);
    if (!hasRole(ctx, 'PARTNERSHIP_ADMIN') && !AGENCY_MANAGED.includes(roleType)) {
      fail('FORBIDDEN', `Only a partnership admin may manage ${roleType} posts`, ['input', 'roleType']);
    }
    const personId = idOf(input.personId, 'Person');
    const [person]: PersonLite[] = personId
      ? await em.query('select id, agency_id, display_name, disabled_at from people where id = $1', [
          personId,
        ])
      : [];
    if (!person) notFound('Person', ['input', 'personId']);
    const [post]: PostRow[] = await em.query(
      `${selectPosts('ra.person_id = $2 and ra.org_unit_id = $3 and ra.role_type = $4')}`,
      [ctx.partnershipId, person.id, unit.id, roleType],
    );
    if (!post) notFound(`${roleType} post of this person in this unit`, ['input', 'roleType']);
    return { post, person, unit };
  }

  private async reloadPost(em: EntityManager, ctx: RequestContext, postId: string): Promise<Post> {
    const [row]: PostRow[] = await em.query(selectPosts('ra.id = $2'), [ctx.partnershipId, postId]);
    return toPost(row);
  }

  /** A person visible in the tenant whose agency the caller may manage. */
  private async findPerson(
    em: EntityManager,
    ctx: RequestContext,
    globalId: string,
    field: string[],
  ): Promise<PersonLite> {
    const personId = idOf(globalId, 'Person');
    const [person]: PersonLite[] = personId
      ? await em.query('select id, agency_id, display_name, disabled_at from people where id = $1', [
          personId,
        ])
      : [];
    if (!person) notFound('Person', field);
    await assertCanManageAgency(em, ctx, person.agency_id, field);
    return person;
  }
}
