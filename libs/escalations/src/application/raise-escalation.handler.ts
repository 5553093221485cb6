import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '@hips/audit';
import { CalendarService } from '@hips/calendar';
import { fail, idOf, notFound, RequestContext } from '@hips/common';
import { APP_CONFIG, AppConfig } from '@hips/config';
import {
  londonDate,
  stageWorkingDays,
  toStagePolicy,
  type EscalationType,
  type StagePolicy,
  type WorkingCalendar,
} from '@hips/core';
import { TenantDb, type UnitOfWork } from '@hips/database';
import { AgencyMembershipRepository, holdsPostInAgency, referencePrefix } from '@hips/directory';
import { PoliciesRepository } from '@hips/policies';
import { caseActionPolicy } from '../access/case-action.policy';
import { sealChild } from '../child-crypto';
import type { RaiseEscalationInput } from '../dto/raise-escalation.input';
import { RedirectReason } from '../dto/escalation-enums';
import { Escalation } from '../dto/escalation.model';
import { keyUse, requestFingerprint, withUniqueKeyFallback } from '../idempotency';
import { toEscalation } from '../mappers';
import { CaseRepository } from '../persistence/case.repository';
import { ChildRecordRepository } from '../persistence/child-record.repository';
import { IntakeRepository } from '../persistence/intake.repository';
import { ApplyDeadlinesHandler } from './apply-deadlines.handler';
import { CaseChronicle } from './case-chronicle.service';
import { childIdentifiers, childrenOfRaise } from './case-children';
import { checkRaiseInput, REDIRECT_GUIDANCE, screen } from './raise-rules';
import { StageClock } from './stage-clock.service';

/** What raiseEscalation answers: a case, or a redirect with its guidance. */
export interface RaiseResult {
  escalation: Escalation | null;
  redirect: RedirectReason | null;
  guidance: string | null;
}

/** A raise's idempotency key and its request's fingerprint (see ../idempotency.ts). */
interface Idempotency {
  key: string;
  fingerprint: string;
}

/** The parties of a case being raised, checked. */
interface Parties {
  raisingAgencyId: string;
  respondingAgencyId: string;
  respondentId: string | null;
}

/**
 * Raising a case (docs/procedure.md §6 and §7): idempotency, who may raise, screening (a redirect with guidance), the
 * parties, the input's rules, the pinned policy ladder and calendar, the case with its sealed child record, and
 * its first stage. One tenant transaction; expected failures throw userErrors and roll everything back.
 */
