import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { UnitOfWork } from '@hips/database';

/** One chronology event to write. */
export interface NewEvent {
  escalationId: string;
  kind: string;
  stage: number | null;
  detail: string | null;
}

/** An event as the escalationEvents subscription relays it, with the agencies of its case. */
export interface RelayedEventRow {
  event_id: string;
  escalation_id: string;
  kind: string;
  at: Date;
  stage: number | null;
  actor_person_id: string | null;
  raising_agency_id: string;
  responding_agency_id: string;
}

/** Every statement on `escalation_events` (their outbox rows are written through libs/deadlines' OutboxRepository). */
@Injectable()
export class EventRepository {
  /**
   * Chronology events in one statement. Ids are made here so each returned event matches its input; `at` is the
   * database clock as each row is written.
   */
  async insertMany(uow: UnitOfWork, items: NewEvent[]): Promise<{ id: string; at: Date }[]> {
    if (items.length === 0) return [];
    const ids = items.map(() => randomUUID());
    const rows: { id: string; at: Date }[] = await uow.query(
      `insert into escalation_events (id, partnership_id, escalation_id, kind, at, actor_person_id,
         actor_api_key_id, stage, detail)
       select id, $1, escalation_id, kind, clock_timestamp(), $7, $8, stage, detail
         from unnest($2::uuid[], $3::uuid[], $4::text[], $5::int[], $6::text[])
           with ordinality as i(id, escalation_id, kind, stage, detail, n)
        order by n
       returning id, at`,
      [
        uow.partnershipId,
        ids,
        items.map((i) => i.escalationId),
        items.map((i) => i.kind),
        items.map((i) => i.stage),
        items.map((i) => i.detail),
        uow.ctx.personId,
        uow.ctx.apiKeyId,
      ],
    );
    const at = new Map(rows.map((r) => [r.id, r.at]));
    return ids.map((id) => ({ id, at: at.get(id)! }));
  }

  /** The events with these ids and the agencies of their cases (for relaying them to subscribers). */
  forRelay(uow: UnitOfWork, eventIds: string[]): Promise<RelayedEventRow[]> {
    if (eventIds.length === 0) return Promise.resolve([]);
    return uow.query<RelayedEventRow[]>(
      `select e.id as event_id, e.escalation_id, e.kind, e.at, e.stage, e.actor_person_id,
              c.raising_agency_id, c.responding_agency_id
         from escalation_events e join escalations c on c.id = e.escalation_id
        where e.id = any($1::uuid[])`,
      [eventIds],
    );
  }
}
