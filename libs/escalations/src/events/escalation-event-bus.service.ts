import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createLogger } from '@hips/common';
import { APP_CONFIG, AppConfig } from '@hips/config';
import {
  escalationEventsChannel,
  EscalationEventMessage,
  parseEscalationEventMessage,
} from './escalation-event-channel';
import { EventDispatcher } from './event-dispatcher';

/** Events waiting for one subscriber before it is dropped as too slow. */
export const SUBSCRIBER_QUEUE_CAPACITY = 100;

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
