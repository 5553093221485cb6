import { Injectable } from '@nestjs/common';
import { toGlobalId } from '@hips/common';
import type { UnitOfWork } from '@hips/database';
import type { Absence } from '../dto/org-structure.model';

export interface AbsenceRow {
  id: string;
  person_id: string;
  starts_on: string;
  ends_on: string;
  reason: string;
  cancelled_at: Date | null;
  created_at: Date;
}

export const toAbsence = (r: AbsenceRow): Absence => ({
  __typename: 'Absence',
  id: toGlobalId('Absence', r.id),
  uuid: r.id,
  personUuid: r.person_id,
  from: r.starts_on,
  to: r.ends_on,
  reason: r.reason,
  recordedAt: r.created_at,
  cancelledAt: r.cancelled_at,
});

const ABSENCE_COLUMNS = `id, person_id, starts_on::text as starts_on, ends_on::text as ends_on, reason,
  cancelled_at, created_at`;

/** People's absences (absences), in the unit's partnership. */
@Injectable()
export class AbsencesRepository {
  /** Serialises absences of one person, so two overlapping requests at once cannot both pass the check. */
  /** These people's absences (not cancelled) covering the London date `on` (YYYY-MM-DD). */
  coveringDay(
    uow: UnitOfWork,
    personIds: readonly string[],
    on: string,
  ): Promise<{ person_id: string; starts_on: string; ends_on: string; reason: string }[]> {
    return uow.query(
      `select person_id, starts_on::text as starts_on, ends_on::text as ends_on, reason from absences
       where partnership_id = $1 and person_id = any($2) and cancelled_at is null
         and starts_on <= $3::date and ends_on >= $3::date`,
      [uow.partnershipId, personIds, on],
    );
  }

  async lockPerson(uow: UnitOfWork, personId: string): Promise<void> {
    await uow.query(`select pg_advisory_xact_lock(hashtextextended('absence:' || $1::text, 0))`, [personId]);
  }

  /** The earliest absence of the person (not cancelled) overlapping from..to, if any. */
  async firstOverlapping(
    uow: UnitOfWork,
    personId: string,
    from: string,
    to: string,
  ): Promise<{ starts_on: string; ends_on: string } | undefined> {
    const [row]: { starts_on: string; ends_on: string }[] = await uow.query(
      `select starts_on::text as starts_on, ends_on::text as ends_on from absences
       where partnership_id = $1 and person_id = $2 and cancelled_at is null
         and starts_on <= $4::date and ends_on >= $3::date
       order by starts_on limit 1`,
      [uow.partnershipId, personId, from, to],
    );
    return row;
  }

  async insert(
    uow: UnitOfWork,
    absence: { personId: string; from: string; to: string; reason: string; recordedBy: string | null },
  ): Promise<AbsenceRow> {
    const [row]: AbsenceRow[] = await uow.query(
      `insert into absences (partnership_id, person_id, starts_on, ends_on, reason, recorded_by_person_id)
       values ($1, $2, $3, $4, $5, $6) returning ${ABSENCE_COLUMNS}`,
      [uow.partnershipId, absence.personId, absence.from, absence.to, absence.reason, absence.recordedBy],
    );
    return row;
  }

  async find(uow: UnitOfWork, absenceId: string): Promise<AbsenceRow | undefined> {
    const [row]: AbsenceRow[] = await uow.query(
      `select ${ABSENCE_COLUMNS} from absences where partnership_id = $1 and id = $2`,
      [uow.partnershipId, absenceId],
    );
    return row;
  }

  async cancel(uow: UnitOfWork, absenceId: string): Promise<AbsenceRow> {
    const [row]: AbsenceRow[] = await uow.query(
      `with changed as (update absences set cancelled_at = now() where partnership_id = $1 and id = $2
         returning *) select ${ABSENCE_COLUMNS} from changed`,
      [uow.partnershipId, absenceId],
    );
    return row;
  }

  /** Current and future absences (not cancelled) of the people, with each person's agency. */
  upcomingOf(uow: UnitOfWork, personIds: readonly string[]): Promise<(AbsenceRow & { agency_id: string })[]> {
    return uow.query(
      `select a.id, a.person_id, a.starts_on::text as starts_on, a.ends_on::text as ends_on, a.reason,
         a.cancelled_at, a.created_at, p.agency_id from absences a
       join people p on p.id = a.person_id
       where a.partnership_id = $1 and a.person_id = any($2) and a.cancelled_at is null
         and a.ends_on >= (now() at time zone 'Europe/London')::date
       order by a.starts_on, a.id`,
      [uow.partnershipId, personIds],
    );
  }
}
