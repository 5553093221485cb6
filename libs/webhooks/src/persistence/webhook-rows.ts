import { toGlobalId } from '@hips/common';
import { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint } from '../dto/webhooks.model';

/** The webhook tables' rows as read, and their GraphQL shapes. */
export interface EndpointRow {
  id: string;
  agency_id: string;
  url: string;
  event_kinds: string[];
  created_at: Date;
  disabled_at: Date | null;
}

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_kind: string;
  payload: unknown;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  delivered_at: Date | null;
  created_at: Date;
  created_key: string;
}

export const DELIVERY_COLUMNS = `id, endpoint_id, event_id, event_kind, payload, status, attempts, next_attempt_at,
  last_attempt_at, last_status_code, last_error, last_duration_ms, delivered_at, created_at,
  created_at::text as created_key`;

export function toEndpoint(r: EndpointRow): WebhookEndpoint {
  return {
    __typename: 'WebhookEndpoint',
    id: toGlobalId('WebhookEndpoint', r.id),
    agencyUuid: r.agency_id,
    url: r.url,
    events: r.event_kinds,
    enabled: r.disabled_at === null,
    createdAt: r.created_at,
    disabledAt: r.disabled_at,
  };
}

export function toDelivery(r: DeliveryRow): WebhookDelivery {
  const final = r.status === WebhookDeliveryStatus.DELIVERED || r.status === WebhookDeliveryStatus.DEAD;
  return {
    __typename: 'WebhookDelivery',
    id: toGlobalId('WebhookDelivery', r.id),
    uuid: r.id,
    eventId: toGlobalId('EscalationEvent', r.event_id),
    eventKind: r.event_kind,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: final ? null : r.next_attempt_at,
    lastAttemptAt: r.last_attempt_at,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    lastDurationMs: r.last_duration_ms,
    deliveredAt: r.delivered_at,
    createdAt: r.created_at,
    createdKey: r.created_key,
    payload: JSON.stringify(r.payload),
  };
}
