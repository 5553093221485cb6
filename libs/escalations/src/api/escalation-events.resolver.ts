import { Resolver, Subscription } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@hips/common';
import { caseVisibility } from '../access/case-visibility.policy';
import { EscalationReadService } from '../application/escalation-read.service';
import { EscalationEvent } from '../dto/escalation-event.model';
import { EscalationEventBus } from '../events/escalation-event-bus.service';
import { EscalationEventsPayload, EscalationEventStream } from '../events/escalation-event-stream';

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
  escalationEvents(@Ctx() ctx: RequestContext): AsyncIterableIterator<EscalationEventsPayload> {
    // A message carries its case's parties: the policy decides in memory, before any query; the stream then reads
    // each event through the read path, whose SQL applies the same policy again.
    const queue = this.bus.dispatcher.subscribe((message) => caseVisibility.maySeeCase(ctx, message));
    return new EscalationEventStream(ctx, queue, this.read);
  }
}
