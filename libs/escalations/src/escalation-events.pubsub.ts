/**
 * Escalation events fanned out to GraphQL subscribers across API processes, through one Redis channel.
 *
 * Publisher (the worker, after the case transaction has committed): `publishEscalationEvent(redis, prefix, message)`.
 * Each API process holds one subscriber connection on `${prefix}:escalation-events` and hands every message to its
 * local subscribers through an EventDispatcher (bounded per-subscriber queues). Messages carry ids only: no child
 * identifiers and no free text; subscribers read the event itself through the normal read path.
 *
 * No Nest imports here: the worker and the tests use this file directly.
 */

/** What travels on the channel: ids, the kind, the time and the stage, nothing else. */
export interface EscalationEventMessage {
  partnershipId: string;
  escalationId: string;
  eventId: string;
  kind: string;
  /** ISO 8601 instant of the event. */
  at: string;
  stage: number | null;
  actorPersonId: string | null;
  raisingAgencyId: string;
  respondingAgencyId: string;
}

export type EscalationEventMessageInput = Omit<EscalationEventMessage, 'at'> & { at: Date | string };

/** Anything with ioredis' publish (a plain client; a keyPrefix does not apply to channels). */
export interface Publisher {
  publish(channel: string, message: string): Promise<number>;
}

export function escalationEventsChannel(prefix: string): string {
  return `${prefix}:escalation-events`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KIND = /^[A-Z0-9_]{1,64}$/;

/**
 * Checks a message and keeps only its known fields (so nothing else, e.g. a child identifier, can ever ride along).
 * Returns null when it is malformed.
 */
export function toEscalationEventMessage(value: unknown): EscalationEventMessage | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const uuid = (x: unknown): x is string => typeof x === 'string' && UUID.test(x);
  const at = v.at instanceof Date ? v.at : typeof v.at === 'string' ? new Date(v.at) : null;
  if (
    !uuid(v.partnershipId) ||
    !uuid(v.escalationId) ||
    !uuid(v.eventId) ||
    !uuid(v.raisingAgencyId) ||
    !uuid(v.respondingAgencyId) ||
    typeof v.kind !== 'string' ||
    !KIND.test(v.kind) ||
    !at ||
    Number.isNaN(at.getTime()) ||
    !(v.stage === null || v.stage === undefined || (Number.isInteger(v.stage) && (v.stage as number) >= 0)) ||
    !(v.actorPersonId === null || v.actorPersonId === undefined || uuid(v.actorPersonId))
  ) {
    return null;
  }
  return {
    partnershipId: v.partnershipId,
    escalationId: v.escalationId,
    eventId: v.eventId,
    kind: v.kind,
    at: at.toISOString(),
    stage: (v.stage as number | null | undefined) ?? null,
    actorPersonId: v.actorPersonId ?? null,
    raisingAgencyId: v.raisingAgencyId,
    respondingAgencyId: v.respondingAgencyId,
  };
}

/** Parses a message received from the channel; null when it is not valid JSON or not a valid message. */
export function parseEscalationEventMessage(raw: string): EscalationEventMessage | null {
  try {
    return toEscalationEventMessage(JSON.parse(raw));
  } catch {
    return null;
  }
}

/**
 * Publishes one event to every API process (call it after the case transaction has committed). Throws on a
 * malformed message. Answers how many Redis subscribers (API processes) received it.
 */
export async function publishEscalationEvent(
  redis: Publisher,
  prefix: string,
  message: EscalationEventMessageInput,
): Promise<number> {
  const checked = toEscalationEventMessage(message);
  if (!checked)
    throw new Error('publishEscalationEvent: malformed message (ids must be uuids, kind A-Z0-9_)');
  return redis.publish(escalationEventsChannel(prefix), JSON.stringify(checked));
}

/** Raised to a subscriber that fell too far behind: its stream ends with this error. */
export class SubscriberTooSlowError extends Error {
  constructor(capacity: number) {
    super(`Subscription dropped: more than ${capacity} events waiting to be sent`);
  }
}

/** One local subscriber's queue: take() waits for the next item; null once closed. */
export class SubscriberQueue<T> {
  private readonly items: T[] = [];
  private waiting: { resolve: (v: T | null) => void; reject: (e: Error) => void } | null = null;
  private closed = false;
  private failure: Error | null = null;

  constructor(
    readonly accepts: (item: T) => boolean,
    private readonly capacity: number,
    private readonly onClose: (queue: SubscriberQueue<T>) => void,
  ) {}

  get size(): number {
    return this.items.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Hands an item over (from the dispatcher). Overflow drops the subscriber. */
  push(item: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve(item);
      return;
    }
    if (this.items.length >= this.capacity) {
      this.fail(new SubscriberTooSlowError(this.capacity));
      return;
    }
    this.items.push(item);
  }

  take(): Promise<T | null> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift()!);
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.resolve(null);
    if (this.waiting) return Promise.reject(new Error('SubscriberQueue: one take() at a time'));
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** Ends the stream: a pending take() answers null. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.items.length = 0;
    this.onClose(this);
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.resolve(null);
  }

  private fail(error: Error): void {
    // No take() is pending here (push() would have served it): the next take() rejects with the error.
    this.failure = error;
    this.close();
  }
}

/** Hands each published item to the local subscribers whose filter accepts it, in publication order. */
export class EventDispatcher<T> {
  private readonly queues = new Set<SubscriberQueue<T>>();

  constructor(private readonly capacity = 100) {}

  get subscriberCount(): number {
    return this.queues.size;
  }

  subscribe(accepts: (item: T) => boolean): SubscriberQueue<T> {
    const queue = new SubscriberQueue<T>(accepts, this.capacity, (q) => this.queues.delete(q));
    this.queues.add(queue);
    return queue;
  }

  publish(item: T): void {
    for (const queue of [...this.queues]) {
      let accepted = false;
      try {
        accepted = queue.accepts(item);
      } catch {
        accepted = false;
      }
      if (accepted) queue.push(item);
    }
  }

  closeAll(): void {
    for (const queue of [...this.queues]) queue.close();
  }
}
