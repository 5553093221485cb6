import { Injectable } from '@nestjs/common';
import type { UnitOfWork } from '@hips/database';
import type { SealedChild } from '../child-crypto';

/** Writes of `escalation_children`: the child's identifiers, sealed (see ../child-crypto.ts). */
@Injectable()
export class ChildRecordRepository {
  async insert(uow: UnitOfWork, escalationId: string, sealed: SealedChild): Promise<void> {
    await uow.query(
      `insert into escalation_children (partnership_id, escalation_id, ciphertext, iv, tag) values ($1, $2, $3, $4, $5)`,
      [uow.partnershipId, escalationId, sealed.ciphertext, sealed.iv, sealed.tag],
    );
  }
}
