import { Injectable } from '@nestjs/common';
import type { UnitOfWork } from '@hips/database';
import type { RedirectReason } from '../dto/escalation-enums';

/** Statements of intake: redirected intakes and the idempotency lock of a raise. */
@Injectable()
export class IntakeRepository {
  /** One raise per idempotency key at a time, whichever table it ends in: a concurrent retry waits. */
  async lockIdempotencyKey(uow: UnitOfWork, key: string): Promise<void> {
    await uow.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `raise-idempotency:${uow.partnershipId}:${key}`,
    ]);
  }

  async findRedirect(
    uow: UnitOfWork,
    key: string,
  ): Promise<{ reason: RedirectReason; request_fingerprint: string | null } | undefined> {
    const [intake]: { reason: RedirectReason; request_fingerprint: string | null }[] = await uow.query(
      'select reason, request_fingerprint from redirected_intakes where partnership_id = $1 and idempotency_key = $2',
      [uow.partnershipId, key],
    );
    return intake;
  }

  async insertRedirect(
    uow: UnitOfWork,
    r: { reason: RedirectReason; agencyId: string; key: string | null; fingerprint: string | null },
  ): Promise<string> {
    const [row]: { id: string }[] = await uow.query(
      `insert into redirected_intakes (partnership_id, reason, raising_agency_id, raised_by_person_id,
         raised_by_api_key_id, idempotency_key, request_fingerprint)
       values ($1, $2, $3, $4, $5, $6, $7) returning id`,
      [uow.partnershipId, r.reason, r.agencyId, uow.ctx.personId, uow.ctx.apiKeyId, r.key, r.fingerprint],
    );
    return row.id;
  }
}
