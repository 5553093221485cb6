import { createClient, type Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import {
  publishEscalationEvent,
  type EscalationEventMessage,
} from '../../libs/escalations/src/events/escalation-event-channel';
import type { TestApp } from '../support/app';

export const EVENT_FIELDS = 'id kind at stage detail actor { displayName }';
export const SUBSCRIPTION = `subscription { escalationEvents { ${EVENT_FIELDS} } }`;

export const wsUrl = (apiUrl: string) => `${apiUrl.replace(/^http/, 'ws')}/graphql`;

export async function waitFor(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A graphql-ws client subscribed to escalationEvents, recording what arrives (never retrying). */
export interface Subscriber {
  client: Client;
  events: Record<string, any>[];
  errors: unknown[];
  closeCodes: number[];
  ids(): string[];
  close(): Promise<void>;
}

export function subscribe(url: string, connectionParams: Record<string, unknown>): Subscriber {
  const closeCodes: number[] = [];
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => closeCodes.push((event as { code: number }).code) },
  });
  const events: Record<string, any>[] = [];
  const errors: unknown[] = [];
  const stop = client.subscribe(
    { query: SUBSCRIPTION },
    {
      next: (result) => {
        if (result.errors) errors.push(result.errors);
        if (result.data) events.push((result.data as any).escalationEvents);
      },
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  return {
    client,
    events,
    errors,
    closeCodes,
    ids: () => events.map((e) => e.id as string),
    async close() {
      stop();
      await client.dispose();
    },
  };
}

/** The channel message of one stored event (ids only), read behind the API's back. */
export async function messageFor(t: TestApp, eventId: string): Promise<EscalationEventMessage> {
  const [row] = await t.owner.query(
    `select v.id, v.kind, v.at, v.stage, v.actor_person_id, e.id as escalation_id, e.partnership_id,
            e.raising_agency_id, e.responding_agency_id
       from escalation_events v join escalations e on e.id = v.escalation_id where v.id = $1`,
    [eventId],
  );
  if (!row) throw new Error(`no event ${eventId}`);
  return {
    partnershipId: row.partnership_id,
    escalationId: row.escalation_id,
    eventId: row.id,
    kind: row.kind,
    at: new Date(row.at).toISOString(),
    stage: row.stage,
    actorPersonId: row.actor_person_id,
    raisingAgencyId: row.raising_agency_id,
    respondingAgencyId: row.responding_agency_id,
  };
}

export async function eventIdOf(t: TestApp, escalationUuid: string, kind: string): Promise<string> {
  const [row] = await t.owner.query(
    `select id from escalation_events where escalation_id = $1 and kind = $2 order by at desc, id desc limit 1`,
    [escalationUuid, kind],
  );
  if (!row) throw new Error(`no ${kind} event on ${escalationUuid}`);
  return row.id as string;
}

export class TestPublisher {
  private readonly redis: Redis;
  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(url);
  }

  publish(message: EscalationEventMessage): Promise<number> {
    return publishEscalationEvent(this.redis, this.prefix, message);
  }

  /**
   * graphql-ws does not acknowledge a subscription: publish to each subscriber a probe it may see, again every
   * 100 ms, until it has received something (its subscription is then live on the server).
   */
  async untilLive(pairs: [Subscriber, EscalationEventMessage][], timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const waiting = pairs.filter(([s]) => s.events.length === 0);
      if (waiting.length === 0) return;
      if (Date.now() > deadline) {
        const detail = waiting.map(([s]) => JSON.stringify({ errors: s.errors, closed: s.closeCodes }));
        throw new Error(`subscribers not live after ${timeoutMs} ms: ${detail.join('; ')}`);
      }
      for (const [, probe] of waiting) await this.publish(probe);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
