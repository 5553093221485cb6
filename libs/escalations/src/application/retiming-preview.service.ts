import { Injectable } from '@nestjs/common';
import { ApiError, hasRole, idOf, RequestContext, toGlobalId } from '@hips/common';
import { TenantDb } from '@hips/database';
import { PoliciesRepository } from '@hips/policies';
import type { RetimingMove } from '../dto/retiming-move.model';
import { asPinned, RetimeOpenCasesHandler } from './retime-open-cases.handler';

/** The dry run of publishEscalationPolicy(applyToOpenCases: true). */
@Injectable()
export class RetimingPreviewService {
  constructor(
    private readonly db: TenantDb,
    private readonly retiming: RetimeOpenCasesHandler,
    private readonly policies: PoliciesRepository,
  ) {}

  async preview(ctx: RequestContext, policyGlobalId: string): Promise<RetimingMove[]> {
    return this.db.transaction(ctx, async (uow) => {
      const policyId = idOf(policyGlobalId, 'EscalationPolicy');
      const policy = policyId ? await this.policies.byId(uow, policyId) : undefined;
      if (!policy) throw new ApiError('BAD_USER_INPUT', 'Escalation policy was not found');
      const mayPublish =
        hasRole(ctx, 'PARTNERSHIP_ADMIN') ||
        (policy.agency_id !== null && hasRole(ctx, 'AGENCY_ADMIN') && ctx.agencyId === policy.agency_id);
      if (!mayPublish)
        throw new ApiError('FORBIDDEN', 'Only those who may publish this policy may preview it');
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
