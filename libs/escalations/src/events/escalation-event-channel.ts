/**
 * Escalation events fanned out to GraphQL subscribers across API processes, through one Redis channel.
 *
 * Publisher (the worker, after the case transaction has committed): `publishEscalationEvent(redis, prefix, message)`.
 * Each API process holds one subscriber connection on `${prefix}:escalation-events` (EscalationEventBus) and hands
 * every message to its local subscribers through an EventDispatcher (event-dispatcher.ts). Messages carry ids only: no child
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
