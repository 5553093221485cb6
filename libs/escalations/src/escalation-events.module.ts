import { Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Resolver, Subscription } from '@nestjs/graphql';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createLogger, Ctx, forgetRequestLoaders, RequestContext, toGlobalId } from '@hips/common';
import { APP_CONFIG, AppConfig } from '@hips/config';
import { caseVisibility } from './access/case-visibility.policy';
import { EscalationReadService } from './escalation-read.service';
import {
  escalationEventsChannel,
  EscalationEventMessage,
  EventDispatcher,
  parseEscalationEventMessage,
  SubscriberQueue,
} from './escalation-events.pubsub';
import { EscalationEvent } from './escalation.models';
import { EscalationsModule } from './escalations.module';

/** Events waiting for one subscriber before it is dropped as too slow. */
export const SUBSCRIBER_QUEUE_CAPACITY = 100;

/**
 * May this subscriber see this event's case? The case visibility policy on the message's ids (a message carries
 * the case's parties). Cheap, in memory, before any query; the read path checks again against the database.
 */
export function mayReceive(ctx: RequestContext, message: EscalationEventMessage): boolean {
  return caseVisibility.maySeeCase(ctx, message);
}

/**
 * This process's one Redis subscriber connection on `${REDIS_PREFIX}:escalation-events`, and the local dispatcher
 * that hands each message to the subscribers of this process.
 */
@Injectable()
export class EscalationEventBus implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly dispatcher = new EventDispatcher<EscalationEventMessage>(SUBSCRIBER_QUEUE_CAPACITY);
  private subscriber: Redis | null = null;
  private readonly logger: Logger;
  private readonly channel: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.logger = createLogger(config.logLevel, 'escalation-events');
    this.channel = escalationEventsChannel(config.redisPrefix);
  }

  async onApplicationBootstrap(): Promise<void> {
    // A connection of its own: a connection in subscriber mode can do nothing else. ioredis re-subscribes after a
    // reconnect; events published while disconnected are lost (the chronology stays the record).
    const subscriber = new Redis(this.config.redisUrl, { maxRetriesPerRequest: null });
    this.subscriber = subscriber;
    subscriber.on('error', (err: Error) =>
      this.logger.warn({ err: err.message }, 'escalation events subscriber connection error'),
    );
    subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== this.channel) return;
      const message = parseEscalationEventMessage(raw);
      if (!message) {
        this.logger.warn({ channel }, 'ignored a malformed escalation event message');
        return;
      }
      this.dispatcher.publish(message);
    });
    await subscriber.subscribe(this.channel);
  }

  async onApplicationShutdown(): Promise<void> {
    this.dispatcher.closeAll();
    await this.subscriber?.quit().catch(() => undefined);
    this.subscriber = null;
  }
}

type Payload = { escalationEvents: EscalationEvent };

/**
 * One subscriber's stream: messages its filter accepted, each resolved through the read path in its own tenant
 * transaction (a message whose event the subscriber may not read is skipped). return() ends it at once, even while
 * it waits for the next message, and removes the subscriber from the dispatcher.
 */
export class EscalationEventStream implements AsyncIterableIterator<Payload> {
  constructor(
    private readonly ctx: RequestContext,
    private readonly queue: SubscriberQueue<EscalationEventMessage>,
    private readonly read: EscalationReadService,
  ) {}

  async next(): Promise<IteratorResult<Payload>> {
    try {
      return await this.nextEvent();
    } catch (error) {
      // A failed next() ends the stream without return() being called: leave the dispatcher now.
      this.queue.close();
      throw error;
    }
  }

  private async nextEvent(): Promise<IteratorResult<Payload>> {
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

  return(): Promise<IteratorResult<Payload>> {
    this.queue.close();
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(error?: unknown): Promise<IteratorResult<Payload>> {
    this.queue.close();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Payload> {
    return this;
  }
}

@Resolver()
export class EscalationEventsResolver {
  constructor(
    private readonly bus: EscalationEventBus,
    private readonly read: EscalationReadService,
  ) {}

  @Subscription(() => EscalationEvent, {
    name: 'escalationEvents',
    description: "Events on cases the subscriber may see, in the subscriber's partnership.",
  })
  escalationEvents(@Ctx() ctx: RequestContext): AsyncIterableIterator<Payload> {
    const queue = this.bus.dispatcher.subscribe((message) => mayReceive(ctx, message));
    return new EscalationEventStream(ctx, queue, this.read);
  }
}

/** The `escalationEvents` subscription (API only: the worker publishes, it never subscribes). */
@Module({
  imports: [EscalationsModule],
  providers: [EscalationEventBus, EscalationEventsResolver],
  exports: [EscalationEventBus],
})
export class EscalationEventsModule {}
