import { Injectable } from '@nestjs/common';
import type { UnitOfWork } from '@hips/database';
import type { AgencyRow } from '../mappers';

/**
 * Which agencies are relevant agencies of a partnership (agency_memberships), one method per question the other
 * libraries ask: they call this rather than joining the directory's tables by string (docs/architecture.md
 * "Modules"). Every statement runs in the caller's unit of work, under row-level security for its partnership.
 */
@Injectable()
export class AgencyMembershipRepository {
  /** Whether the agency is a relevant agency of the unit's partnership. */
  async isMember(uow: UnitOfWork, agencyId: string): Promise<boolean> {
    const rows: unknown[] = await uow.query(
      `select 1 from agencies a join agency_memberships m on m.agency_id = a.id and m.partnership_id = $2
       where a.id = $1`,
      [agencyId, uow.partnershipId],
    );
    return rows.length > 0;
  }

  /** A page of the partnership's agencies by name, after the (name, id) cursor; `limit` rows at most. */
  pageByName(
    uow: UnitOfWork,
    after: { key: string; id: string } | null,
    limit: number,
  ): Promise<AgencyRow[]> {
    return uow.query<AgencyRow[]>(
      `select a.* from agencies a join agency_memberships m on m.agency_id = a.id and m.partnership_id = $1
       where ($2::text is null or (a.name, a.id) > ($2, $3::uuid))
       order by a.name, a.id limit $4`,
      [uow.partnershipId, after?.key ?? null, after?.id ?? null, limit],
    );
  }

  /** How many relevant agencies the partnership has. */
  async count(uow: UnitOfWork): Promise<number> {
    const [{ count }]: { count: number }[] = await uow.query(
      'select count(*)::int as count from agency_memberships where partnership_id = $1',
      [uow.partnershipId],
    );
    return count;
  }

  /** Every relevant agency of the partnership (id and name), by name. */
  listByName(uow: UnitOfWork): Promise<{ id: string; name: string }[]> {
    return uow.query(
      `select a.id, a.name from agencies a
       join agency_memberships m on m.agency_id = a.id and m.partnership_id = $1 order by a.name, a.id`,
      [uow.partnershipId],
    );
  }

  /** Makes the agency a relevant agency of the unit's partnership. */
  async add(uow: UnitOfWork, agencyId: string): Promise<void> {
    await uow.query('insert into agency_memberships (partnership_id, agency_id) values ($1, $2)', [
      uow.partnershipId,
      agencyId,
    ]);
  }
}
