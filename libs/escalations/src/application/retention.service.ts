import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { AuditService } from '@hips/audit';
import { fail, hasRole, idOf, InputCheck, notFound, RequestContext } from '@hips/common';
import { APP_CONFIG, AppConfig } from '@hips/config';
import { retentionClosureCutoff, retentionEnded, type RoleType } from '@hips/core';
import { changedRows, TenantDb } from '@hips/database';
import { caseVisibility } from '../access/case-visibility.policy';
import { openChild } from '../child-crypto';
import type { LiftLegalHoldInput, PlaceLegalHoldInput } from '../dto/legal-hold.input';
import { Escalation } from '../dto/escalation.model';
import { LegalHold } from '../dto/legal-hold.model';
import { EscalationRow, sqlTimeKey, toEscalation } from '../mappers';

/** Statuses of a closed case: its retention runs from `closed_at` (the latest closure; a reopen clears it). */
export const CLOSED_STATUSES = ['RESOLVED', 'CLOSED_BY_PARTNERSHIP', 'WITHDRAWN'] as const;

/** Who may place and lift a legal hold. */
export const LEGAL_HOLD_ROLES: RoleType[] = ['PARTNERSHIP_ADMIN', 'PARTNERSHIP_MANAGER'];

/** Cases looked at per transaction by the purge. */
const PURGE_BATCH = 200;

export interface PurgeResult {
  partnership: string;
  /** Closed cases past closure + 7 years, not on hold, still holding identifiers. */
  examined: number;
  purged: number;
  /** Cases whose sealed child would not open (logged by id; kept). */
  unreadable: number;
}

export interface LegalHoldResult {
  escalationId: string;
  version: number;
  legalHold: LegalHold | null;
  /** The case, when the caller may read it (a partnership admin who is not in oversight gets only the hold). */
  escalation: Escalation | null;
}

interface Candidate {
  id: string;
  closed_at: Date;
  /** closed_at to the microsecond (a Date keeps milliseconds only), for the keyset. */
  closed_key: string;
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
}

/**
 * Retention of child identifiers (procedure.md §7): the purge the worker runs, and legal holds.
 *
 * The identifiers are the sealed child row (initials, date of birth, local authority, NHS number, the local
 * authority's case id) and the raise's request fingerprint (a keyed hash over the same input). The 25th birthday
 * needs the date of birth, which is only ever decrypted here, in memory, to compare dates; it is never stored,
 * logged or audited.
 */
