import { Injectable } from '@nestjs/common';
import { RequestContext, toGlobalId } from '@hips/common';
import { TenantDb } from '@hips/database';
import { DeadlineRepository } from '@hips/deadlines';
import { OverdueDeadlines } from '../dto/overdue-deadline.model';

/**
 * Deadlines that fell due but have not fired: what a partnership admin needs to see of the shared deadline queue,
 * read from the partnership's own rows (row-level security), never from the queues of all partnerships.
 */
@Injectable()
export class OverdueDeadlinesService {
  constructor(
    private readonly db: TenantDb,
    private readonly deadlines: DeadlineRepository,
  ) {}

  async list(ctx: RequestContext, lateByMinutes: number, first: number): Promise<OverdueDeadlines> {
    return this.db.transaction(ctx, async (uow) => {
      const count = await this.deadlines.countOverdue(uow, lateByMinutes);
      const rows = await this.deadlines.listOverdue(uow, lateByMinutes, first);
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
