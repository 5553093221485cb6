import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '@hips/audit';
import { decodeCursor, groupBy, idOf, PartnershipCode, pageSize, RequestContext, toPage } from '@hips/common';
import { APP_CONFIG, AppConfig } from '@hips/config';
import { TenantDb } from '@hips/database';
import { reportsOf } from '@hips/directory';
import { openChild } from '../child-crypto';
import { ChildRecord } from '../dto/child-record.model';
import type { EscalationFilter } from '../dto/escalation-filter.input';
import { EscalationNote } from '../dto/escalation-note.model';
import { EscalationStage } from '../dto/escalation-stage.model';
import { Escalation } from '../dto/escalation.model';
import { toEscalation, toEvent, toNote, toStage } from '../mappers';
import { CaseReadRepository } from '../persistence/case-read.repository';

/**
 * Reads of cases, for the resolvers and their per-request loaders: every query is batched by id. Who sees which
 * case is the case visibility policy's, applied by the repository's statements.
 */
@Injectable()
export class EscalationReadService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private readonly cases = new CaseReadRepository();

  async byIds(ctx: RequestContext, ids: readonly string[]): Promise<Escalation[]> {
    const rows = await this.db.transaction(ctx, (uow) => this.cases.byIds(uow, ids));
    return rows.map(toEscalation);
  }

  async byGlobalId(ctx: RequestContext, globalId: string): Promise<Escalation | null> {
    const id = idOf(globalId, 'Escalation');
    if (!id) return null;
    const [found] = await this.byIds(ctx, [id]);
    return found ?? null;
  }

  /** Newest first, keyset-paginated on (raised_at, id). */
  async list(
    ctx: RequestContext,
    first: number | null | undefined,
    after: string | null | undefined,
    filter: EscalationFilter | null | undefined,
  ) {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 'timestamp');
    const f = filter ?? {};
    const { rows, count } = await this.db.transaction(ctx, (uow) =>
      this.cases.page(
        uow,
        {
          ...f,
          raisingAgencyId: f.raisingAgencyId ? idOf(f.raisingAgencyId, 'Agency') : undefined,
          respondingAgencyId: f.respondingAgencyId ? idOf(f.respondingAgencyId, 'Agency') : undefined,
        },
        limit,
        cursor,
      ),
    );
    const keys = new Map(rows.map((r) => [r.id, r.raised_key]));
    const page = toPage(
      rows.map(toEscalation),
      limit,
      (e) => ({ key: keys.get(e.uuid)!, id: e.uuid }),
      cursor !== null,
    );
    return { ...page, totalCount: count };
  }

  async stagesByEscalation(
    ctx: RequestContext,
    ids: readonly string[],
  ): Promise<Map<string, EscalationStage[]>> {
    const rows = await this.db.transaction(ctx, (uow) => this.cases.stages(uow, ids));
    return groupBy(rows.map(toStage), (s) => s.escalationUuid);
  }

  /** People who report (directly or not) to the viewer in this partnership: the viewer manages their stages. */
  async reportsOfViewer(ctx: RequestContext): Promise<Set<string>> {
    const viewer = ctx.personId;
    if (!viewer) return new Set();
    return new Set(await this.db.transaction(ctx, (uow) => reportsOf(uow, viewer)));
  }

  /**
   * Decrypts the children of these cases (in order, the first is the case's `child`) and audits each case's read
   * once (CHILD_VIEWED, with how many children it disclosed) in the same transaction.
   */
  async children(ctx: RequestContext, ids: readonly string[]): Promise<Map<string, ChildRecord[]>> {
    return this.db.transaction(ctx, async (uow) => {
      const found = new Map<string, ChildRecord[]>();
      for (const row of await this.cases.sealedChildren(uow, ids)) {
        const child = openChild(this.config.identifierEncryptionKey, row.escalation_id, row);
        const record = { ...child, localAuthority: child.localAuthority as PartnershipCode };
        found.set(row.escalation_id, [...(found.get(row.escalation_id) ?? []), record]);
      }
      if (found.size > 0) {
        await this.audit.recordMany(
          uow.em,
          ctx,
          [...found].map(([id, children]) => ({
            action: 'CHILD_VIEWED',
            entityType: 'Escalation',
            entityId: id,
            detail: { children: children.length },
          })),
        );
      }
      return found;
    });
  }

  async notesByEscalation(
    ctx: RequestContext,
    ids: readonly string[],
  ): Promise<Map<string, EscalationNote[]>> {
    const rows = await this.db.transaction(ctx, (uow) => this.cases.notes(uow, ids));
    const grouped = groupBy(rows, (r) => r.escalation_id);
    return new Map([...grouped].map(([k, v]) => [k, v.map(toNote)]));
  }

  /**
   * One page of the chronology for each of these cases, in one query (a lateral join per case), so a page of cases
   * with their events costs one statement whatever its size.
   */
  async eventPages(
    ctx: RequestContext,
    escalationIds: readonly string[],
    first: number | null | undefined,
    after: string | null | undefined,
  ) {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 'timestamp');
    const rows = await this.db.transaction(ctx, (uow) =>
      this.cases.eventPages(uow, escalationIds, limit + 1, cursor),
    );
    const keys = new Map(rows.map((r) => [r.id, r.at_key!]));
    const byCase = groupBy(rows, (r) => r.escalation_id);
    return new Map(
      escalationIds.map((id) => [
        id,
        toPage(
          (byCase.get(id) ?? []).map(toEvent),
          limit,
          (e) => ({ key: keys.get(e.uuid)!, id: e.uuid }),
          cursor !== null,
        ),
      ]),
    );
  }

  /** An event by id, if its case is visible to the viewer (for node()). */
  async eventByGlobalId(ctx: RequestContext, globalId: string) {
    const id = idOf(globalId, 'EscalationEvent');
    if (!id) return null;
    const row = await this.db.transaction(ctx, (uow) => this.cases.eventById(uow, id));
    return row ? toEvent(row) : null;
  }
}
