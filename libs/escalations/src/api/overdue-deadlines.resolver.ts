import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { ApiError, Ctx, RequestContext, Roles } from '@hips/common';
import { OverdueDeadlinesService } from '../application/overdue-deadlines.service';
import { OverdueDeadlines } from '../dto/overdue-deadline.model';

const MAX_LISTED = 100;

@Resolver()
export class OverdueDeadlinesResolver {
  constructor(private readonly overdue: OverdueDeadlinesService) {}

  @Roles('PARTNERSHIP_ADMIN')
  @Query(() => OverdueDeadlines, {
    description:
      "Deadlines of the caller's partnership that fell due at least lateByMinutes ago and have not fired (a stalled deadline runner). PARTNERSHIP_ADMIN.",
  })
  overdueDeadlines(
    @Ctx() ctx: RequestContext,
    @Args('lateByMinutes', { type: () => Int, defaultValue: 5 }) lateByMinutes: number,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
  ): Promise<OverdueDeadlines> {
    if (lateByMinutes < 0 || lateByMinutes > 10_080) {
      throw new ApiError('BAD_USER_INPUT', 'lateByMinutes must be 0-10080');
    }
    if (first < 1 || first > MAX_LISTED) {
      throw new ApiError('BAD_USER_INPUT', `first must be 1-${MAX_LISTED}`);
    }
    return this.overdue.list(ctx, lateByMinutes, first);
  }
}
