import { Module } from '@nestjs/common';
import { EscalationEventsResolver } from '../api/escalation-events.resolver';
import { EscalationsModule } from '../escalations.module';
import { EscalationEventBus } from './escalation-event-bus.service';

/** The `escalationEvents` subscription (API only: the worker publishes, it never subscribes). */
@Module({
  imports: [EscalationsModule],
  providers: [EscalationEventBus, EscalationEventsResolver],
  exports: [EscalationEventBus],
})
export class EscalationEventsModule {}
