import type { EntityManager } from 'typeorm';
import { toGlobalId } from '@hips/common';

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
  /** The agencies involved (raising and responding): their enabled endpoints receive the event. */
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
    link: `${publicUrl.replace(/\/+$/, '')}/escalations/${escalationId}`,
  };
}

/**
 * Writes one PENDING delivery per enabled endpoint of the involved agencies whose filter matches, inside the
 * caller's transaction (its tenant set): the outbox commits with the case change or not at all. Enqueueing the
 * same event twice adds nothing. Returns the ids of the deliveries created.
 */
export async function enqueueWebhookDeliveries(
  em: EntityManager,
  publicUrl: string,
  partnershipId: string,
  event: WebhookEvent,
): Promise<string[]> {
  if (!UUID.test(event.id) || !UUID.test(event.escalationId)) {
    throw new Error('webhook events need uuid event and escalation ids');
  }
  if (!/^[A-Z][A-Z0-9_]{0,63}$/.test(event.kind)) throw new Error(`bad webhook event kind ${event.kind}`);
  const agencyIds = [...new Set(event.agencyIds)].filter((id) => UUID.test(id));
  if (agencyIds.length === 0) return [];
  // The partnership code joins in SQL (one statement per event; most events have no endpoint to deliver to).
  const payload = webhookPayload(publicUrl, '', event);
  const rows: { id: string }[] = await em.query(
    `insert into webhook_deliveries (partnership_id, endpoint_id, event_id, event_kind, payload)
     select e.partnership_id, e.id, $3, $4, jsonb_set($5::jsonb, '{partnership}', to_jsonb(p.code))
       from webhook_endpoints e join partnerships p on p.id = e.partnership_id
     where e.partnership_id = $1 and e.agency_id = any($2::uuid[]) and e.disabled_at is null
       and (cardinality(e.event_kinds) = 0 or $4 = any(e.event_kinds))
     on conflict (endpoint_id, event_id) do nothing
     returning id`,
    [partnershipId, agencyIds, event.id, event.kind, JSON.stringify(payload)],
  );
  return rows.map((r) => r.id);
}
