import type { Logger } from 'pino';
import type { AppConfig } from '@hips/config';
import { TenantDb } from '@hips/database';
import { WebhookDeliveriesRepository } from '../persistence/webhook-deliveries.repository';
import { backoffMs, decryptSecret, signWebhook } from '../signing';
import { guardedPost, PostOutcome, Resolve } from './guarded-post';

// Stateless: the worker's pass is a plain function, so it holds its own instance rather than asking Nest for one.
const deliveries = new WebhookDeliveriesRepository();

/** What the delivery pass needs of the configuration. */
export type DeliveryConfig = Pick<AppConfig, 'identifierEncryptionKey' | 'webhooks'>;

export interface DeliveryRunSummary {
  attempted: number;
  delivered: number;
  failed: number;
  dead: number;
}

interface Claimed {
  partnershipId: string;
  id: string;
  endpointId: string;
  eventKind: string;
  payload: unknown;
  attempts: number;
  url: string;
  secret: string;
}

/**
 * One pass of the webhook outbox, for the worker: in each partnership (tenant set per partnership, as the
 * application role) claim the due deliveries with `for update skip locked` by leasing them (next_attempt_at
 * moves past the longest attempt, so other passes skip them and a crashed pass's claims come due again), then
 * POST them concurrently (at most `concurrency` at once, each with its own timeout, so a hanging receiver holds
 * up nothing but itself; to allowed addresses only, guarded-post.ts) and record each outcome in its own transaction.
 */
export async function deliverDueWebhooks(
  db: TenantDb,
  config: DeliveryConfig,
  opts: {
    logger?: Logger;
    batchSize?: number;
    partnershipIds?: string[];
    /** Only deliveries to these agencies' endpoints (a test's own, so it never touches another's deliveries). */
    agencyIds?: string[];
    /** How receivers' names are resolved; the system resolver unless a test injects one. */
    resolve?: Resolve;
  } = {},
): Promise<DeliveryRunSummary> {
  const summary: DeliveryRunSummary = { attempted: 0, delivered: 0, failed: 0, dead: 0 };
  const partnershipIds = opts.partnershipIds ?? (await db.partnerships()).map((p) => p.id);
  const leaseSeconds = Math.ceil((config.webhooks.timeoutMs * 2) / 1000) + 30;
  const claimed: Claimed[] = [];
  for (const partnershipId of partnershipIds) {
    claimed.push(
      ...(await claim(
        db,
        config,
        partnershipId,
        leaseSeconds,
        opts.batchSize ?? 100,
        summary,
        opts.agencyIds,
      )),
    );
  }
  await inPool(claimed, config.webhooks.concurrency, async (delivery) => {
    summary.attempted += 1;
    const outcome = await post(delivery, config, opts.resolve);
    let status: string | null;
    try {
      status = await record(db, config, delivery, outcome);
    } catch (error) {
      // The lease runs out and the delivery is attempted again: at least once.
      opts.logger?.error({ delivery: delivery.id, err: String(error) }, 'webhook outcome not recorded');
      return;
    }
    if (status === 'DELIVERED') summary.delivered += 1;
    else if (status === 'DEAD') summary.dead += 1;
    else if (status === 'FAILED') summary.failed += 1;
    opts.logger?.info(
      {
        delivery: delivery.id,
        endpoint: delivery.endpointId,
        status,
        statusCode: outcome.statusCode,
        error: outcome.error,
        detail: outcome.detail,
        durationMs: outcome.durationMs,
      },
      'webhook attempt',
    );
  });
  return summary;
}

async function claim(
  db: TenantDb,
  config: DeliveryConfig,
  partnershipId: string,
  leaseSeconds: number,
  batchSize: number,
  summary: DeliveryRunSummary,
  agencyIds: string[] | undefined,
): Promise<Claimed[]> {
  return db.run({ partnershipId }, async (em) => {
    const rows = await deliveries.lease(em, partnershipId, leaseSeconds, batchSize, agencyIds ?? null);
    if (rows.length === 0) return [];
    const endpoints = await deliveries.endpointsOf(em, [...new Set(rows.map((r) => r.endpoint_id))]);
    const byId = new Map(endpoints.map((e) => [e.id, e]));
    const ready: Claimed[] = [];
    for (const row of rows) {
      const endpoint = byId.get(row.endpoint_id);
      let secret: string | null = null;
      let problem = 'endpoint disabled';
      if (endpoint && !endpoint.disabled_at) {
        try {
          secret = decryptSecret(
            config.identifierEncryptionKey,
            endpoint.secret_encrypted,
            `webhook_endpoint:${endpoint.id}`,
          );
        } catch {
          problem = 'signing secret cannot be decrypted (encryption key changed?)';
        }
      }
      if (!endpoint || secret === null) {
        await deliveries.markDead(em, row.id, problem);
        summary.dead += 1;
        continue;
      }
      ready.push({
        partnershipId,
        id: row.id,
        endpointId: row.endpoint_id,
        eventKind: row.event_kind,
        payload: row.payload,
        attempts: row.attempts,
        url: endpoint.url,
        secret,
      });
    }
    return ready;
  });
}

function post(delivery: Claimed, config: DeliveryConfig, resolve: Resolve | undefined): Promise<PostOutcome> {
  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(Date.now() / 1000);
  return guardedPost(
    delivery.url,
    {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'HIPS-Resolve-Webhooks/1',
        'x-hips-delivery': delivery.id,
        'x-hips-event': delivery.eventKind,
        'x-hips-timestamp': String(timestamp),
        'x-hips-signature': signWebhook(delivery.secret, timestamp, body),
      },
      body,
    },
    {
      timeoutMs: config.webhooks.timeoutMs,
      policy: { allowLoopback: config.webhooks.allowLoopback },
      resolve,
    },
  );
}

/** Records an attempt's outcome, unless the delivery moved on meanwhile (replayed and attempted again). */
async function record(
  db: TenantDb,
  config: DeliveryConfig,
  delivery: Claimed,
  outcome: PostOutcome,
): Promise<string | null> {
  const attempts = delivery.attempts + 1;
  const status = outcome.ok ? 'DELIVERED' : attempts >= config.webhooks.maxAttempts ? 'DEAD' : 'FAILED';
  const retryInSeconds =
    status === 'FAILED'
      ? backoffMs(attempts, {
          baseMs: config.webhooks.backoffBaseMs,
          maxMs: config.webhooks.backoffMaxMs,
        }) / 1000
      : 0;
  return db.run({ partnershipId: delivery.partnershipId }, (em) =>
    deliveries.recordAttempt(em, delivery.id, delivery.attempts, {
      status,
      attempts,
      statusCode: outcome.statusCode,
      error: outcome.error,
      durationMs: outcome.durationMs,
      retryInSeconds,
    }),
  );
}

/** Runs work over items with at most `limit` in flight. */
async function inPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
