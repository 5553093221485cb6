import { Injectable } from '@nestjs/common';
import type { UnitOfWork } from '@hips/database';
import type { RedirectReason } from '../escalation.models';
import type { SealedChild } from '../child-crypto';
import type { NoteRow } from '../mappers';

/** Statements of intake and of a case's records: redirected intakes, sealed child records, notes. */
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

  async insertChild(uow: UnitOfWork, escalationId: string, sealed: SealedChild): Promise<void> {
    await uow.query(
      `insert into escalation_children (partnership_id, escalation_id, ciphertext, iv, tag) values ($1, $2, $3, $4, $5)`,
      [uow.partnershipId, escalationId, sealed.ciphertext, sealed.iv, sealed.tag],
    );
  }

  async insertNote(
    uow: UnitOfWork,
    escalationId: string,
    note: { visibility: string; text: string },
  ): Promise<NoteRow> {
    const [row]: NoteRow[] = await uow.query(
      `insert into escalation_notes (partnership_id, escalation_id, author_person_id, author_api_key_id, author_agency_id,
         visibility, text) values ($1, $2, $3, $4, $5, $6, $7) returning *`,
      [
        uow.partnershipId,
        escalationId,
        uow.ctx.personId,
        uow.ctx.apiKeyId,
        uow.ctx.agencyId,
        note.visibility,
        note.text,
      ],
    );
    return row;
  }
}
