import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuditService } from '@hips/audit';
import { fail, hasRole, idOf, InputCheck, notFound, RequestContext } from '@hips/common';
import { APP_CONFIG, AppConfig } from '@hips/config';
import { retentionClosureCutoff, retentionEnded, type RoleType } from '@hips/core';
import { TenantDb, UnitOfWork } from '@hips/database';
import { caseVisibility } from '../access/case-visibility.policy';
import { openChild } from '../child-crypto';
import type { LiftLegalHoldInput, PlaceLegalHoldInput } from '../dto/legal-hold.input';
import { Escalation } from '../dto/escalation.model';
import { LegalHold } from '../dto/legal-hold.model';
import { EscalationRow, toEscalation } from '../mappers';
import {
  PurgeCandidate,
  PurgeCandidateChild,
  PurgePosition,
  RetentionRepository,
} from '../persistence/retention.repository';

/** Who may place and lift a legal hold. */
export const LEGAL_HOLD_ROLES: RoleType[] = ['PARTNERSHIP_ADMIN', 'PARTNERSHIP_MANAGER'];

/** Cases looked at per transaction by the purge. */
const PURGE_BATCH = 200;

export interface PurgeResult {
  partnership: string;
  /** Closed cases past closure + 7 years, not on hold, still holding identifiers. */
  examined: number;
  purged: number;
  /** Cases with a sealed child that would not open (logged by id; kept, every child). */
  unreadable: number;
}

export interface LegalHoldResult {
  escalationId: string;
  version: number;
  legalHold: LegalHold | null;
  /** The case, when the caller may read it (a partnership admin who is not in oversight gets only the hold). */
  escalation: Escalation | null;
}

/**
 * Retention of child identifiers (docs/procedure.md §7): the purge the worker runs, and legal holds.
 *
 * The identifiers are the sealed child rows, one per child of the case (initials, date of birth, local authority,
 * NHS number, the local authority's case id) and the raise's request fingerprint (a keyed hash over the same
 * input). A family's identifiers go together, once the latest retention date of any of its children has passed.
 * The 25th birthdays need the dates of birth, which are only ever decrypted here, in memory, to compare dates; it is never stored,
 * logged or audited.
 */
@Injectable()
export class RetentionService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private readonly cases = new RetentionRepository();

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
      const system = systemContext(p, runId);
      let after: PurgePosition | null = null;
      for (;;) {
        const batch = await this.db.transaction(system, (uow) =>
          this.purgeBatch(uow, runId, after, result, logger),
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
    uow: UnitOfWork,
    runId: string,
    after: PurgePosition | null,
    result: PurgeResult,
    logger?: Logger,
  ): Promise<PurgePosition | null> {
    const now = await this.cases.now(uow);
    const rows = await this.cases.purgeCandidates(uow, retentionClosureCutoff(now), after, PURGE_BATCH);
    const sealed = await this.cases.candidateChildren(
      uow,
      rows.map((r) => r.id),
    );
    for (const row of rows) {
      result.examined++;
      const datesOfBirth = this.datesOfBirth(
        row.id,
        sealed.filter((c) => c.escalation_id === row.id),
      );
      if (!datesOfBirth) {
        // Never the plaintext or the error's detail: the case id only.
        result.unreadable++;
        logger?.error({ escalationId: row.id }, 'retention: a sealed child would not open; kept');
        continue;
      }
      if (!retentionEnded(row.closed_at, datesOfBirth, now)) continue;
      await this.purgeOne(uow, runId, row);
      result.purged++;
    }
    if (rows.length < PURGE_BATCH) return null;
    const last = rows[rows.length - 1];
    return { closedKey: last.closed_key, id: last.id };
  }

  /** Every child's date of birth (in memory only), or null when any sealed child would not open. */
  private datesOfBirth(escalationId: string, children: PurgeCandidateChild[]): string[] | null {
    try {
      return children.map((c) => openChild(this.config.identifierEncryptionKey, escalationId, c).dateOfBirth);
    } catch {
      return null;
    }
  }

  private async purgeOne(uow: UnitOfWork, runId: string, row: PurgeCandidate): Promise<void> {
    if (!(await this.cases.purgeIdentifiers(uow, row.id))) {
      throw new Error(`retention: case ${row.id} changed under its lock`);
    }
    await this.audit.append(uow.em, uow.partnershipId, {
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
    return this.holdChange(ctx, input.escalationId, input.expectedVersion, async (uow, row) => {
      if (row.child_purged_at)
        fail(
          'INVALID_STATE',
          'The child identifiers of this case were already purged: there is nothing to hold',
        );
      if (row.legal_hold_at) fail('INVALID_STATE', 'The case is already on legal hold');
      const reason = input.reason.trim();
      const updated = concurrent(await this.cases.placeHold(uow, row, reason, ctx.personId));
      await this.audit.record(uow.em, ctx, {
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
    return this.holdChange(ctx, input.escalationId, input.expectedVersion, async (uow, row) => {
      if (!row.legal_hold_at) fail('INVALID_STATE', 'The case is not on legal hold');
      const reason = input.reason.trim();
      const updated = concurrent(await this.cases.liftHold(uow, row));
      await this.audit.record(uow.em, ctx, {
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
    work: (uow: UnitOfWork, row: EscalationRow) => Promise<EscalationRow>,
  ): Promise<LegalHoldResult> {
    if (!ctx.personId || !hasRole(ctx, ...LEGAL_HOLD_ROLES))
      fail('FORBIDDEN', 'Only a partnership admin or the partnership manager may place or lift a legal hold');
    return this.db.transaction(ctx, async (uow) => {
      const id = idOf(globalId, 'Escalation');
      const row = id ? await this.cases.findCase(uow, id) : null;
      if (!row) notFound('Escalation', ['input', 'escalationId']);
      if (expectedVersion !== null && expectedVersion !== undefined && expectedVersion !== row.version) {
        fail(
          'CONFLICT',
          `The case has changed since you read it (version ${row.version}, you sent ${expectedVersion}): reload and retry`,
          ['input', 'expectedVersion'],
        );
      }
      const escalation = toEscalation(await work(uow, row));
      const mayRead = caseVisibility.maySeeCase(ctx, caseVisibility.partiesOfRow(row));
      return {
        escalationId: escalation.id,
        version: escalation.version,
        legalHold: escalation.legalHold,
        escalation: mayRead ? escalation : null,
      };
    });
  }
}

/** The updated case, or the refusal of a change that lost a race (same code and message as before). */
function concurrent(updated: EscalationRow | null): EscalationRow {
  if (!updated) fail('CONFLICT', 'The case was changed by someone else at the same time: reload and retry');
  return updated;
}

/** Who the purge runs as in a partnership: the system, named by its run id in the audit trail. */
function systemContext(p: { id: string; code: string }, runId: string): RequestContext {
  return {
    requestId: runId,
    partnershipId: p.id,
    partnershipCode: p.code,
    personId: null,
    apiKeyId: null,
    apiClientName: null,
    agencyId: null,
    roles: [],
  };
}
