import { Injectable } from '@nestjs/common';
import { AuditService } from '@hips/audit';
import { fail, hasRole, idOf, InputCheck, notFound, RequestContext, RoleTypeEnum } from '@hips/common';
import { isStageRole, type RoleType } from '@hips/core';
import { TenantDb, UnitOfWork } from '@hips/database';
import { assertCanManageAgency } from './agency-scope';
import { Absence, Post } from './dto/org-structure.model';
import type {
  AddDeputyInput,
  CancelAbsenceInput,
  RecordAbsenceInput,
  RemoveDeputyInput,
} from './dto/org-structure.input';
import { OrgUnitRow } from './mappers';
import { AbsencesRepository, toAbsence } from './persistence/absences.repository';
import { DirectoryRepository } from './persistence/directory.repository';
import { PostsRepository, toPost } from './persistence/posts.repository';

/** Posts whose deputies an AGENCY_ADMIN may manage (as for assignRole); the rest need a PARTNERSHIP_ADMIN. */
const AGENCY_MANAGED: RoleType[] = [
  'PRACTITIONER',
  'LINE_MANAGER',
  'SAFEGUARDING_LEAD',
  'SENIOR_MANAGER',
  'AGENCY_ADMIN',
];

interface PersonLite {
  id: string;
  agency_id: string;
  display_name: string;
  disabled_at: Date | null;
}

