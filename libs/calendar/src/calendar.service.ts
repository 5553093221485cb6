import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '@hips/audit';
import {
  ApiError,
  fail,
  hasRole,
  RequestContext,
  toGlobalId,
  UserError,
  UserErrorsException,
} from '@hips/common';
import { computeDue, londonDate, WorkingCalendar, type DeadlineExplanation } from '@hips/core';
import { TenantDb } from '@hips/database';
import { closureChangeProblems, type ClosureChange } from './closure-rules';
import type { CalendarVersion, ClosureDay } from './dto/calendar.model';
import type { AddClosureDayInput, RemoveClosureDayInput } from './dto/calendar.input';

/** workingDeadline answers up to this many working days (about a year). */
export const MAX_WORKING_DEADLINE_DAYS = 260;

interface VersionRow {
  id: string;
  version: number;
  change: string;
  change_date: string | null;
  change_reason: string | null;
  changed_by_person_id: string | null;
  published_at: Date;
}

/** The partnership calendar version in force: its number, its closure days and the engine's calendar. */
export interface CurrentCalendar {
  versionId: string | null;
  version: number;
  closureDays: ClosureDay[];
  calendar: WorkingCalendar;
}

const VERSION_COLUMNS = `id, version, change, to_char(change_date, 'YYYY-MM-DD') as change_date, change_reason,
  changed_by_person_id, published_at`;

/**
 * Partnership calendars: versioned closure days (each change publishes a new immutable version) and deadlines
 * computed by libs/core against the current version.
 */
