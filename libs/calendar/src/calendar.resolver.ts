import {
  Args,
  GraphQLISODateTime,
  Int,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { Ctx, pageSize, RequestContext, withUserErrors } from '@hips/common';
import { DirectoryLoaders, DirectoryService, Person } from '@hips/directory';
import { CalendarService } from './calendar.service';
import { CalendarPayload, CalendarVersion, DeadlineExplanation } from './dto/calendar.model';
import { AddClosureDayInput, RemoveClosureDayInput } from './dto/calendar.input';

@Resolver()
export class CalendarResolver {
  constructor(private readonly calendars: CalendarService) {}

  @Query(() => DeadlineExplanation, {
    description: "Adds working days in the viewer's partnership calendar.",
  })
  workingDeadline(
    @Ctx() ctx: RequestContext,
    @Args('start', { type: () => GraphQLISODateTime }) start: Date,
    @Args('workingDays', { type: () => Int }) workingDays: number,
  ): Promise<DeadlineExplanation> {
    return this.calendars.workingDeadline(ctx, start, workingDays);
  }

  @Query(() => [CalendarVersion], {
    description: "The partnership calendar's versions, newest first (the first is in force).",
  })
  calendarVersions(
    @Ctx() ctx: RequestContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
  ): Promise<CalendarVersion[]> {
    return this.calendars.versions(ctx, pageSize(first));
  }

  // closureDates is non-null in the contract: a refused change answers with the calendar as it stands.
  @Mutation(() => CalendarPayload)
  async addClosureDay(@Ctx() ctx: RequestContext, @Args('input') input: AddClosureDayInput) {
    return this.calendars.orUnchanged(
      ctx,
      await withUserErrors(() => this.calendars.addClosureDay(ctx, input)),
    );
  }

  @Mutation(() => CalendarPayload)
  async removeClosureDay(@Ctx() ctx: RequestContext, @Args('input') input: RemoveClosureDayInput) {
    return this.calendars.orUnchanged(
      ctx,
      await withUserErrors(() => this.calendars.removeClosureDay(ctx, input)),
    );
  }
}

@Resolver(() => CalendarVersion)
export class CalendarVersionFieldsResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => Person, { nullable: true })
  async changedBy(@Ctx() ctx: RequestContext, @Parent() version: CalendarVersion): Promise<Person | null> {
    return version.changedByUuid
      ? DirectoryLoaders.person(this.directory, ctx).load(version.changedByUuid)
      : null;
  }
}
