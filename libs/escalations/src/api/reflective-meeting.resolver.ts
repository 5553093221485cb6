import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext, requestLoader, withUserErrors } from '@hips/common';
import { DirectoryLoaders, DirectoryService, Person } from '@hips/directory';
import { ReflectiveMeetingReadService } from '../application/reflective-meeting-read.service';
import { RecordReflectiveMeetingHandler } from '../application/record-reflective-meeting.handler';
import { EscalationPayload } from '../dto/escalation-payloads.model';
import { Escalation } from '../dto/escalation.model';
import { RecordReflectiveMeetingInput } from '../dto/reflective-meeting.input';
import { ReflectiveMeeting, ReflectiveParticipant } from '../dto/reflective-meeting.model';

/** The reflective step's record (docs/api/escalations.md "The reflective step's record"). */
@Resolver()
export class ReflectiveMeetingResolver {
  constructor(private readonly handler: RecordReflectiveMeetingHandler) {}

  @Mutation(() => EscalationPayload, {
    description:
      'Records the stage 0 meeting and acts on its outcome: RESOLVED resolves the case; PROCEED_TO_STAGE_1 opens stage 1.',
  })
  recordReflectiveMeeting(
    @Ctx() ctx: RequestContext,
    @Args('input', { type: () => RecordReflectiveMeetingInput }) input: RecordReflectiveMeetingInput,
  ) {
    return withUserErrors(() => this.handler.record(ctx, input));
  }
}

@Resolver(() => Escalation)
export class ReflectiveMeetingFieldsResolver {
  constructor(private readonly meetings: ReflectiveMeetingReadService) {}

  @ResolveField(() => ReflectiveMeeting, {
    nullable: true,
    description: 'The record of the reflective step (stage 0), when its meeting has been recorded.',
  })
  reflectiveMeeting(@Ctx() ctx: RequestContext, @Parent() e: Escalation) {
    return requestLoader(ctx, 'reflectiveMeeting', (ids) => this.meetings.latestByCases(ctx, ids)).load(
      e.uuid,
    );
  }
}

@Resolver(() => ReflectiveMeeting)
export class ReflectiveMeetingPeopleResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => Person, { nullable: true })
  recordedBy(@Ctx() ctx: RequestContext, @Parent() m: ReflectiveMeeting) {
    return m.recordedByUuid ? DirectoryLoaders.person(this.directory, ctx).load(m.recordedByUuid) : null;
  }
}

@Resolver(() => ReflectiveParticipant)
export class ReflectiveParticipantFieldsResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => Person, { nullable: true, description: 'Set when the participant is a person.' })
  person(@Ctx() ctx: RequestContext, @Parent() p: ReflectiveParticipant) {
    return p.personUuid ? DirectoryLoaders.person(this.directory, ctx).load(p.personUuid) : null;
  }
}
