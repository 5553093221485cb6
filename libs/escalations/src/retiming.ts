import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { Injectable } from '@nestjs/common';
import { ApiError, hasRole, idOf, RequestContext, toGlobalId } from '@hips/common';
import { TenantDb } from '@hips/database';
import { PoliciesRepository } from '@hips/policies';
import { asPinned, RetimeOpenCasesHandler } from './application/retime-open-cases.handler';

@ObjectType({
  description: 'An open case whose current stage would be due at another time under a policy version.',
})
export class RetimingMove {
  @Field(() => ID) escalationId!: string;
  @Field(() => String) reference!: string;
  @Field(() => Int) stage!: number;
  @Field(() => GraphQLISODateTime, { nullable: true }) fromDueAt!: Date | null;
  @Field(() => GraphQLISODateTime) toDueAt!: Date;
}

/** The dry run of publishEscalationPolicy(applyToOpenCases: true). */
@Injectable()
export class RetimingService {
  constructor(
    private readonly db: TenantDb,
    private readonly retiming: RetimeOpenCasesHandler,
    private readonly policies: PoliciesRepository,
  ) {}

  async preview(ctx: RequestContext, policyGlobalId: string): Promise<RetimingMove[]> {
    return this.db.transaction(ctx, async (uow) => {
      const policyId = idOf(policyGlobalId, 'EscalationPolicy');
      const policy = policyId ? await this.policies.byId(uow, policyId) : undefined;
      if (!policy) throw new ApiError('BAD_USER_INPUT', 'Escalation policy was not found').toGraphQL();
      const mayPublish =
        hasRole(ctx, 'PARTNERSHIP_ADMIN') ||
        (policy.agency_id !== null && hasRole(ctx, 'AGENCY_ADMIN') && ctx.agencyId === policy.agency_id);
      if (!mayPublish)
        throw new ApiError('FORBIDDEN', 'Only those who may publish this policy may preview it').toGraphQL();
      const moves = await this.retiming.moves(uow, asPinned(policy), false);
      return moves.map((m) => ({
        escalationId: toGlobalId('Escalation', m.escalationId),
        reference: m.reference,
        stage: m.stage,
        fromDueAt: m.from,
        toDueAt: m.to,
      }));
    });
  }
}
