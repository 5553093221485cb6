import type { UnitOfWork } from '@hips/database';
import { EscalationRow, sqlTimeKey } from '../mappers';

/** Statuses of a closed case: its retention runs from `closed_at` (the latest closure; a reopen clears it). */
export const CLOSED_STATUSES = ['RESOLVED', 'CLOSED_BY_PARTNERSHIP', 'WITHDRAWN'] as const;

/** Where a purge run continues from: `closed_at` to the microsecond (a Date keeps milliseconds only), and id. */
export interface PurgePosition {
  closedKey: string;
  id: string;
}

/** A closed case whose identifiers may be due for purging. */
export interface PurgeCandidate {
  id: string;
  closed_at: Date;
  closed_key: string;
}

/** One sealed child of a purge candidate. */
export interface PurgeCandidateChild {
  escalation_id: string;
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
}

/** The statements of retention and legal holds on the case tables (escalations, escalation_children). */
export class RetentionRepository {
  async now(uow: UnitOfWork): Promise<Date> {
    const [{ now }] = await uow.query<{ now: Date }[]>('select now() as now');
    return now;
  }

  /**
   * Closed cases of the unit's partnership, closed before `closedBefore`, not on hold and not yet purged, after
   * `after` in (closed_at, id) order. Locks them (a concurrent hold or reopen waits, then meets the bumped
   * version); skips a case locked by someone else, which the next run finds again.
   */
  purgeCandidates(
    uow: UnitOfWork,
    closedBefore: Date,
    after: PurgePosition | null,
    limit: number,
  ): Promise<PurgeCandidate[]> {
    return uow.query<PurgeCandidate[]>(
      `select e.id, e.closed_at, ${sqlTimeKey('e.closed_at')} as closed_key
         from escalations e
        where exists (select 1 from escalation_children c where c.escalation_id = e.id and c.partnership_id = e.partnership_id)
          and e.partnership_id = $1 and e.status = any($2) and e.closed_at is not null and e.closed_at < $3
          and e.legal_hold_at is null and e.child_purged_at is null
          and ($4::timestamptz is null or (e.closed_at, e.id) > ($4::timestamptz, $5::uuid))
        order by e.closed_at, e.id
        limit $6
        for update of e skip locked`,
      [uow.partnershipId, CLOSED_STATUSES, closedBefore, after?.closedKey ?? null, after?.id ?? null, limit],
    );
  }

  /** The sealed children of these candidates (every child of a case: its retention ends on the latest date). */
  candidateChildren(uow: UnitOfWork, escalationIds: readonly string[]): Promise<PurgeCandidateChild[]> {
    return uow.query<PurgeCandidateChild[]>(
      `select escalation_id, ciphertext, iv, tag from escalation_children
        where escalation_id = any($1) and partnership_id = $2 order by escalation_id, ordinal`,
      [escalationIds, uow.partnershipId],
    );
  }

  /** Deletes every sealed child of the case and the request fingerprint; false when the case changed under its lock. */
  async purgeIdentifiers(uow: UnitOfWork, escalationId: string): Promise<boolean> {
    await uow.query('delete from escalation_children where escalation_id = $1 and partnership_id = $2', [
      escalationId,
      uow.partnershipId,
    ]);
    const updated = await uow.changed<{ version: number }>(
      `update escalations set child_purged_at = now(), request_fingerprint = null, version = version + 1
        where id = $1 and child_purged_at is null and legal_hold_at is null returning version`,
      [escalationId],
    );
    return updated.length > 0;
  }

  async findCase(uow: UnitOfWork, escalationId: string): Promise<EscalationRow | null> {
    const [row] = await uow.query<EscalationRow[]>(
      'select * from escalations where id = $1 and partnership_id = $2',
      [escalationId, uow.partnershipId],
    );
    return row ?? null;
  }

  /** Places the hold if the case is still at `row.version`; null when someone changed it meanwhile. */
  async placeHold(
    uow: UnitOfWork,
    row: EscalationRow,
    reason: string,
    byPersonId: string | null,
  ): Promise<EscalationRow | null> {
    const [updated] = await uow.changed<EscalationRow>(
      `update escalations set version = version + 1,
          legal_hold_at = now(), legal_hold_reason = $3, legal_hold_by_person_id = $4
        where id = $1 and version = $2 returning *`,
      [row.id, row.version, reason, byPersonId],
    );
    return updated ?? null;
  }

  /** Lifts the hold if the case is still at `row.version`; null when someone changed it meanwhile. */
  async liftHold(uow: UnitOfWork, row: EscalationRow): Promise<EscalationRow | null> {
    const [updated] = await uow.changed<EscalationRow>(
      `update escalations set version = version + 1,
          legal_hold_at = null, legal_hold_reason = null, legal_hold_by_person_id = null
        where id = $1 and version = $2 returning *`,
      [row.id, row.version],
    );
    return updated ?? null;
  }
}
