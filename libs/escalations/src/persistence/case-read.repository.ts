import type { UnitOfWork } from '@hips/database';
import { caseVisibility } from '../access/case-visibility.policy';
import type { EscalationFilter } from '../dto/escalation-filter.input';
import { EscalationRow, EventRow, NoteRow, sqlTimeKey, StageRow } from '../mappers';

/** An id no row has: a filter on an unknown global id matches nothing. */
const NO_ID = '00000000-0000-0000-0000-000000000000';

/** A position in a keyset-paginated list: a time to the microsecond and an id. */
export interface KeysetPosition {
  key: string;
  id: string;
}

export interface SealedChildRow {
  escalation_id: string;
  ordinal: number;
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
}

/** The ids a list filter names (global ids decoded by the caller; null when unknown). */
export interface CaseListFilter extends Omit<EscalationFilter, 'raisingAgencyId' | 'respondingAgencyId'> {
  raisingAgencyId?: string | null;
  respondingAgencyId?: string | null;
}

/**
 * The read statements on the case tables. Every statement on `escalations` (or reached through it) applies the
 * case visibility policy for the unit's viewer; the per-case reads (stages, children, notes, events) take ids the
 * viewer got from those.
 */
export class CaseReadRepository {
  byIds(uow: UnitOfWork, ids: readonly string[]): Promise<EscalationRow[]> {
    const params: unknown[] = [ids];
    const visible = caseVisibility.sql(uow.ctx, params);
    return uow.query<EscalationRow[]>(
      `select e.* from escalations e where e.id = any($1) and ${visible}`,
      params,
    );
  }

  /**
   * One page (newest first, on (raised_at, id), `limit + 1` rows to tell whether more follow) and the filtered
   * total, in two statements.
   */
  async page(
    uow: UnitOfWork,
    f: CaseListFilter,
    limit: number,
    after: KeysetPosition | null,
  ): Promise<{ rows: (EscalationRow & { raised_key: string })[]; count: number }> {
    const params: unknown[] = [];
    const where = [caseVisibility.sql(uow.ctx, params)];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (f.status?.length) add((p) => `e.status = any(${p})`, f.status);
    if (f.stage?.length) add((p) => `e.current_stage = any(${p})`, f.stage);
    if (f.category?.length) add((p) => `e.category = any(${p})`, f.category);
    if (f.raisingAgencyId !== undefined) add((p) => `e.raising_agency_id = ${p}`, f.raisingAgencyId ?? NO_ID);
    if (f.respondingAgencyId !== undefined)
      add((p) => `e.responding_agency_id = ${p}`, f.respondingAgencyId ?? NO_ID);
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
        uow.ctx.personId ?? NO_ID,
      );
    }
    const filtered = where.join(' and ');
    const countParams = [...params];
    if (after) {
      params.push(after.key, after.id);
      where.push(`(e.raised_at, e.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows = await uow.query<(EscalationRow & { raised_key: string })[]>(
      `select e.*, ${sqlTimeKey('e.raised_at')} as raised_key from escalations e where ${where.join(' and ')}
          order by e.raised_at desc, e.id desc limit $${params.length}`,
      params,
    );
    const [{ count }] = await uow.query<{ count: number }[]>(
      `select count(*)::int as count from escalations e where ${filtered}`,
      countParams,
    );
    return { rows, count };
  }

  stages(uow: UnitOfWork, escalationIds: readonly string[]): Promise<StageRow[]> {
    return uow.query<StageRow[]>(
      `select s.*, (s.due_at is not null and s.due_at <= now()) as overdue_now from escalation_stages s
          where s.escalation_id = any($1) and s.partnership_id = $2 order by s.number`,
      [escalationIds, uow.partnershipId],
    );
  }

  sealedChildren(uow: UnitOfWork, escalationIds: readonly string[]): Promise<SealedChildRow[]> {
    return uow.query<SealedChildRow[]>(
      `select escalation_id, ordinal, ciphertext, iv, tag from escalation_children
          where escalation_id = any($1) and partnership_id = $2 order by escalation_id, ordinal`,
      [escalationIds, uow.partnershipId],
    );
  }

  /** SHARED notes, and PRIVATE notes of the viewer's own agency. */
  notes(uow: UnitOfWork, escalationIds: readonly string[]): Promise<(NoteRow & { escalation_id: string })[]> {
    return uow.query<(NoteRow & { escalation_id: string })[]>(
      `select * from escalation_notes where escalation_id = any($1) and partnership_id = $2
            and (visibility = 'SHARED' or author_agency_id = $3::uuid)
          order by created_at, id`,
      [escalationIds, uow.partnershipId, uow.ctx.agencyId],
    );
  }

  /** Up to `limit` events of each case after `after`, in one statement (a lateral join per case). */
  eventPages(
    uow: UnitOfWork,
    escalationIds: readonly string[],
    limit: number,
    after: KeysetPosition | null,
  ): Promise<EventRow[]> {
    return uow.query<EventRow[]>(
      `select v.* from unnest($1::uuid[]) as x(id)
           cross join lateral (
             select e.*, ${sqlTimeKey('e.at')} as at_key from escalation_events e
              where e.escalation_id = x.id and e.partnership_id = $2
                and ($3::text is null or (e.at, e.id) > ($3::timestamptz, $4::uuid))
              order by e.at, e.id limit $5) v
          order by v.at, v.id`,
      [escalationIds, uow.partnershipId, after?.key ?? null, after?.id ?? null, limit],
    );
  }

  /** An event, if its case is visible to the viewer. */
  async eventById(uow: UnitOfWork, eventId: string): Promise<EventRow | null> {
    const params: unknown[] = [eventId, uow.partnershipId];
    const visible = caseVisibility.sql(uow.ctx, params);
    const [row] = await uow.query<EventRow[]>(
      `select v.* from escalation_events v join escalations e on e.id = v.escalation_id
          where v.id = $1 and v.partnership_id = $2 and ${visible}`,
      params,
    );
    return row ?? null;
  }
}