@Injectable()
export class RetentionService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Per partnership (as the application role, under row-level security), purges the identifiers of every closed
   * case whose retention has ended and that is not on legal hold. Each purge is one guarded change with its audit
   * row; a second run finds nothing (purged cases have `child_purged_at`), so it is idempotent.
   */
  async purgeExpired(logger?: Logger): Promise<PurgeResult[]> {
    const results: PurgeResult[] = [];
    const runId = `retention-${randomUUID()}`;
    for (const p of await this.db.partnerships()) {
      const result: PurgeResult = { partnership: p.code, examined: 0, purged: 0, unreadable: 0 };
      let after: { closedKey: string; id: string } | null = null;
      for (;;) {
        const batch = await this.db.run({ partnershipId: p.id }, (em) =>
          this.purgeBatch(em, p.id, runId, after, result, logger),
        );
        if (!batch) break;
        after = batch;
      }
      if (result.purged > 0 || result.unreadable > 0) {
        logger?.info({ ...result, runId }, 'retention: child identifiers purged');
      }
      results.push(result);
    }
    return results;
  }

  /** One batch in one transaction; returns the keyset position to continue from, or null when done. */
  private async purgeBatch(
    em: EntityManager,
    partnershipId: string,
    runId: string,
    after: { closedKey: string; id: string } | null,
    result: PurgeResult,
    logger?: Logger,
  ): Promise<{ closedKey: string; id: string } | null> {
    const [{ now }]: { now: Date }[] = await em.query('select now() as now');
    // Locks the cases (a concurrent hold or reopen waits, then meets the bumped version); skips a case locked by
    // someone else, which the next run finds again.
    const rows: Candidate[] = await em.query(
      `select e.id, e.closed_at, ${sqlTimeKey('e.closed_at')} as closed_key, c.ciphertext, c.iv, c.tag
         from escalations e join escalation_children c on c.escalation_id = e.id and c.partnership_id = e.partnership_id
        where e.partnership_id = $1 and e.status = any($2) and e.closed_at is not null and e.closed_at < $3
          and e.legal_hold_at is null and e.child_purged_at is null
          and ($4::timestamptz is null or (e.closed_at, e.id) > ($4::timestamptz, $5::uuid))
        order by e.closed_at, e.id
        limit $6
        for update of e skip locked`,
      [
        partnershipId,
        CLOSED_STATUSES,
        retentionClosureCutoff(now),
        after?.closedKey ?? null,
        after?.id ?? null,
        PURGE_BATCH,
      ],
    );
    for (const row of rows) {
      result.examined++;
      let dateOfBirth: string;
      try {
        dateOfBirth = openChild(this.config.identifierEncryptionKey, row.id, row).dateOfBirth;
      } catch {
        // Never the plaintext or the error's detail: the case id only.
        result.unreadable++;
        logger?.error({ escalationId: row.id }, 'retention: the sealed child would not open; kept');
        continue;
      }
      if (!retentionEnded(row.closed_at, dateOfBirth, now)) continue;
      await this.purgeOne(em, partnershipId, runId, row);
      result.purged++;
    }
    if (rows.length < PURGE_BATCH) return null;
    const last = rows[rows.length - 1];
    return { closedKey: last.closed_key, id: last.id };
  }

  private async purgeOne(
    em: EntityManager,
    partnershipId: string,
    runId: string,
    row: Candidate,
  ): Promise<void> {
    await em.query('delete from escalation_children where escalation_id = $1 and partnership_id = $2', [
      row.id,
      partnershipId,
    ]);
    const [updated] = await changedRows<{ version: number }>(
      em,
      `update escalations set child_purged_at = now(), request_fingerprint = null, version = version + 1
        where id = $1 and child_purged_at is null and legal_hold_at is null returning version`,
      [row.id],
    );
    if (!updated) throw new Error(`retention: case ${row.id} changed under its lock`);
    await this.audit.append(em, partnershipId, {
      actorType: 'SYSTEM',
      actorId: null,
      requestId: runId,
      action: 'CHILD_IDENTIFIERS_PURGED',
      entityType: 'Escalation',
      entityId: row.id,
      // The closure the retention ran from; never the date of birth or anything derived from it.
      detail: { rule: 'RETENTION_ENDED', closedAt: row.closed_at.toISOString() },
    });
  }

  // ---------------------------------------------------------------- legal hold

  async placeLegalHold(ctx: RequestContext, input: PlaceLegalHoldInput): Promise<LegalHoldResult> {
    new InputCheck().text(input.reason, ['input', 'reason'], { max: 2000, label: 'reason' }).done();
    return this.holdChange(ctx, input.escalationId, input.expectedVersion, async (em, row) => {
      if (row.child_purged_at)
        fail(
          'INVALID_STATE',
          'The child identifiers of this case were already purged: there is nothing to hold',
        );
      if (row.legal_hold_at) fail('INVALID_STATE', 'The case is already on legal hold');
      const reason = input.reason.trim();
      const updated = await this.bump(
        em,
        row,
        'legal_hold_at = now(), legal_hold_reason = $3, legal_hold_by_person_id = $4',
        [reason, ctx.personId],
      );
      await this.audit.record(em, ctx, {
        action: 'LEGAL_HOLD_PLACED',
        entityType: 'Escalation',
        entityId: row.id,
        detail: { reason },
      });
      return updated;
    });
  }

  async liftLegalHold(ctx: RequestContext, input: LiftLegalHoldInput): Promise<LegalHoldResult> {
    new InputCheck().text(input.reason, ['input', 'reason'], { max: 2000, label: 'reason' }).done();
    return this.holdChange(ctx, input.escalationId, input.expectedVersion, async (em, row) => {
      if (!row.legal_hold_at) fail('INVALID_STATE', 'The case is not on legal hold');
      const reason = input.reason.trim();
      const updated = await this.bump(
        em,
        row,
        'legal_hold_at = null, legal_hold_reason = null, legal_hold_by_person_id = null',
        [],
      );
      await this.audit.record(em, ctx, {
        action: 'LEGAL_HOLD_LIFTED',
        entityType: 'Escalation',
        entityId: row.id,
        detail: { reason, placedAt: row.legal_hold_at.toISOString() },
      });
      return updated;
    });
  }

  /**
   * Loads the case for a partnership admin or manager (any case of the partnership: a hold is a partnership
   * decision), checks expectedVersion, and runs the change in one transaction.
   */
  private async holdChange(
    ctx: RequestContext,
    globalId: string,
    expectedVersion: number | null | undefined,
    work: (em: EntityManager, row: EscalationRow) => Promise<EscalationRow>,
  ): Promise<LegalHoldResult> {
    if (!ctx.personId || !hasRole(ctx, ...LEGAL_HOLD_ROLES))
      fail('FORBIDDEN', 'Only a partnership admin or the partnership manager may place or lift a legal hold');
    return this.db.run(ctx, async (em) => {
      const id = idOf(globalId, 'Escalation');
      const [row]: EscalationRow[] = id
        ? await em.query('select * from escalations where id = $1 and partnership_id = $2', [
            id,
            ctx.partnershipId,
          ])
        : [];
      if (!row) notFound('Escalation', ['input', 'escalationId']);
      if (expectedVersion !== null && expectedVersion !== undefined && expectedVersion !== row.version) {
        fail(
          'CONFLICT',
          `The case has changed since you read it (version ${row.version}, you sent ${expectedVersion}): reload and retry`,
          ['input', 'expectedVersion'],
        );
      }
      const escalation = toEscalation(await work(em, row));
      const mayRead = caseVisibility.maySeeCase(ctx, caseVisibility.partiesOfRow(row));
      return {
        escalationId: escalation.id,
        version: escalation.version,
        legalHold: escalation.legalHold,
        escalation: mayRead ? escalation : null,
      };
    });
  }

  private async bump(
    em: EntityManager,
    row: EscalationRow,
    set: string,
    params: unknown[],
  ): Promise<EscalationRow> {
    const [updated] = await changedRows<EscalationRow>(
      em,
      `update escalations set version = version + 1, ${set} where id = $1 and version = $2 returning *`,
      [row.id, row.version, ...params],
    );
    if (!updated) fail('CONFLICT', 'The case was changed by someone else at the same time: reload and retry');
    return updated;
  }
}
