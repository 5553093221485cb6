import { Args, Query, Resolver } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { Ctx, RequestContext } from '@hips/common';
import { AnalyticsException } from './analytics.exception';
import { AnalyticsService } from './analytics.service';
import { EscalationTrends, EscalationTrendsInput } from './dto/trends.types';

/** Maps the analytics domain exception to a GraphQL error with its code (FORBIDDEN, BAD_USER_INPUT). */
export async function asGraphQL<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof AnalyticsException)) throw error;
    throw new GraphQLError(error.message, { extensions: { code: error.code } });
  }
}

@Resolver()
export class AnalyticsResolver {
  constructor(private readonly analytics: AnalyticsService) {}

  @Query(() => EscalationTrends, {
    description:
      'Disclosure-controlled escalation statistics by period (procedure.md §9): ANALYST for its own partnership, HIPS_ANALYST for any or all.',
  })
  escalationTrends(
    @Ctx() ctx: RequestContext,
    @Args('input', { type: () => EscalationTrendsInput }) input: EscalationTrendsInput,
  ): Promise<EscalationTrends> {
    return asGraphQL(() => this.analytics.trends(ctx, input));
  }
}
