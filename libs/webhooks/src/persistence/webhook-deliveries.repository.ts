import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { changedRows } from '@hips/database';
import { partnershipCodeOf } from '@hips/directory';

export interface LeasedDelivery {
  id: string;
  endpoint_id: string;
  event_kind: string;
  payload: unknown;
  attempts: number;
}

export interface DeliveryEndpoint {
  id: string;
  url: string;
  secret_encrypted: string;
  disabled_at: Date | null;
}

/** An event to deliver: its endpoints are the enabled ones of these agencies whose filter lets the kind through. */
export interface WantedDelivery {
  id: string;
  kind: string;
  agency_ids: string[];
  payload: unknown;
}

export interface AttemptOutcome {
  status: string;
  attempts: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number | null;
  retryInSeconds: number;
}

/**
 * The delivery pass's statements on the webhook outbox (webhook_deliveries), on the worker's tenant transaction
 * of one partnership (no request context: the worker serves every partnership in turn).
 */
@Injectable()
export class WebhookDeliveriesRepository {
  /**
   * One PENDING delivery per matching endpoint of each event, in the caller's transaction; the partnership code is
   * written into the payload here (the directory's fragment). An event already enqueued adds nothing. The new ids.
   */
  async enqueue(em: EntityManager, partnershipId: string, wanted: WantedDelivery[]): Promise<string[]> {
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

  /** Leases up to `batchSize` due deliveries (optionally only some agencies' endpoints), skipping locked ones. */
  lease(
    em: EntityManager,
    partnershipId: string,
    leaseSeconds: number,
    batchSize: number,
    agencyIds: string[] | null,
  ): Promise<LeasedDelivery[]> {
    return changedRows<LeasedDelivery>(
      em,
      `update webhook_deliveries d set next_attempt_at = now() + make_interval(secs => $2)
       where d.id in (select id from webhook_deliveries
                      where partnership_id = $1 and status in ('PENDING', 'FAILED') and next_attempt_at <= now()
                        and ($4::uuid[] is null
                             or endpoint_id in (select id from webhook_endpoints where agency_id = any($4::uuid[])))
                      order by next_attempt_at, id limit $3 for update skip locked)
       returning d.id, d.endpoint_id, d.event_kind, d.payload, d.attempts`,
      [partnershipId, leaseSeconds, batchSize, agencyIds],
    );
  }

  /** The endpoints the leased deliveries go to. */
  endpointsOf(em: EntityManager, endpointIds: string[]): Promise<DeliveryEndpoint[]> {
    return em.query(
      'select id, url, secret_encrypted, disabled_at from webhook_endpoints where id = any($1::uuid[])',
      [endpointIds],
    );
  }

  /** Gives up a delivery that cannot be sent (its endpoint is gone, disabled or its secret unreadable). */
  async markDead(em: EntityManager, id: string, problem: string): Promise<void> {
    await em.query(`update webhook_deliveries set status = 'DEAD', last_error = $2 where id = $1`, [
      id,
      problem,
    ]);
  }

  /** Records an attempt unless the delivery moved on meanwhile; the status written, or null. */
  async recordAttempt(
    em: EntityManager,
    id: string,
    previousAttempts: number,
    outcome: AttemptOutcome,
  ): Promise<string | null> {
    const rows = await changedRows<{ status: string }>(
      em,
      `update webhook_deliveries set status = $3, attempts = $4, last_attempt_at = now(),
         last_status_code = $5, last_error = $6, last_duration_ms = $7,
         delivered_at = case when $3 = 'DELIVERED' then now() else delivered_at end,
         next_attempt_at = case when $3 = 'FAILED' then now() + make_interval(secs => $8) else next_attempt_at end
       where id = $1 and attempts = $2 and status in ('PENDING', 'FAILED')
       returning status`,
      [
        id,
        previousAttempts,
        outcome.status,
        outcome.attempts,
        outcome.statusCode,
        outcome.error,
        outcome.durationMs,
        outcome.retryInSeconds,
      ],
    );
    return rows[0]?.status ?? null;
  }
}
