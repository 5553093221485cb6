import { Injectable } from '@nestjs/common';
import type { UnitOfWork } from '@hips/database';

/** An outbox row claimed for relaying. */
export interface PendingOutboxRow<P> {
  id: string;
  topic: string;
  payload: P;
}

/**
 * Every statement on `outbox` (docs/architecture.md "Outbox"): rows are written with the change and relayed after
 * commit. Payloads carry ids and codes only, never child identifiers.
 */
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

  /** Rows of one topic in one statement, available at once, in the order given. */
  async insertMany(
    uow: UnitOfWork,
    topic: string,
    rows: { dedupeKey: string; payload: Record<string, unknown> }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await uow.query(
      `insert into outbox (partnership_id, topic, dedupe_key, payload)
       select $1, $2, i.dedupe_key, i.payload
         from unnest($3::text[], $4::jsonb[]) with ordinality as i(dedupe_key, payload, n) order by n`,
      [uow.partnershipId, topic, rows.map((r) => r.dedupeKey), rows.map((r) => JSON.stringify(r.payload))],
    );
  }

  /**
   * Locks the oldest unrelayed rows of these topics (SKIP LOCKED: concurrent relays take disjoint rows) until the
   * transaction ends; `availableOnly` leaves rows whose `available_at` is still ahead.
   */
  claimPending<P>(
    uow: UnitOfWork,
    topics: string[],
    limit: number,
    availableOnly: boolean,
  ): Promise<PendingOutboxRow<P>[]> {
    return uow.query<PendingOutboxRow<P>[]>(
      `select id, topic, payload from outbox
         where partnership_id = $1 and relayed_at is null and topic = any($2::text[])
           and (not $4::boolean or available_at <= now())
         order by created_at limit $3 for update skip locked`,
      [uow.partnershipId, topics, limit, availableOnly],
    );
  }

  async markRelayed(uow: UnitOfWork, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await uow.query(`update outbox set relayed_at = now(), attempts = attempts + 1 where id = any($1)`, [
      ids,
    ]);
  }
}
