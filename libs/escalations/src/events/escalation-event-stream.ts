import { forgetRequestLoaders, RequestContext, toGlobalId } from '@hips/common';
import type { EscalationReadService } from '../application/escalation-read.service';
import type { EscalationEvent } from '../dto/escalation-event.model';
import type { EscalationEventMessage } from './escalation-event-channel';
import type { SubscriberQueue } from './event-dispatcher';

export type EscalationEventsPayload = { escalationEvents: EscalationEvent };

/**
 * One subscriber's stream: messages its filter accepted, each resolved through the read path in its own tenant
 * transaction (a message whose event the subscriber may not read is skipped). return() ends it at once, even while
 * it waits for the next message, and removes the subscriber from the dispatcher.
 */
export class EscalationEventStream implements AsyncIterableIterator<EscalationEventsPayload> {
  constructor(
    private readonly ctx: RequestContext,
    private readonly queue: SubscriberQueue<EscalationEventMessage>,
    private readonly read: EscalationReadService,
  ) {}

  async next(): Promise<IteratorResult<EscalationEventsPayload>> {
    try {
      return await this.nextEvent();
    } catch (error) {
      // A failed next() ends the stream without return() being called: leave the dispatcher now.
      this.queue.close();
      throw error;
    }
  }

  private async nextEvent(): Promise<IteratorResult<EscalationEventsPayload>> {
    for (;;) {
      const message = await this.queue.take();
      if (!message) return { done: true, value: undefined };
      // Each event starts with fresh per-request loaders (actor etc.), nothing cached from the previous one.
      forgetRequestLoaders(this.ctx);
      const event = await this.read.eventByGlobalId(this.ctx, toGlobalId('EscalationEvent', message.eventId));
      if (event && event.escalationUuid === message.escalationId) {
        return { done: false, value: { escalationEvents: event } };
      }
    }
  }

  return(): Promise<IteratorResult<EscalationEventsPayload>> {
    this.queue.close();
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(error?: unknown): Promise<IteratorResult<EscalationEventsPayload>> {
    this.queue.close();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<EscalationEventsPayload> {
    return this;
  }
}
