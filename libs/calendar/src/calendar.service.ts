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
import { TenantDb, UnitOfWork } from '@hips/database';
import { CalendarRepository } from './persistence/calendar.repository';
import { closureChangeProblems, type ClosureChange } from './closure-rules';
import type { CalendarVersion, ClosureDay } from './dto/calendar.model';
import type { AddClosureDayInput, RemoveClosureDayInput } from './dto/calendar.input';

/** workingDeadline answers up to this many working days (about a year). */
export const MAX_WORKING_DEADLINE_DAYS = 260;

/** The partnership calendar version in force: its number, its closure days and the engine's calendar. */
export interface CurrentCalendar {
  versionId: string | null;
  version: number;
  closureDays: ClosureDay[];
  calendar: WorkingCalendar;
}

/**
 * Partnership calendars: versioned closure days (each change publishes a new immutable version) and deadlines
 * computed by libs/core against the current version.
 */
@Injectable()
export class CalendarService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    private readonly repository: CalendarRepository,
  ) {}

  /** The current calendar of the unit's partnership. */
  async currentOf(uow: UnitOfWork): Promise<CurrentCalendar> {
    const [latest] = await this.repository.latestVersions(uow, 1);
    if (!latest) return { versionId: null, version: 0, closureDays: [], calendar: new WorkingCalendar() };
    const closureDays = await this.repository.closureDaysOf(uow, [latest.id]);
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
    const now = await this.repository.now(em);
    return { now, today: londonDate(now) };
  }

  async workingDeadline(ctx: RequestContext, start: Date, workingDays: number): Promise<DeadlineExplanation> {
    if (!Number.isInteger(workingDays) || workingDays < 0 || workingDays > MAX_WORKING_DEADLINE_DAYS) {
      throw new ApiError(
        'BAD_USER_INPUT',
        `workingDays must be a whole number from 0 to ${MAX_WORKING_DEADLINE_DAYS}`,
      );
    }
    const { calendar } = await this.db.transaction(ctx, (uow) => this.currentOf(uow));
    return computeDue(calendar, start, workingDays);
  }

  async versions(ctx: RequestContext, first: number): Promise<CalendarVersion[]> {
    return this.db.transaction(ctx, async (uow) => {
      const rows = await this.repository.latestVersions(uow, first);
      const days = await this.repository.closureDaysOf(
        uow,
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
    const current = await this.db.transaction(ctx, (uow) => this.currentOf(uow));
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
    return this.db.transaction(ctx, async (uow) => {
      await this.repository.lockChanges(uow);
      const { today } = await this.today(uow.em);
      const current = await this.currentOf(uow);
      const problems = closureChangeProblems(change, input, today, current.calendar);
      if (problems.length > 0) throw new UserErrorsException(problems);

      const reason = input.reason.trim();
      const version = current.version + 1;
      const closureDays =
        change === 'ADD'
          ? [...current.closureDays, { date: input.date, reason }].sort((a, b) =>
              a.date.localeCompare(b.date),
            )
          : current.closureDays.filter((d) => d.date !== input.date);
      const createdId = await this.repository.publish(uow, {
        version,
        change,
        date: input.date,
        reason,
        closureDays,
      });
      await this.audit.record(uow.em, ctx, {
        action: change === 'ADD' ? 'CALENDAR_CLOSURE_DAY_ADDED' : 'CALENDAR_CLOSURE_DAY_REMOVED',
        entityType: 'CalendarVersion',
        entityId: createdId,
        detail: { version, date: input.date, reason },
      });
      return { closureDates: closureDays.map((d) => d.date), version };
    });
  }
}
