import { Injectable } from '@nestjs/common';
import type { RoleType } from '@hips/core';
import type { UnitOfWork } from '@hips/database';
import type { RoleGrantStatus } from '../dto/role-grants.model';

export interface GrantRow {
  id: string;
  person_id: string;
  org_unit_id: string;
  role_type: string;
  manager_person_id: string | null;
  /** PENDING past expires_at is reported as EXPIRED (see GRANT_COLUMNS). */
  status: RoleGrantStatus;
  requested_by_person_id: string;
  requested_at: Date;
  expires_at: Date;
  decided_by_person_id: string | null;
  decided_at: Date | null;
  decline_reason: string | null;
}

/** Expiry is computed on read, so nothing has to sweep pending requests for them to stop being approvable. */
const GRANT_COLUMNS = `id, person_id, org_unit_id, role_type, manager_person_id,
  case when status = 'PENDING' and expires_at <= now() then 'EXPIRED' else status end as status,
  requested_by_person_id, requested_at, expires_at, decided_by_person_id, decided_at, decline_reason`;

type GrantKey = { personId: string; orgUnitId: string; roleType: RoleType };

/** Four-eyes grant requests (role_grant_requests) of the unit's partnership. */
@Injectable()
export class RoleGrantsRepository {
  /** Marks the post's pending request expired when its time is up (it would still hold the pending unique index). */
  async expireStale(uow: UnitOfWork, key: GrantKey): Promise<void> {
    await uow.query(
      `update role_grant_requests set status = 'EXPIRED'
        where partnership_id = $1 and person_id = $2 and org_unit_id = $3 and role_type = $4
          and status = 'PENDING' and expires_at <= now()`,
      [uow.partnershipId, key.personId, key.orgUnitId, key.roleType],
    );
  }

  /** A new pending request by the unit's person, expiring after `ttlHours`. */
  async insert(
    uow: UnitOfWork,
    grant: GrantKey & { managerId: string | null; ttlHours: number },
  ): Promise<GrantRow> {
    const [row]: GrantRow[] = await uow.query(
      `insert into role_grant_requests (partnership_id, person_id, org_unit_id, role_type, manager_person_id,
         requested_by_person_id, expires_at)
       values ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7)) returning ${GRANT_COLUMNS}`,
      [
        uow.partnershipId,
        grant.personId,
        grant.orgUnitId,
        grant.roleType,
        grant.managerId,
        uow.ctx.personId,
        grant.ttlHours,
      ],
    );
    return row;
  }

  /** The request, locked for update; undefined when the partnership has none of that id. */
  async lock(uow: UnitOfWork, id: string): Promise<GrantRow | undefined> {
    const [row]: GrantRow[] = await uow.query(
      `select ${GRANT_COLUMNS} from role_grant_requests where partnership_id = $1 and id = $2 for update`,
      [uow.partnershipId, id],
    );
    return row;
  }

  /** Approves the request in the name of the unit's person. */
  async approve(uow: UnitOfWork, id: string): Promise<GrantRow> {
    const [row]: GrantRow[] = await uow.query(
      `with decided as (update role_grant_requests set status = 'APPROVED', decided_by_person_id = $3,
         decided_at = now() where partnership_id = $1 and id = $2 returning *) select ${GRANT_COLUMNS} from decided`,
      [uow.partnershipId, id, uow.ctx.personId],
    );
    return row;
  }

  /** Declines the request in the name of the unit's person. */
  async decline(uow: UnitOfWork, id: string, reason: string | null): Promise<GrantRow> {
    const [row]: GrantRow[] = await uow.query(
      `with decided as (update role_grant_requests set status = 'DECLINED', decided_by_person_id = $3,
         decided_at = now(), decline_reason = $4 where partnership_id = $1 and id = $2 returning *)
       select ${GRANT_COLUMNS} from decided`,
      [uow.partnershipId, id, uow.ctx.personId, reason],
    );
    return row;
  }

  /** The partnership's requests in one status, newest first, at most 200. */
  inStatus(uow: UnitOfWork, status: RoleGrantStatus): Promise<GrantRow[]> {
    return uow.query(
      `select * from (select ${GRANT_COLUMNS} from role_grant_requests where partnership_id = $1) g
        where g.status = $2 order by g.requested_at desc, g.id limit 200`,
      [uow.partnershipId, status],
    );
  }
}
