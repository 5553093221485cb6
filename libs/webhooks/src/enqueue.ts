import type { EntityManager } from 'typeorm';
import { caseLink, toGlobalId } from '@hips/common';
import { WebhookDeliveriesRepository, WantedDelivery } from './persistence/webhook-deliveries.repository';

// Stateless: enqueueing is a plain function called inside the case change's transaction.
const deliveries = new WebhookDeliveriesRepository();

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
  const wanted: WantedDelivery[] = [];
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
  return deliveries.enqueue(em, partnershipId, wanted);
}
