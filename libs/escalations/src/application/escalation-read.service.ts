import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '@hips/audit';
import { decodeCursor, groupBy, idOf, pageSize, RequestContext, toPage } from '@hips/common';
import { APP_CONFIG, AppConfig } from '@hips/config';
import { TenantDb } from '@hips/database';
import { caseVisibility } from '../access/case-visibility.policy';
import { openChild } from '../child-crypto';
import { ChildRecord } from '../dto/child-record.model';
import type { EscalationFilter } from '../dto/escalation-filter.input';
import { EscalationNote } from '../dto/escalation-note.model';
import { EscalationStage } from '../dto/escalation-stage.model';
import { Escalation } from '../dto/escalation.model';
import {
  EscalationRow,
  EventRow,
  NoteRow,
  sqlTimeKey,
  StageRow,
  toEscalation,
  toEvent,
  toNote,
  toStage,
} from '../mappers';
import { PartnershipCode } from '@hips/common';

const NO_ID = '00000000-0000-0000-0000-000000000000';

/** Reads of cases, for the resolvers and their per-request loaders: every query is batched by id. */
@Injectable()
export class EscalationReadService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async byIds(ctx: RequestContext, ids: readonly string[]): Promise<Escalation[]> {
    const params: unknown[] = [ids];
    const visible = caseVisibility.sql(ctx, params);
    const rows: EscalationRow[] = await this.db.run(ctx, (em) =>
      em.query(`select e.* from escalations e where e.id = any($1) and ${visible}`, params),
    );
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
    const params: unknown[] = [];
    const where = [caseVisibility.sql(ctx, params)];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (f.status?.length) add((p) => `e.status = any(${p})`, f.status);
    if (f.stage?.length) add((p) => `e.current_stage = any(${p})`, f.stage);
    if (f.category?.length) add((p) => `e.category = any(${p})`, f.category);
    if (f.raisingAgencyId)
      add((p) => `e.raising_agency_id = ${p}`, idOf(f.raisingAgencyId, 'Agency') ?? NO_ID);
    if (f.respondingAgencyId)
      add((p) => `e.responding_agency_id = ${p}`, idOf(f.respondingAgencyId, 'Agency') ?? NO_ID);
    if (f.raisedFrom) add((p) => `e.raised_at >= ${p}`, f.raisedFrom);
    if (f.raisedTo) add((p) => `e.raised_at <= ${p}`, f.raisedTo);
    if (f.overdue !== null && f.overdue !== undefined) {
      where.push(`${f.overdue ? '' : 'not '}exists (select 1 from escalation_stages s where s.escalation_id = e.id
        and s.number = e.current_stage and s.status <> 'CLOSED' and s.breaches and s.due_at <= now())`);
    }
    if (f.mine) {
      add(
        (
          p,
        ) => `exists (select 1 from escalation_stages s where s.escalation_id = e.id and s.number = e.current_stage
          and s.status <> 'CLOSED' and (s.raiser_owner_person_id = ${p} or s.responder_owner_person_id = ${p}))`,
        ctx.personId ?? NO_ID,
      );
    }
    const filtered = where.join(' and ');
    const countParams = [...params];
    if (cursor) {
      params.push(cursor.key, cursor.id);
      where.push(`(e.raised_at, e.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    return this.db.run(ctx, async (em) => {
      const rows: (EscalationRow & { raised_key: string })[] = await em.query(
        `select e.*, ${sqlTimeKey('e.raised_at')} as raised_key from escalations e where ${where.join(' and ')}
          order by e.raised_at desc, e.id desc limit $${params.length}`,
        params,
      );
      const [{ count }]: { count: number }[] = await em.query(
        `select count(*)::int as count from escalations e where ${filtered}`,
        countParams,
      );
      const keys = new Map(rows.map((r) => [r.id, r.raised_key]));
      const page = toPage(
        rows.map(toEscalation),
        limit,
        (e) => ({ key: keys.get(e.uuid)!, id: e.uuid }),
        cursor !== null,
      );
      return { ...page, totalCount: count };
    });
  }

  async stagesByEscalation(
    ctx: RequestContext,
    ids: readonly string[],
  ): Promise<Map<string, EscalationStage[]>> {
    const rows: StageRow[] = await this.db.run(ctx, (em) =>
      em.query(
        `select s.*, (s.due_at is not null and s.due_at <= now()) as overdue_now from escalation_stages s
          where s.escalation_id = any($1) and s.partnership_id = $2 order by s.number`,
        [ids, ctx.partnershipId],
      ),
    );
    return groupBy(rows.map(toStage), (s) => s.escalationUuid);
  }

  /** People who report (directly or not) to the viewer in this partnership: the viewer manages their stages. */
  async reportsOfViewer(ctx: RequestContext): Promise<Set<string>> {
    if (!ctx.personId) return new Set();
    const rows: { person_id: string }[] = await this.db.run(ctx, (em) =>
      em.query(
        `with recursive down(person_id, depth) as (
           select person_id, 1 from role_assignments where partnership_id = $1 and manager_person_id = $2
           union
           select ra.person_id, d.depth + 1 from down d
             join role_assignments ra on ra.partnership_id = $1 and ra.manager_person_id = d.person_id
            where d.depth < 20
         ) select distinct person_id from down`,
        [ctx.partnershipId, ctx.personId],
      ),
    );
    return new Set(rows.map((r) => r.person_id));
  }

  /** Decrypts the children of these cases and audits each read (CHILD_VIEWED) in the same transaction. */
  async children(ctx: RequestContext, ids: readonly string[]): Promise<Map<string, ChildRecord>> {
    return this.db.run(ctx, async (em) => {
      const rows: { escalation_id: string; ciphertext: Buffer; iv: Buffer; tag: Buffer }[] = await em.query(
        `select escalation_id, ciphertext, iv, tag from escalation_children
          where escalation_id = any($1) and partnership_id = $2`,
        [ids, ctx.partnershipId],
      );
      const found = new Map<string, ChildRecord>();
      for (const row of rows) {
        const child = openChild(this.config.identifierEncryptionKey, row.escalation_id, row);
        found.set(row.escalation_id, { ...child, localAuthority: child.localAuthority as PartnershipCode });
      }
      if (found.size > 0) {
        await this.audit.recordMany(
          em,
          ctx,
          [...found.keys()].map((id) => ({ action: 'CHILD_VIEWED', entityType: 'Escalation', entityId: id })),
        );
      }
      return found;
    });
  }

  async notesByEscalation(
    ctx: RequestContext,
    ids: readonly string[],
  ): Promise<Map<string, EscalationNote[]>> {
    const rows: (NoteRow & { escalation_id: string })[] = await this.db.run(ctx, (em) =>
      em.query(
        `select * from escalation_notes where escalation_id = any($1) and partnership_id = $2
            and (visibility = 'SHARED' or author_agency_id = $3::uuid)
          order by created_at, id`,
        [ids, ctx.partnershipId, ctx.agencyId],
      ),
    );
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
    const rows: EventRow[] = await this.db.run(ctx, (em) =>
      em.query(
        `select v.* from unnest($1::uuid[]) as x(id)
           cross join lateral (
             select e.*, ${sqlTimeKey('e.at')} as at_key from escalation_events e
              where e.escalation_id = x.id and e.partnership_id = $2
                and ($3::text is null or (e.at, e.id) > ($3::timestamptz, $4::uuid))
              order by e.at, e.id limit $5) v
          order by v.at, v.id`,
        [escalationIds, ctx.partnershipId, cursor?.key ?? null, cursor?.id ?? null, limit + 1],
      ),
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
    const params: unknown[] = [id, ctx.partnershipId];
    const visible = caseVisibility.sql(ctx, params);
    const rows: EventRow[] = await this.db.run(ctx, (em) =>
      em.query(
        `select v.* from escalation_events v join escalations e on e.id = v.escalation_id
          where v.id = $1 and v.partnership_id = $2 and ${visible}`,
        params,
      ),
    );
    return rows[0] ? toEvent(rows[0]) : null;
  }
}
