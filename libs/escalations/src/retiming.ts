import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { Injectable } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { hasRole, idOf, RequestContext, toGlobalId } from '@hips/common';
import { toStagePolicy } from '@hips/core';
import { TenantDb } from '@hips/database';
import type { PolicyRow } from '@hips/policies';
import { EscalationsService } from './escalations.service';

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

/** The dry run of publishEscalationPolicy(applyToOpenCases: true), and the re-timing it performs. */
@Injectable()
export class RetimingService {
  constructor(
    private readonly db: TenantDb,
    private readonly escalations: EscalationsService,
  ) {}

  async preview(ctx: RequestContext, policyGlobalId: string): Promise<RetimingMove[]> {
    return this.db.run(ctx, async (em) => {
      const policyId = idOf(policyGlobalId, 'EscalationPolicy');
      const [policy]: PolicyRow[] = policyId
        ? await em.query('select * from escalation_policies where id = $1 and partnership_id = $2', [
            policyId,
            ctx.partnershipId,
          ])
        : [];
      if (!policy)
        throw new GraphQLError('Escalation policy was not found', { extensions: { code: 'BAD_USER_INPUT' } });
      const mayPublish =
        hasRole(ctx, 'PARTNERSHIP_ADMIN') ||
        (policy.agency_id !== null && hasRole(ctx, 'AGENCY_ADMIN') && ctx.agencyId === policy.agency_id);
      if (!mayPublish)
        throw new GraphQLError('Only those who may publish this policy may preview it', {
          extensions: { code: 'FORBIDDEN' },
        });
      return this.moves(await this.escalations.retimeForPolicy(em, ctx, asPinned(policy), false));
    });
  }

  private moves(moves: Awaited<ReturnType<EscalationsService['retimeForPolicy']>>): RetimingMove[] {
    return moves.map((m) => ({
      escalationId: toGlobalId('Escalation', m.escalationId),
      reference: m.reference,
      stage: m.stage,
      fromDueAt: m.from,
      toDueAt: m.to,
    }));
  }
}

export function asPinned(policy: PolicyRow) {
  return { ...policy, stages: policy.stages.map((s) => toStagePolicy(s)) };
}
