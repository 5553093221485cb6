import { systemContext, OutboxRepository } from '@hips/deadlines';
import { TenantDb } from '@hips/database';
import { EventRepository } from '../persistence/event.repository';
import { publishEscalationEvent } from './escalation-event-channel';

type Publisher = Parameters<typeof publishEscalationEvent>[0];

/**
 * Publishes committed case events (outbox topic ESCALATION_EVENT) to every API process for the escalationEvents
 * subscription. At least once: a crash between publishing and marking the row relayed publishes it again.
 */
export async function relayEscalationEvents(
  db: TenantDb,
  redis: Publisher,
  prefix: string,
  batchSize = 500,
  outbox = new OutboxRepository(),
  events = new EventRepository(),
): Promise<number> {
  const partnerships = await db.partnerships();
  let relayed = 0;
  for (const { id: partnershipId } of partnerships) {
    relayed += await db.transaction(systemContext(partnershipId, 'relay-escalation-events'), async (uow) => {
      const pending = await outbox.claimPending<{ eventId: string }>(
        uow,
        ['ESCALATION_EVENT'],
        batchSize,
        false,
      );
      const found = new Map(
        (
          await events.forRelay(
            uow,
            pending.map((o) => o.payload.eventId),
          )
        ).map((e) => [e.event_id, e]),
      );
      // An outbox row whose event is gone is left as it was (it was never selected before either).
      const relayable = pending.filter((o) => found.has(o.payload.eventId));
      for (const o of relayable) {
        const r = found.get(o.payload.eventId)!;
        await publishEscalationEvent(redis, prefix, {
          partnershipId,
          escalationId: r.escalation_id,
          eventId: r.event_id,
          kind: r.kind,
          at: r.at,
          stage: r.stage,
          actorPersonId: r.actor_person_id,
          raisingAgencyId: r.raising_agency_id,
          respondingAgencyId: r.responding_agency_id,
        });
      }
      await outbox.markRelayed(
        uow,
        relayable.map((o) => o.id),
      );
      return relayable.length;
    });
  }
  return relayed;
}
