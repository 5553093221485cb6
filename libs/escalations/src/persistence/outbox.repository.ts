import { Injectable } from '@nestjs/common';
import type { UnitOfWork } from '@hips/database';

/** Rows of `outbox` the case writes (docs/architecture.md "Outbox"): ids and codes only, never child identifiers. */
@Injectable()
export class OutboxRepository {
  async insert(
    uow: UnitOfWork,
    topic: string,
    dedupeKey: string,
    payload: Record<string, unknown>,
    availableAt?: Date,
  ): Promise<void> {
    await uow.query(
      `insert into outbox (partnership_id, topic, dedupe_key, payload, available_at) values ($1, $2, $3, $4, coalesce($5, now()))`,
      [uow.partnershipId, topic, dedupeKey, JSON.stringify(payload), availableAt ?? null],
    );
  }
}
