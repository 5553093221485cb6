import { Injectable } from '@nestjs/common';
import { Args, Field, GraphQLISODateTime, ID, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { Ctx, RequestContext, Roles, toGlobalId } from '@hips/common';
import { TenantDb } from '@hips/database';

/**
 * Deadlines that fell due but have not fired: what a partnership admin needs to see of the shared deadline queue,
 * read from the partnership's own rows (row-level security), never from the queues of all partnerships.
 */
@ObjectType({ description: 'A deadline past due that the deadline runner has not fired yet.' })
export class OverdueDeadline {
  @Field(() => ID, { description: 'The case (an Escalation id).' }) escalationId!: string;
  @Field({ description: 'The deadline kind: DUE, REMINDER_HALF or REMINDER_DAY_BEFORE.' }) kind!: string;
  @Field(() => GraphQLISODateTime) dueAt!: Date;
  @Field(() => Int, { description: 'Whole minutes since it fell due.' }) minutesOverdue!: number;
}

@ObjectType()
export class OverdueDeadlines {
  @Field(() => Int, { description: 'All overdue deadlines of the partnership, not only those listed.' })
  totalCount!: number;
  @Field(() => [OverdueDeadline], { description: 'The longest overdue first.' }) nodes!: OverdueDeadline[];
}

const MAX_LISTED = 100;

@Injectable()
export class OverdueDeadlinesService {
  constructor(private readonly db: TenantDb) {}

  async list(ctx: RequestContext, lateByMinutes: number, first: number): Promise<OverdueDeadlines> {
    return this.db.run(ctx, async (em) => {
      // The same predicate as the pending index (IDX_deadlines_pending), so the count uses it.
      const where = `fired_at is null and cancelled_at is null and due_at < now() - make_interval(mins => $1)`;
      const [{ count }]: { count: number }[] = await em.query(
        `select count(*)::int as count from deadlines where ${where}`,
        [lateByMinutes],
      );
      const rows: { escalation_id: string; kind: string; due_at: Date; minutes: number }[] = await em.query(
        `select escalation_id, kind, due_at, floor(extract(epoch from now() - due_at) / 60)::int as minutes
           from deadlines where ${where} order by due_at, id limit $2`,
        [lateByMinutes, first],
      );
      return {
        totalCount: count,
        nodes: rows.map((r) => ({
          escalationId: toGlobalId('Escalation', r.escalation_id),
          kind: r.kind,
          dueAt: r.due_at,
          minutesOverdue: r.minutes,
        })),
      };
    });
  }
}

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
      throw new GraphQLError('lateByMinutes must be 0-10080', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    if (first < 1 || first > MAX_LISTED) {
      throw new GraphQLError(`first must be 1-${MAX_LISTED}`, { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return this.overdue.list(ctx, lateByMinutes, first);
  }
}
