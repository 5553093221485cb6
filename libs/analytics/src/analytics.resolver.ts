import { Args, Info, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import { Ctx, RequestContext } from '@hips/common';
import { AnalyticsService } from './analytics.service';
import { EscalationTrends } from './dto/trends.model';
import { EscalationTrendsInput } from './dto/trends.input';
import { measuresOfFields } from './trends';

/** The TrendBucket fields the operation selects (fragments included): only their measures are disclosed. */
export function bucketFieldsOf(info: GraphQLResolveInfo): string[] {
  const trends = parseResolveInfo(info) as ResolveTree | null | undefined;
  const buckets = Object.values(trends?.fieldsByTypeName.EscalationTrends ?? {}).filter(
    (f) => f.name === 'buckets',
  );
  return buckets.flatMap((b) => Object.values(b.fieldsByTypeName.TrendBucket ?? {}).map((f) => f.name));
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
    @Info() info: GraphQLResolveInfo,
  ): Promise<EscalationTrends> {
    // Refusals are ApiErrors: GraphQL reports their codes (FORBIDDEN, BAD_USER_INPUT, ANALYTICS_*).
    return this.analytics.trends(ctx, input, measuresOfFields(bucketFieldsOf(info)));
  }
}