/** Deputies and absences: the mutations of the organisational structure (reads: OrgStructureReadService). */
@Injectable()
export class OrgStructureService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    private readonly posts: PostsRepository,
    private readonly absences: AbsencesRepository,
    private readonly directory: DirectoryRepository,
  ) {}

  async addDeputy(ctx: RequestContext, input: AddDeputyInput): Promise<{ post: Post }> {
    return this.db.transaction(ctx, async (uow) => {
      const { post, person, unit } = await this.findPost(uow, input);
      const deputyId = idOf(input.deputyPersonId, 'Person');
      const deputy = deputyId ? await this.personById(uow, deputyId) : undefined;
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
      if (!(await this.posts.addDeputy(uow, post.id, deputy.id))) {
        fail('DUPLICATE', 'This person is already a deputy for the post', ['input', 'deputyPersonId']);
      }
      await this.audit.record(uow.em, ctx, {
        action: 'DEPUTY_ADDED',
        entityType: 'Person',
        entityId: person.id,
        detail: { roleType: post.role_type, orgUnitId: unit.id, deputyPersonId: deputy.id },
      });
      return { post: toPost(await this.posts.byId(uow, post.id)) };
    });
  }

  async removeDeputy(ctx: RequestContext, input: RemoveDeputyInput): Promise<{ post: Post }> {
    return this.db.transaction(ctx, async (uow) => {
      const { post, person, unit } = await this.findPost(uow, input);
      const deputyId = idOf(input.deputyPersonId, 'Person');
      const removed = deputyId ? await this.posts.removeDeputy(uow, post.id, deputyId) : false;
      if (!removed) notFound('Deputy of this post', ['input', 'deputyPersonId']);
      await this.audit.record(uow.em, ctx, {
        action: 'DEPUTY_REMOVED',
        entityType: 'Person',
        entityId: person.id,
        detail: { roleType: post.role_type, orgUnitId: unit.id, deputyPersonId: deputyId },
      });
      return { post: toPost(await this.posts.byId(uow, post.id)) };
    });
  }

  async recordAbsence(ctx: RequestContext, input: RecordAbsenceInput): Promise<{ absence: Absence }> {
    new InputCheck()
      .text(input.reason, ['input', 'reason'], { max: 200, label: 'reason' })
      .that(input.from <= input.to, ['input', 'to'], 'to must be on or after from')
      .done();
    return this.db.transaction(ctx, async (uow) => {
      const person = await this.findPerson(uow, input.personId, ['input', 'personId']);
      await this.absences.lockPerson(uow, person.id);
      const overlapping = await this.absences.firstOverlapping(uow, person.id, input.from, input.to);
      if (overlapping) {
        fail(
          'DUPLICATE',
          `Overlaps an absence already recorded (${overlapping.starts_on} to ${overlapping.ends_on})`,
          ['input', 'from'],
        );
      }
      const row = await this.absences.insert(uow, {
        personId: person.id,
        from: input.from,
        to: input.to,
        reason: input.reason.trim(),
        recordedBy: ctx.personId,
      });
      await this.audit.record(uow.em, ctx, {
        action: 'ABSENCE_RECORDED',
        entityType: 'Person',
        entityId: person.id,
        detail: { absenceId: row.id, from: row.starts_on, to: row.ends_on },
      });
      return { absence: toAbsence(row) };
    });
  }

  async cancelAbsence(ctx: RequestContext, input: CancelAbsenceInput): Promise<{ absence: Absence }> {
    return this.db.transaction(ctx, async (uow) => {
      const absenceId = idOf(input.absenceId, 'Absence');
      const existing = absenceId ? await this.absences.find(uow, absenceId) : undefined;
      if (!existing) notFound('Absence', ['input', 'absenceId']);
      const person = await this.personById(uow, existing.person_id);
      if (!person) notFound('Absence', ['input', 'absenceId']);
      await assertCanManageAgency(uow.em, ctx, person.agency_id, ['input', 'absenceId']);
      if (existing.cancelled_at)
        fail('INVALID_STATE', 'The absence is already cancelled', ['input', 'absenceId']);
      const row = await this.absences.cancel(uow, existing.id);
      await this.audit.record(uow.em, ctx, {
        action: 'ABSENCE_CANCELLED',
        entityType: 'Person',
        entityId: person.id,
        detail: { absenceId: row.id },
      });
      return { absence: toAbsence(row) };
    });
  }

  /** The post named by (holder, unit, role type), after checking the caller may manage the unit's agency. */
  private async findPost(
    uow: UnitOfWork,
    input: { personId: string; orgUnitId: string; roleType: RoleTypeEnum },
  ) {
    const ctx = uow.ctx;
    const roleType = input.roleType as RoleType;
    if (!isStageRole(roleType)) {
      fail('VALIDATION', `${roleType} posts do not own stages and take no deputies`, ['input', 'roleType']);
    }
    const unitId = idOf(input.orgUnitId, 'OrgUnit');
    const [unit]: OrgUnitRow[] = unitId ? await this.directory.orgUnitsByIds(uow, [unitId]) : [];
    if (!unit) notFound('Organisational unit', ['input', 'orgUnitId']);
    await assertCanManageAgency(uow.em, ctx, unit.agency_id, ['input', 'orgUnitId']);
    if (!hasRole(ctx, 'PARTNERSHIP_ADMIN') && !AGENCY_MANAGED.includes(roleType)) {
      fail('FORBIDDEN', `Only a partnership admin may manage ${roleType} posts`, ['input', 'roleType']);
    }
    const personId = idOf(input.personId, 'Person');
    const person = personId ? await this.personById(uow, personId) : undefined;
    if (!person) notFound('Person', ['input', 'personId']);
    const post = await this.posts.byHolderUnitRole(uow, {
      personId: person.id,
      orgUnitId: unit.id,
      roleType,
    });
    if (!post) notFound(`${roleType} post of this person in this unit`, ['input', 'roleType']);
    return { post, person, unit };
  }

  /** A person visible in the tenant whose agency the caller may manage. */
  private async personById(uow: UnitOfWork, personId: string): Promise<PersonLite | undefined> {
    const [person] = await this.directory.routablePeople(uow, [personId]);
    return person;
  }

  private async findPerson(uow: UnitOfWork, globalId: string, field: string[]): Promise<PersonLite> {
    const personId = idOf(globalId, 'Person');
    const person = personId ? await this.personById(uow, personId) : undefined;
    if (!person) notFound('Person', field);
    await assertCanManageAgency(uow.em, uow.ctx, person.agency_id, field);
    return person;
  }
}
