import { Injectable } from '@nestjs/common';
import { RequestContext, toGlobalId } from '@hips/common';
import { TenantDb } from '@hips/database';
import { OverdueDeadlines } from '../dto/overdue-deadline.model';

/**
 * Deadlines that fell due but have not fired: what a partnership admin needs to see of the shared deadline queue,
 * read from the partnership's own rows (row-level security), never from the queues of all partnerships.
 */
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
