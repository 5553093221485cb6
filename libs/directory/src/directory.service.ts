import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { decodeCursor, pageSize, RequestContext, toPage } from '@hips/common';
import type { RoleType } from '@hips/core';
import { TenantDb } from '@hips/database';
import { Agency, OrgUnit, Partnership, Person, Viewer } from './dto/directory.model';
import { toAgency, toOrgUnit, toPartnership, toPerson } from './mappers';
import { AgencyMembershipRepository } from './persistence/agency-membership.repository';
import { DirectoryRepository } from './persistence/directory.repository';

/** Reads of the directory, always inside the caller's tenant (row-level security) and filtered by it too. */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly db: TenantDb,
    private readonly memberships: AgencyMembershipRepository,
    private readonly repository: DirectoryRepository,
  ) {}

  read<T>(ctx: RequestContext, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.run(ctx, work);
  }

  async partnerships(ctx: RequestContext): Promise<Partnership[]> {
    const rows = await this.db.transaction(ctx, (uow) => this.repository.partnerships(uow));
    return rows.map(toPartnership);
  }

  async partnershipsByIds(ctx: RequestContext, ids: readonly string[]): Promise<Partnership[]> {
    const rows = await this.db.transaction(ctx, (uow) => this.repository.partnershipsByIds(uow, ids));
    return rows.map(toPartnership);
  }

  /** Agencies that are relevant agencies of the viewer's partnership, by name. */
  async agencies(ctx: RequestContext, first: number | null | undefined, after: string | null | undefined) {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 'text');
    return this.db.transaction(ctx, async (uow) => {
      const rows = await this.memberships.pageByName(uow, cursor, limit + 1);
      const count = await this.memberships.count(uow);
      const page = toPage(rows.map(toAgency), limit, (a) => ({ key: a.name, id: a.uuid }), cursor !== null);
      return { ...page, totalCount: count };
    });
  }

  async agenciesByIds(ctx: RequestContext, ids: readonly string[]): Promise<Agency[]> {
    const rows = await this.db.transaction(ctx, (uow) => this.repository.agenciesByIds(uow, ids));
    return rows.map(toAgency);
  }

  async partnershipCodesByAgency(
    ctx: RequestContext,
    agencyIds: readonly string[],
  ): Promise<Map<string, string[]>> {
    const rows = await this.db.transaction(ctx, (uow) =>
      this.repository.partnershipCodesOfAgencies(uow, agencyIds),
    );
    const byAgency = new Map<string, string[]>();
    for (const row of rows) byAgency.set(row.agency_id, [...(byAgency.get(row.agency_id) ?? []), row.code]);
    return byAgency;
  }

  async orgUnitsByAgency(ctx: RequestContext, agencyIds: readonly string[]): Promise<OrgUnit[]> {
    const rows = await this.db.transaction(ctx, (uow) => this.repository.orgUnitsByAgencies(uow, agencyIds));
    return rows.map(toOrgUnit);
  }

  async orgUnitsByIds(ctx: RequestContext, ids: readonly string[]): Promise<OrgUnit[]> {
    const rows = await this.db.transaction(ctx, (uow) => this.repository.orgUnitsByIds(uow, ids));
    return rows.map(toOrgUnit);
  }

  async peopleByIds(ctx: RequestContext, ids: readonly string[]): Promise<Person[]> {
    const rows = await this.db.transaction(ctx, (uow) => this.repository.peopleByIds(uow, ids));
    return rows.map(toPerson);
  }

  /** Role types each person holds in the viewer's partnership. */
  async rolesByPerson(ctx: RequestContext, personIds: readonly string[]): Promise<Map<string, RoleType[]>> {
    const rows = await this.db.transaction(ctx, (uow) => this.repository.roleTypesOf(uow, personIds));
    const byPerson = new Map<string, RoleType[]>();
    for (const r of rows) byPerson.set(r.person_id, [...(byPerson.get(r.person_id) ?? []), r.role_type]);
    return byPerson;
  }

  /**
   * Who a person is in a partnership, for authentication (no RequestContext exists yet): their agency, the
   * partnership's code and the role types they hold there; null when disabled or unknown.
   */
  async personInPartnership(
    personId: string,
    partnershipId: string,
  ): Promise<{ agencyId: string; partnershipCode: string; roles: RoleType[] } | null> {
    const row = await this.db.run({ partnershipId }, (em) =>
      this.repository.personInPartnership(em, personId, partnershipId),
    );
    return row ? { agencyId: row.agency_id, partnershipCode: row.code, roles: row.roles ?? [] } : null;
  }

  async viewer(ctx: RequestContext): Promise<Viewer> {
    const [partnership] = await this.partnershipsByIds(ctx, [ctx.partnershipId]);
    const [person] = ctx.personId ? await this.peopleByIds(ctx, [ctx.personId]) : [];
    return {
      person: person ?? null,
      apiClientName: ctx.apiClientName,
      partnership: partnership ?? null,
      roles: [...ctx.roles].sort() as Viewer['roles'],
    };
  }
}
