import { Injectable } from '@nestjs/common';
import type { UnitOfWork } from '@hips/database';
import type { SealedChild } from '../child-crypto';

/** Writes of `escalation_children`: each child's identifiers, sealed (see ../child-crypto.ts), in order. */
@Injectable()
export class ChildRecordRepository {
  /** The case's children, one row each; the first is ordinal 0 (the case's `child`). */
  async insertAll(uow: UnitOfWork, escalationId: string, children: readonly SealedChild[]): Promise<void> {
    await uow.query(
      `insert into escalation_children (partnership_id, escalation_id, ordinal, ciphertext, iv, tag)
         select $1, $2, c.ordinal - 1, c.ciphertext, c.iv, c.tag
           from unnest($3::bytea[], $4::bytea[], $5::bytea[]) with ordinality as c(ciphertext, iv, tag, ordinal)`,
      [
        uow.partnershipId,
        escalationId,
        children.map((c) => c.ciphertext),
        children.map((c) => c.iv),
        children.map((c) => c.tag),
      ],
    );
  }
}
