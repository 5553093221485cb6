import type { EntityManager } from 'typeorm';
import { caseLink, toGlobalId } from '@hips/common';
import { partnershipCodeOf } from '@hips/directory';

/** A case event as the case code hands it over: ids, kind, reference and stage only. */
export interface WebhookEvent {
  /** The EscalationEvent id (uuid): one delivery per endpoint per event, however often enqueued. */
  id: string;
  /** e.g. RAISED, RESPONDED, ESCALATED, EXTENDED, REMINDER_SENT, STAGE_BREACHED, RESOLVED, WITHDRAWN, REOPENED */
  kind: string;
  escalationId: string;
  /** The human case reference, e.g. PSCP-2026-000123 (never a child identifier). */
  reference: string;
  stage: number | null;
  at: Date;
  /**
   * The agencies whose systems may see the case (the case visibility policy's `agencySystemsSeeing`, in
   * libs/escalations): their enabled endpoints, and no one else's, receive the event.
   */
  agencyIds: string[];
}

/** The JSON body every receiver gets. Deliberately narrow: no child identifiers, no free text. */
export interface WebhookPayload {
  id: string;
  kind: string;
  at: string;
  partnership: string;
  escalationId: string;
  reference: string;
  stage: number | null;
  link: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function webhookPayload(
  publicUrl: string,
  partnershipCode: string,
  event: WebhookEvent,
): WebhookPayload {
  const escalationId = toGlobalId('Escalation', event.escalationId);
  return {
    id: toGlobalId('EscalationEvent', event.id),
    kind: event.kind,
    at: event.at.toISOString(),
    partnership: partnershipCode,
    escalationId,
    reference: event.reference,
    stage: event.stage,
    link: caseLink(publicUrl, event.escalationId),
  };
}

/**
 * Writes one PENDING delivery per enabled endpoint of the involved agencies whose filter matches, inside the
 * caller's transaction (its tenant set): the outbox commits with the case change or not at all. Enqueueing the
 * same event twice adds nothing. Returns the ids of the deliveries created.
 */
export function enqueueWebhookDeliveries(
  em: EntityManager,
  publicUrl: string,
  partnershipId: string,
  event: WebhookEvent,
): Promise<string[]> {
  return enqueueWebhookDeliveriesMany(em, publicUrl, partnershipId, [event]);
}

/** The deliveries of several events in one statement (a batch of fired deadlines), as enqueueWebhookDeliveries. */
export async function enqueueWebhookDeliveriesMany(
  em: EntityManager,
  publicUrl: string,
  partnershipId: string,
  events: WebhookEvent[],
): Promise<string[]> {
  const wanted = [];
  for (const event of events) {
    if (!UUID.test(event.id) || !UUID.test(event.escalationId)) {
      throw new Error('webhook events need uuid event and escalation ids');
    }
    if (!/^[A-Z][A-Z0-9_]{0,63}$/.test(event.kind)) throw new Error(`bad webhook event kind ${event.kind}`);
    const agencyIds = [...new Set(event.agencyIds)].filter((id) => UUID.test(id));
    if (agencyIds.length === 0) continue;
    // The partnership code is read in the insert itself (the directory's fragment): most events have no endpoint.
    wanted.push({
      id: event.id,
      kind: event.kind,
      agency_ids: agencyIds,
      payload: webhookPayload(publicUrl, '', event),
    });
  }
  if (wanted.length === 0) return [];
  const rows: { id: string }[] = await em.query(
    `insert into webhook_deliveries (partnership_id, endpoint_id, event_id, event_kind, payload)
     select e.partnership_id, e.id, ev.id, ev.kind,
            jsonb_set(ev.payload, '{partnership}', to_jsonb(${partnershipCodeOf('e.partnership_id')}))
       from jsonb_to_recordset($2::jsonb) as ev(id uuid, kind text, agency_ids uuid[], payload jsonb)
       join webhook_endpoints e on e.partnership_id = $1 and e.agency_id = any(ev.agency_ids)
        and e.disabled_at is null and (cardinality(e.event_kinds) = 0 or ev.kind = any(e.event_kinds))
     on conflict (endpoint_id, event_id) do nothing
     returning id`,
    [partnershipId, JSON.stringify(wanted)],
  );
  return rows.map((r) => r.id);
}