@Injectable()
export class CalendarService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
  ) {}

  /** The current calendar of a partnership, inside the caller's transaction (tenant already set). */
  async current(em: EntityManager, partnershipId: string): Promise<CurrentCalendar> {
    const [latest]: VersionRow[] = await em.query(
      `select ${VERSION_COLUMNS} from calendar_versions where partnership_id = $1 order by version desc limit 1`,
      [partnershipId],
    );
    if (!latest) return { versionId: null, version: 0, closureDays: [], calendar: new WorkingCalendar() };
    const closureDays = await this.closureDaysOf(em, partnershipId, [latest.id]);
    const days = closureDays.get(latest.id) ?? [];
    return {
      versionId: latest.id,
      version: latest.version,
      closureDays: days,
      calendar: new WorkingCalendar({ closureDays: days }),
    };
  }

  /** The London date of the database clock (the clock of record). */
  async today(em: EntityManager): Promise<{ now: Date; today: string }> {
    const [{ now }]: { now: Date }[] = await em.query('select now() as now');
    return { now, today: londonDate(now) };
  }

  async workingDeadline(ctx: RequestContext, start: Date, workingDays: number): Promise<DeadlineExplanation> {
    if (!Number.isInteger(workingDays) || workingDays < 0 || workingDays > MAX_WORKING_DEADLINE_DAYS) {
      throw new ApiError(
        'BAD_USER_INPUT',
        `workingDays must be a whole number from 0 to ${MAX_WORKING_DEADLINE_DAYS}`,
      );
    }
    const { calendar } = await this.db.run(ctx, (em) => this.current(em, ctx.partnershipId));
    return computeDue(calendar, start, workingDays);
  }

  async versions(ctx: RequestContext, first: number): Promise<CalendarVersion[]> {
    return this.db.run(ctx, async (em) => {
      const rows: VersionRow[] = await em.query(
        `select ${VERSION_COLUMNS} from calendar_versions where partnership_id = $1
         order by version desc limit $2`,
        [ctx.partnershipId, first],
      );
      const days = await this.closureDaysOf(
        em,
        ctx.partnershipId,
        rows.map((r) => r.id),
      );
      return rows.map((row) => ({
        id: toGlobalId('CalendarVersion', row.id),
        uuid: row.id,
        changedByUuid: row.changed_by_person_id,
        version: row.version,
        publishedAt: row.published_at,
        change: row.change,
        changeDate: row.change_date,
        changeReason: row.change_reason,
        closureDays: days.get(row.id) ?? [],
      }));
    });
  }

  /** A refused change's payload, completed with the current closure dates (nothing was written). */
  async orUnchanged<T extends { userErrors: UserError[] }>(
    ctx: RequestContext,
    result: T | (T & { closureDates: string[] }),
  ): Promise<T & { closureDates: string[]; version: number | null }> {
    if ('closureDates' in result) return { version: null, ...result };
    const current = await this.db.run(ctx, (em) => this.current(em, ctx.partnershipId));
    return { ...result, closureDates: current.closureDays.map((d) => d.date), version: null };
  }

  addClosureDay(ctx: RequestContext, input: AddClosureDayInput) {
    return this.change(ctx, 'ADD', input);
  }

  removeClosureDay(ctx: RequestContext, input: RemoveClosureDayInput) {
    return this.change(ctx, 'REMOVE', input);
  }

  /** Publishes the next calendar version with one closure day added or removed. */
  private async change(
    ctx: RequestContext,
    change: ClosureChange,
    input: { date: string; reason: string },
  ): Promise<{ closureDates: string[]; version: number }> {
    if (!hasRole(ctx, 'PARTNERSHIP_ADMIN')) {
      fail('FORBIDDEN', "Only a partnership admin may change the partnership's calendar");
    }
    return this.db.run(ctx, async (em) => {
      // One change at a time per partnership, so that version numbers follow each other.
      await em.query(`select pg_advisory_xact_lock(hashtextextended('calendar:' || $1, 0))`, [
        ctx.partnershipId,
      ]);
      const { today } = await this.today(em);
      const current = await this.current(em, ctx.partnershipId);
      const problems = closureChangeProblems(change, input, today, current.calendar);
      if (problems.length > 0) throw new UserErrorsException(problems);

      const reason = input.reason.trim();
      const version = current.version + 1;
      const [created]: { id: string }[] = await em.query(
        `insert into calendar_versions (partnership_id, version, change, change_date, change_reason,
           changed_by_person_id)
         values ($1, $2, $3, $4::date, $5, $6) returning id`,
        [ctx.partnershipId, version, change, input.date, reason, ctx.personId],
      );
      const closureDays =
        change === 'ADD'
          ? [...current.closureDays, { date: input.date, reason }].sort((a, b) =>
              a.date.localeCompare(b.date),
            )
          : current.closureDays.filter((d) => d.date !== input.date);
      if (closureDays.length > 0) {
        await em.query(
          `insert into calendar_closure_days (partnership_id, calendar_version_id, date, reason)
           select $1, $2, d.date, d.reason from unnest($3::date[], $4::text[]) as d(date, reason)`,
          [ctx.partnershipId, created.id, closureDays.map((d) => d.date), closureDays.map((d) => d.reason)],
        );
      }
      await this.audit.record(em, ctx, {
        action: change === 'ADD' ? 'CALENDAR_CLOSURE_DAY_ADDED' : 'CALENDAR_CLOSURE_DAY_REMOVED',
        entityType: 'CalendarVersion',
        entityId: created.id,
        detail: { version, date: input.date, reason },
      });
      return { closureDates: closureDays.map((d) => d.date), version };
    });
  }

  private async closureDaysOf(
    em: EntityManager,
    partnershipId: string,
    versionIds: string[],
  ): Promise<Map<string, ClosureDay[]>> {
    const byVersion = new Map<string, ClosureDay[]>();
    if (versionIds.length === 0) return byVersion;
    const rows: { calendar_version_id: string; date: string; reason: string }[] = await em.query(
      `select calendar_version_id, to_char(date, 'YYYY-MM-DD') as date, reason from calendar_closure_days
       where partnership_id = $1 and calendar_version_id = any($2) order by date`,
      [partnershipId, versionIds],
    );
    for (const row of rows) {
      byVersion.set(row.calendar_version_id, [
        ...(byVersion.get(row.calendar_version_id) ?? []),
        { date: row.date, reason: row.reason },
      ]);
    }
    return byVersion;
  }
}
