import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { UnitOfWork } from '@hips/database';
import type { ClosureDay } from '../dto/calendar.model';

export interface VersionRow {
  id: string;
  version: number;
  change: string;
  change_date: string | null;
  change_reason: string | null;
  changed_by_person_id: string | null;
  published_at: Date;
}

const VERSION_COLUMNS = `id, version, change, to_char(change_date, 'YYYY-MM-DD') as change_date, change_reason,
  changed_by_person_id, published_at`;

/** Calendar versions and their closure days (calendar_versions, calendar_closure_days) of the unit's partnership. */
@Injectable()
export class CalendarRepository {
  /** The database clock (the clock of record), on any transaction. */
  async now(em: EntityManager): Promise<Date> {
    const [{ now }]: { now: Date }[] = await em.query('select now() as now');
    return now;
  }

  /** The newest versions, newest first (the latest only with `limit` 1). */
  latestVersions(uow: UnitOfWork, limit: number): Promise<VersionRow[]> {
    return uow.query(
      `select ${VERSION_COLUMNS} from calendar_versions where partnership_id = $1
       order by version desc limit $2`,
      [uow.partnershipId, limit],
    );
  }

  /** The closure days of each version, by date. */
  async closureDaysOf(uow: UnitOfWork, versionIds: string[]): Promise<Map<string, ClosureDay[]>> {
    const byVersion = new Map<string, ClosureDay[]>();
    if (versionIds.length === 0) return byVersion;
    const rows: { calendar_version_id: string; date: string; reason: string }[] = await uow.query(
      `select calendar_version_id, to_char(date, 'YYYY-MM-DD') as date, reason from calendar_closure_days
       where partnership_id = $1 and calendar_version_id = any($2) order by date`,
      [uow.partnershipId, versionIds],
    );
    for (const row of rows) {
      byVersion.set(row.calendar_version_id, [
        ...(byVersion.get(row.calendar_version_id) ?? []),
        { date: row.date, reason: row.reason },
      ]);
    }
    return byVersion;
  }

  /** One change at a time per partnership, so that version numbers follow each other. */
  async lockChanges(uow: UnitOfWork): Promise<void> {
    await uow.query(`select pg_advisory_xact_lock(hashtextextended('calendar:' || $1, 0))`, [
      uow.partnershipId,
    ]);
  }

  /** Publishes a version with its closure days; its id. */
  async publish(
    uow: UnitOfWork,
    version: { version: number; change: string; date: string; reason: string; closureDays: ClosureDay[] },
  ): Promise<string> {
    const [created]: { id: string }[] = await uow.query(
      `insert into calendar_versions (partnership_id, version, change, change_date, change_reason,
         changed_by_person_id)
       values ($1, $2, $3, $4::date, $5, $6) returning id`,
      [uow.partnershipId, version.version, version.change, version.date, version.reason, uow.ctx.personId],
    );
    const days = version.closureDays;
    if (days.length > 0) {
      await uow.query(
        `insert into calendar_closure_days (partnership_id, calendar_version_id, date, reason)
         select $1, $2, d.date, d.reason from unnest($3::date[], $4::text[]) as d(date, reason)`,
        [uow.partnershipId, created.id, days.map((d) => d.date), days.map((d) => d.reason)],
      );
    }
    return created.id;
  }
}