@Injectable()
export class RaiseEscalationHandler {
  constructor(
    private readonly db: TenantDb,
    private readonly cases: CaseRepository,
    private readonly intakes: IntakeRepository,
    private readonly children: ChildRecordRepository,
    private readonly clock: StageClock,
    private readonly breaches: ApplyDeadlinesHandler,
    private readonly chronicle: CaseChronicle,
    private readonly policies: PoliciesRepository,
    private readonly memberships: AgencyMembershipRepository,
    private readonly calendars: CalendarService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async raise(ctx: RequestContext, input: RaiseEscalationInput): Promise<RaiseResult> {
    const key = input.idempotencyKey?.trim() || null;
    const idem: Idempotency | null = key
      ? { key, fingerprint: requestFingerprint(this.config.identifierEncryptionKey, ctx, input) }
      : null;
    if (!idem) return this.db.transaction(ctx, (uow) => this.raiseIn(uow, input, null));
    return withUniqueKeyFallback(
      () => this.db.transaction(ctx, (uow) => this.raiseIn(uow, input, idem)),
      () => this.db.transaction(ctx, (uow) => this.answeredBefore(uow, idem)),
    );
  }

  private async raiseIn(uow: UnitOfWork, input: RaiseEscalationInput, idem: Idempotency | null) {
    if (idem) {
      if (idem.key.length > 200)
        fail('VALIDATION', 'idempotencyKey must be at most 200 characters', ['input', 'idempotencyKey']);
      // One request per key at a time, whichever table it ends in: a concurrent retry waits and replays.
      await this.intakes.lockIdempotencyKey(uow, idem.key);
      const existing = await this.answeredBefore(uow, idem);
      if (existing) return existing;
    }
    const raisingAgencyId = await this.raisingAgency(uow);
    const screened = screen(input.screening);
    if (screened) return this.redirect(uow, raisingAgencyId, screened, idem);
    const respondingAgencyId = idOf(input.respondingAgencyId, 'Agency');
    if (!respondingAgencyId || !(await this.memberships.isMember(uow, respondingAgencyId))) {
      notFound('Agency', ['input', 'respondingAgencyId']);
    }
    if (respondingAgencyId === raisingAgencyId) {
      return this.redirect(uow, raisingAgencyId, RedirectReason.INTRA_AGENCY, idem);
    }
    const [{ now }]: { now: Date }[] = await uow.query(`select date_trunc('milliseconds', now()) as now`);
    const { calendar, version: calendarVersion } = await this.calendars.currentOf(uow);
    const today = londonDate(now);
    checkRaiseInput(uow.ctx, input, { now, today, calendar });
    const respondentId = await this.respondent(uow, input, respondingAgencyId);
    const parties: Parties = { raisingAgencyId, respondingAgencyId, respondentId };
    return this.open(uow, input, idem, parties, { now, today, calendar, calendarVersion });
  }

  /**
   * What an idempotency key already answered in the partnership (a case or a redirected intake), or null. The
   * same key with a different request, or from another caller, is IDEMPOTENCY_KEY_REUSED. Rows written before
   * fingerprints were kept (null) are taken as the same request.
   */
  private async answeredBefore(uow: UnitOfWork, idem: Idempotency): Promise<RaiseResult | null> {
    const row = await this.cases.findByIdempotencyKey(uow, idem.key);
    const intake = row ? undefined : await this.intakes.findRedirect(uow, idem.key);
    const use = keyUse(
      row ? row.request_fingerprint : intake ? intake.request_fingerprint : undefined,
      idem.fingerprint,
    );
    if (use === 'FIRST_USE') return null;
    if (use === 'REUSED') {
      fail(
        'IDEMPOTENCY_KEY_REUSED',
        'This idempotencyKey was already used for a different request: retry with the same input, or use a new key',
        ['input', 'idempotencyKey'],
      );
    }
    if (row) return { escalation: toEscalation(row), redirect: null, guidance: null };
    return { escalation: null, redirect: intake!.reason, guidance: REDIRECT_GUIDANCE[intake!.reason] };
  }

  /** Who may raise: a person holding a stage role, or an agency system, of a relevant agency of the partnership. */
  private async raisingAgency(uow: UnitOfWork): Promise<string> {
    if (!caseActionPolicy.mayRaise(uow.ctx)) {
      fail('FORBIDDEN', 'Only practitioners and stage owners of a relevant agency may raise an escalation');
    }
    const agencyId = uow.ctx.agencyId;
    if (!agencyId || !(await this.memberships.isMember(uow, agencyId))) {
      fail('FORBIDDEN', 'Your agency is not a relevant agency of this partnership');
    }
    return agencyId;
  }

  /** The named respondent, who must hold a post in the responding agency. */
  private async respondent(uow: UnitOfWork, input: RaiseEscalationInput, agencyId: string) {
    if (!input.respondentPersonId) return null;
    const respondentId = idOf(input.respondentPersonId, 'Person');
    if (!respondentId || !(await holdsPostInAgency(uow, respondentId, agencyId))) {
      notFound('Person in the responding agency', ['input', 'respondentPersonId']);
    }
    return respondentId;
  }

  private async redirect(
    uow: UnitOfWork,
    agencyId: string,
    reason: RedirectReason,
    idem: Idempotency | null,
  ): Promise<RaiseResult> {
    const id = await this.intakes.insertRedirect(uow, {
      reason,
      agencyId,
      key: idem?.key ?? null,
      fingerprint: idem?.fingerprint ?? null,
    });
    await this.audit.record(uow.em, uow.ctx, {
      action: 'INTAKE_REDIRECTED',
      entityType: 'RedirectedIntake',
      entityId: id,
      detail: { reason, idempotencyKey: idem?.key ?? null },
    });
    return { escalation: null, redirect: reason, guidance: REDIRECT_GUIDANCE[reason] };
  }

  /** The policy ladder in force for the raising agency and type (every partnership's defaults are seeded). */
  private async ladder(uow: UnitOfWork, agencyId: string, type: EscalationType) {
    const policy = await this.policies.inForce(uow, agencyId, type);
    if (!policy) throw new Error(`no published ${type} escalation policy is in force in this partnership`);
    return { version: policy.version, stages: policy.stages.map((stage) => toStagePolicy(stage)) };
  }

  /** The case, its sealed children (one row each, in order), its first stage (the reflective step when asked for and it runs). */
  private async open(
    uow: UnitOfWork,
    input: RaiseEscalationInput,
    idem: Idempotency | null,
    parties: Parties,
    clock: { now: Date; today: string; calendar: WorkingCalendar; calendarVersion: number },
  ): Promise<RaiseResult> {
    const { now, today, calendar } = clock;
    const type: EscalationType = input.type ?? 'GENERAL';
    const ladder = await this.ladder(uow, parties.raisingAgencyId, type);
    const wantsReflective = Boolean(input.startWithReflectiveStep);
    const reflective = ladder.stages.find((s) => s.number === 0) ?? null;
    const reflectiveRuns =
      wantsReflective && reflective && stageWorkingDays(reflective, input.urgency) !== null;
    const first: StagePolicy | undefined = reflectiveRuns
      ? reflective
      : ladder.stages.find((s) => s.number === 1);
    if (!first) throw new Error('the policy ladder has no stage 1');
    const year = today.slice(0, 4);
    const number = await this.cases.nextReferenceNumber(uow, Number(year));
    const reference = `${await referencePrefix(uow)}-${year}-${String(number).padStart(6, '0')}`;
    const challengedAt = input.challengedAt ?? null;
    const row = await this.cases.insert(uow, {
      reference,
      type,
      urgency: input.urgency,
      category: input.category,
      levelOfNeed: input.levelOfNeed,
      raisingAgencyId: parties.raisingAgencyId,
      respondingAgencyId: parties.respondingAgencyId,
      respondentPersonId: parties.respondentId,
      summary: input.summary.trim(),
      desiredOutcome: input.desiredOutcome.trim(),
      riskSummary: input.riskSummary.trim(),
      immediateRiskActioned: Boolean(input.immediateRiskActioned),
      policyVersion: ladder.version,
      ladder: ladder.stages,
      calendarVersion: clock.calendarVersion,
      currentStage: first.number,
      challengedAt,
      conferenceDate: input.conferenceDate ?? null,
      raisedAt: now,
      idempotencyKey: idem?.key ?? null,
      requestFingerprint: idem?.fingerprint ?? null,
      childCount: childrenOfRaise(input).length,
    });
    const key = this.config.identifierEncryptionKey;
    const sealed = childrenOfRaise(input).map((child) => sealChild(key, row.id, childIdentifiers(child)));
    await this.children.insertAll(uow, row.id, sealed);
    const backDated = challengedAt ? ' (challenge back-dated)' : '';
    await this.chronicle.record(uow, {
      row,
      kind: 'RAISED',
      stage: first.number,
      detail: `${reference} raised${backDated}`,
    });
    if (wantsReflective && !reflectiveRuns) {
      const detail = 'urgent cases skip the reflective step';
      await this.chronicle.record(uow, { row, kind: 'REFLECTIVE_STEP_SKIPPED', stage: 0, detail });
    }
    const overdue = await this.clock.open(uow, {
      row,
      calendar,
      policy: first,
      start: challengedAt ?? now,
      now,
      raiserAnchor: uow.ctx.personId,
      responderAnchor: parties.respondentId,
      firstStage: true,
    });
    await this.audit.record(uow.em, uow.ctx, {
      action: 'ESCALATION_RAISED',
      entityType: 'Escalation',
      entityId: row.id,
      detail: {
        reference,
        type,
        urgency: input.urgency,
        stage: first.number,
        respondingAgencyId: parties.respondingAgencyId,
        policyVersion: ladder.version,
        challengedAt: challengedAt?.toISOString() ?? null,
        idempotencyKey: idem?.key ?? null,
      },
    });
    // A back-dated challenge whose first stage is already overdue breaches now, after the raise is recorded.
    const breached = await this.breaches.applyClaimed(uow, overdue, now);
    const answered = breached ? await this.cases.find(uow, row.id) : row;
    return { escalation: toEscalation(answered), redirect: null, guidance: null };
  }
}
