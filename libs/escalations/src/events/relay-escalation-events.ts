import { TenantDb } from '@hips/database';
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
): Promise<number> {
  const partnerships = await db.partnerships();
  let relayed = 0;
  for (const { id: partnershipId } of partnerships) {
    relayed += await db.run({ partnershipId }, async (em) => {
      const rows: {
        outbox_id: string;
        event_id: string;
        escalation_id: string;
        kind: string;
        at: Date;
        stage: number | null;
        actor_person_id: string | null;
        raising_agency_id: string;
        responding_agency_id: string;
      }[] = await em.query(
        `select o.id as outbox_id, e.id as event_id, e.escalation_id, e.kind, e.at, e.stage, e.actor_person_id,
                c.raising_agency_id, c.responding_agency_id
         from outbox o
         join escalation_events e on e.id = (o.payload->>'eventId')::uuid
         join escalations c on c.id = e.escalation_id
         where o.partnership_id = $1 and o.topic = 'ESCALATION_EVENT' and o.relayed_at is null
         order by o.created_at limit $2 for update of o skip locked`,
        [partnershipId, batchSize],
      );
      for (const r of rows) {
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
      if (rows.length > 0) {
        await em.query('update outbox set relayed_at = now(), attempts = attempts + 1 where id = any($1)', [
          rows.map((r) => r.outbox_id),
        ]);
      }
      return rows.length;
    });
  }
  return relayed;
}
