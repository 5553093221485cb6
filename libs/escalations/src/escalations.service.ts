import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditEntry, AuditService } from '@hips/audit';
import { fail, hasRole, idOf, InputCheck, notFound, RequestContext } from '@hips/common';
import { APP_CONFIG, AppConfig } from '@hips/config';
import {
  addWorkingDays,
  checkTransition,
  computeDue,
  CPC_DISSENT_RAISE_WINDOW_WORKING_DAYS,
  extendDue,
  isValidNhsNumber,
  londonDate,
  londonDueInstant,
  MAX_BACKDATE_CALENDAR_DAYS,
  MAX_BACKDATE_WORKING_DAYS,
  MAX_EXTENSION_WORKING_DAYS,
  REOPEN_WINDOW_WORKING_DAYS,
  reminderInstants,
  stageWorkingDays,
  workingDaysBetween,
  type CaseAction,
  type CaseState,
  type StagePolicy,
  type StageStatus as CoreStageStatus,
  type CaseStatus,
  type EscalationType,
  type RoleType,
  type WorkingCalendar,
} from '@hips/core';
import { changedRows, TenantDb } from '@hips/database';
import { managersAbove } from '@hips/directory';
import { sealChild } from './child-crypto';
import { keyUse, requestFingerprint, withUniqueKeyFallback } from './idempotency';
import type {
  AddEscalationNoteInput,
  EscalateInput,
  ExtendStageInput,
  MarkAgreedActionDoneInput,
  PartnershipDecisionInput,
  RaiseEscalationInput,
  ReopenInput,
  RespondInput,
  ResolveInput,
  WithdrawInput,
} from './dto/escalation.inputs';
import { Escalation, EscalationNote, OutcomeCode, RedirectReason } from './escalation.models';
import type { FiredDeadline } from '@hips/deadlines';
import { CaseNotifier, DeadlineEvent } from './case-notifier';
import { EscalationRow, NoteRow, StageRow, toEscalation, toNote } from './mappers';
import { CalendarSource, OwnerRouter, PolicySource } from './seams';

/** Stage roles and oversight roles that may see cases of other agencies in the partnership. */
export const OVERSIGHT_ROLES: RoleType[] = ['PARTNERSHIP_MANAGER', 'SCRUTINEER'];
const RAISING_ROLES: RoleType[] = [
  'PRACTITIONER',
  'LINE_MANAGER',
  'SAFEGUARDING_LEAD',
  'SENIOR_MANAGER',
  'PARTNERSHIP_MANAGER',
];

/** Who may mark an agreed action done: the stage roles of an agency (the partnership manager acts through them). */
const ACTION_ROLES: RoleType[] = ['PRACTITIONER', 'LINE_MANAGER', 'SAFEGUARDING_LEAD', 'SENIOR_MANAGER'];

/** Unborn children: an expected date of birth may be up to 9 months ahead (a full-term pregnancy). */
export const MAX_EXPECTED_BIRTH_MONTHS_AHEAD = 9;

export const REDIRECT_GUIDANCE: Record<RedirectReason, string> = {
  IMMEDIATE_RISK:
    'A child at immediate risk of significant harm is not an escalation: call 999 or make an immediate referral to children’s social care now. You may then raise the disagreement with immediateRiskActioned.',
  SYSTEMIC_ISSUE:
    'Systemic or policy issues go to the safeguarding partnership / HIPS executive governance, not this procedure.',
  COMPLAINT: 'Complaints go through the agency’s own complaints process.',
  INTRA_AGENCY:
    'Disagreements within one agency follow that agency’s in-house escalation procedure (both agencies are the same).',
  ALLEGATION_AGAINST_STAFF:
    'Allegations against staff or volunteers go to the Local Authority Designated Officer (LADO).',
  WHISTLEBLOWING: 'Whistleblowing concerns follow the agency’s whistleblowing policy.',
};

type DeadlineKind = 'DUE' | 'REMINDER_HALF' | 'REMINDER_DAY_BEFORE';

interface Loaded {
  row: EscalationRow;
  stage: StageRow | null;
  now: Date;
}

/** What raiseEscalation answers: a case, or a redirect with its guidance. */
export interface RaiseResult {
  escalation: Escalation | null;
  redirect: RedirectReason | null;
  guidance: string | null;
}

/** A raise's idempotency key and its request's fingerprint (libs/escalations/src/idempotency.ts). */
interface Idempotency {
  key: string;
  fingerprint: string;
}

/**
 * The escalation case: raising (with screening), every action of procedure.md §5 and notes. Each method is one
 * tenant transaction; expected failures throw userErrors and roll everything back. State changes bump `version`
 * with a guarded update first, so concurrent changes of the same case serialise and exactly one wins.
 */
@Injectable()
export class EscalationsService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    private readonly policies: PolicySource,
    private readonly calendars: CalendarSource,
    private readonly router: OwnerRouter,
    private readonly notifier: CaseNotifier,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // ---------------------------------------------------------------- deadlines (run by the worker)

  /**
   * The effects of a batch of fired deadlines of one partnership, inside the worker's firing transaction (the
   * tenant is set): a reminder is an event and notifications; at the due time the stage is marked breached and the
   * pinned policy's breach action runs (NOTIFY, RECOMMEND_ESCALATION flags the case, AUTO_ESCALATE opens the next
   * stage with its own deadline). Reminders and breaches are written set-based, a few statements for the whole
   * batch; the actions that change a case then run case by case. Returns the audit entries (the runner appends
   * them last: the audit chain serialises a partnership's writers).
   */
  async applyDeadlines(em: EntityManager, deadlines: FiredDeadline[], firedAt: Date): Promise<AuditEntry[]> {
    if (deadlines.length === 0) return [];
    const first = deadlines[0];
    const ctx = systemContext(first.partnershipId, `deadlines-${first.id}-${first.version}`);
    // Cases locked in id order, as in every batch, so two batches never wait on each other in a cycle.
    const cases: EscalationRow[] = await em.query(
      'select * from escalations where id = any($1) order by id for update',
      [[...new Set(deadlines.map((d) => d.escalationId))]],
    );
    const stages: StageRow[] = await em.query('select * from escalation_stages where id = any($1)', [
      [...new Set(deadlines.map((d) => d.stageId))],
    ]);
    const caseById = new Map(cases.map((c) => [c.id, c]));
    const stageById = new Map(stages.map((st) => [st.id, st]));
    const recorded: {
      row: EscalationRow;
      stage: StageRow;
      kind: DeadlineEvent['event']['kind'];
      detail: string;
    }[] = [];
    const breaches: { deadline: FiredDeadline; row: EscalationRow; stage: StageRow; action: string }[] = [];
    for (const deadline of deadlines) {
      const row = caseById.get(deadline.escalationId);
      const stage = stageById.get(deadline.stageId);
      // Closing or moving a stage cancels its deadlines in the same transaction; this only guards against drift.
      if (!row || !stage || row.status !== 'OPEN' || stage.status === 'CLOSED') continue;
      if (deadline.kind !== 'DUE') {
        // A reminder fired after its stage breached (both overdue, fired by two batches) would say nothing new.
        if (stage.breached_at) continue;
        const detail =
          deadline.kind === 'REMINDER_HALF'
            ? 'half of the stage’s working time has passed'
            : 'one working day before the stage is due';
        recorded.push({ row, stage, kind: 'REMINDER_SENT', detail });
        continue;
      }
      const action = row.ladder.find((l) => l.number === stage.number)?.breachAction ?? 'NOTIFY';
      const detail = `due ${stage.due_at?.toISOString() ?? ''}; breach action ${action}`;
      recorded.push({ row, stage, kind: 'STAGE_BREACHED', detail });
      breaches.push({ deadline, row, stage, action });
    }
    if (breaches.length > 0) {
      await em.query(
        'update escalation_stages set breached_at = coalesce(breached_at, $2) where id = any($1)',
        [breaches.map((b) => b.stage.id), firedAt],
      );
    }
    const events = await this.events(
      em,
      ctx,
      recorded.map((r) => ({ row: r.row, kind: r.kind, stage: r.stage.number, detail: r.detail })),
    );
    await this.notifier.deadlineEventsRecorded(
      em,
      ctx,
      recorded.map((r, i) => ({ event: { ...events[i], kind: r.kind }, row: r.row, stage: r.stage })),
    );
    const audit: AuditEntry[] = [];
    for (const { deadline, row, stage, action } of breaches) {
      const next = row.ladder.find((l) => l.number === stage.number + 1);
      const autoEscalated = action === 'AUTO_ESCALATE' && Boolean(next);
      if (action === 'RECOMMEND_ESCALATION' || (action === 'AUTO_ESCALATE' && !next)) {
        const updated = await this.bump(em, row, 'escalation_recommended_at = $3', [firedAt]);
        await this.event(
          em,
          ctx,
          updated,
          'ESCALATION_RECOMMENDED',
          stage.number,
          'the stage breached: escalation is recommended',
        );
      } else if (autoEscalated && next) {
        const updated = await this.bump(em, row, 'current_stage = $3, escalation_recommended_at = null', [
          next.number,
        ]);
        await em.query(
          `update escalation_stages set status = 'CLOSED', closed_at = $2, escalation_rationale = $3 where id = $1`,
          [stage.id, firedAt, 'automatic escalation after the deadline passed'],
        );
        await this.cancelDeadlines(em, ctx, stage.id, firedAt);
        await this.event(
          em,
          ctx,
          updated,
          'ESCALATED',
          next.number,
          `stage ${stage.number} → ${next.number}: automatic escalation after the deadline passed`,
        );
        const { calendar } = await this.calendars.calendarFor(em, ctx);
        await this.openStage(em, ctx, updated, calendar, next as unknown as StagePolicy, firedAt, firedAt, {
          raiser: stage.raiser_owner_person_id ?? row.raised_by_person_id,
          responder: stage.responder_owner_person_id ?? row.respondent_person_id,
          firstStage: false,
        });
      }
      audit.push({
        action: autoEscalated ? 'ESCALATION_AUTO_ESCALATED' : 'STAGE_BREACHED',
        entityType: 'Escalation',
        entityId: row.id,
        detail: {
          stage: stage.number,
          breachAction: action,
          ...(autoEscalated && next ? { to: next.number } : {}),
          deadline: `${deadline.id}-${deadline.version}`,
        },
      });
    }
    return audit;
  }

  /** The audit entries of one firing transaction, in one append. */
  recordDeadlineAudit(em: EntityManager, partnershipId: string, batchId: string, entries: AuditEntry[]) {
    return this.audit.recordMany(em, systemContext(partnershipId, batchId), entries);
  }

  // ---------------------------------------------------------------- re-timing under a new policy version

  /**
   * Open stages of the cases a policy version governs (its agency's cases, or for a partnership default the cases
   * of agencies without their own policy), re-timed from their opening instant under that version and the current
   * calendar, keeping any extension. Closed stages are never touched. With apply, the moves are written (stage,
   * deadlines, outbox, event, audit) and the case pins the new version; without, it is the dry run.
   */
  async retimeForPolicy(
    em: EntityManager,
    ctx: RequestContext,
    policy: { id: string; agency_id: string | null; type: string; version: number; stages: StagePolicy[] },
    apply: boolean,
  ): Promise<{ escalationId: string; reference: string; stage: number; from: Date | null; to: Date }[]> {
    const rows: (EscalationRow & { stage_id: string })[] = await em.query(
      `select c.*, s.id as stage_id from escalations c
       join escalation_stages s on s.escalation_id = c.id and s.status <> 'CLOSED' and s.number = c.current_stage
       where c.partnership_id = $1 and c.status = 'OPEN' and c.type = $2
         and (($3::uuid is not null and c.raising_agency_id = $3::uuid)
           or ($3::uuid is null and not exists (
                 select 1 from escalation_policies p where p.partnership_id = $1 and p.agency_id = c.raising_agency_id
                   and p.type = $2 and p.published_at is not null and p.effective_from <= now())))
       order by c.raised_at, c.id`,
      [ctx.partnershipId, policy.type, policy.agency_id],
    );
    const { calendar } = await this.calendars.calendarFor(em, ctx);
    const [{ now }]: { now: Date }[] = await em.query('select now() as now');
    const moves = [];
    for (const row of rows) {
      const [stage]: StageRow[] = await em.query('select * from escalation_stages where id = $1', [
        row.stage_id,
      ]);
      const next = policy.stages.find((p) => p.number === stage.number);
      if (!next || !stage.due_start) continue;
      const workingDays =
        stageWorkingDays(next, row.urgency as 'STANDARD' | 'URGENT') ?? next.standardWorkingDays;
      const extra = stage.extension_working_days ?? 0;
      const due = computeDue(calendar, stage.due_start, workingDays + extra);
      if (stage.due_at && due.dueAt.getTime() === stage.due_at.getTime()) continue;
      moves.push({
        escalationId: row.id,
        reference: row.reference,
        stage: stage.number,
        from: stage.due_at,
        to: due.dueAt,
      });
      if (!apply) continue;
      const updated = await this.bump(em, row, 'ladder = $3, policy_version = $4', [
        JSON.stringify(policy.stages),
        policy.version,
      ]);
      // timeStage re-times from the opening instant; the extension rides on the stage's working days.
      const stretched = {
        ...next,
        standardWorkingDays: next.standardWorkingDays + extra,
        urgentWorkingDays: next.urgentWorkingDays + extra,
      };
      await this.timeStage(em, ctx, updated, calendar, stage, stretched, stage.due_start, now, false);
      if (extra > 0)
        await em.query('update escalation_stages set working_days = $2 where id = $1', [
          stage.id,
          workingDays,
        ]);
      await this.event(
        em,
        ctx,
        updated,
        'RETIMED',
        stage.number,
        `policy version ${policy.version}: due ${stage.due_at?.toISOString() ?? 'none'} → ${due.dueAt.toISOString()}`,
      );
      await this.audit.record(em, ctx, {
        action: 'ESCALATION_RETIMED',
        entityType: 'Escalation',
        entityId: row.id,
        detail: { policyId: policy.id, version: policy.version, stage: stage.number },
      });
    }
    return moves;
  }

  // ---------------------------------------------------------------- raise

  async raise(ctx: RequestContext, input: RaiseEscalationInput): Promise<RaiseResult> {
    const key = input.idempotencyKey?.trim() || null;
    const idem: Idempotency | null = key
      ? { key, fingerprint: requestFingerprint(this.config.identifierEncryptionKey, ctx, input) }
      : null;
    if (!idem) return this.db.run(ctx, (em) => this.raiseIn(em, ctx, input, null));
    return withUniqueKeyFallback(
      () => this.db.run(ctx, (em) => this.raiseIn(em, ctx, input, idem)),
      () => this.db.run(ctx, (em) => this.answeredBefore(em, ctx, idem)),
    );
  }

  /**
   * What an idempotency key already answered in the partnership (a case or a redirected intake), or null. The
   * same key with a different request, or from another caller, is IDEMPOTENCY_KEY_REUSED. Rows written before
   * fingerprints were kept (null) are taken as the same request.
   */
  private async answeredBefore(
    em: EntityManager,
    ctx: RequestContext,
    idem: Idempotency,
  ): Promise<RaiseResult | null> {
    const [row]: EscalationRow[] = await em.query(
      'select * from escalations where partnership_id = $1 and idempotency_key = $2',
      [ctx.partnershipId, idem.key],
    );
    const [intake]: { reason: RedirectReason; request_fingerprint: string | null }[] = row
      ? []
      : await em.query(
          'select reason, request_fingerprint from redirected_intakes where partnership_id = $1 and idempotency_key = $2',
          [ctx.partnershipId, idem.key],
        );
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
    return { escalation: null, redirect: intake.reason, guidance: REDIRECT_GUIDANCE[intake.reason] };
  }

  private async raiseIn(
    em: EntityManager,
    ctx: RequestContext,
    input: RaiseEscalationInput,
    idem: Idempotency | null,
  ): Promise<RaiseResult> {
    const key = idem?.key ?? null;
    if (idem) {
      if (idem.key.length > 200)
        fail('VALIDATION', 'idempotencyKey must be at most 200 characters', ['input', 'idempotencyKey']);
      // One request per key at a time, whichever table it ends in: a concurrent retry waits and replays.
      await em.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `raise-idempotency:${ctx.partnershipId}:${idem.key}`,
      ]);
      const existing = await this.answeredBefore(em, ctx, idem);
      if (existing) return existing;
    }
    // Who may raise: a person holding a stage role, or an agency system, of a relevant agency of the partnership.
    const isPerson = ctx.personId !== null;
    if (isPerson && !hasRole(ctx, ...RAISING_ROLES)) {
      fail('FORBIDDEN', 'Only practitioners and stage owners of a relevant agency may raise an escalation');
    }
    const raisingAgencyId = ctx.agencyId;
    if (!raisingAgencyId || !(await this.isRelevantAgency(em, ctx, raisingAgencyId))) {
      fail('FORBIDDEN', 'Your agency is not a relevant agency of this partnership');
    }

    const screening = input.screening;
    const screened: RedirectReason | null = screening.immediateRisk
      ? RedirectReason.IMMEDIATE_RISK
      : screening.systemicIssue
        ? RedirectReason.SYSTEMIC_ISSUE
        : screening.complaint
          ? RedirectReason.COMPLAINT
          : screening.allegationAgainstStaff
            ? RedirectReason.ALLEGATION_AGAINST_STAFF
            : screening.whistleblowing
              ? RedirectReason.WHISTLEBLOWING
              : null;
    if (screened) return this.redirect(em, ctx, raisingAgencyId, screened, idem);

    const respondingAgencyId = idOf(input.respondingAgencyId, 'Agency');
    if (!respondingAgencyId || !(await this.isRelevantAgency(em, ctx, respondingAgencyId))) {
      notFound('Agency', ['input', 'respondingAgencyId']);
    }
    if (respondingAgencyId === raisingAgencyId) {
      return this.redirect(em, ctx, raisingAgencyId, RedirectReason.INTRA_AGENCY, idem);
    }

    const [{ now }]: { now: Date }[] = await em.query(`select date_trunc('milliseconds', now()) as now`);
    const { calendar, version: calendarVersion } = await this.calendars.calendarFor(em, ctx);
    const type: EscalationType = input.type ?? 'GENERAL';
    const child = input.child;
    const today = londonDate(now);
    const maxBirth = new Date(`${today}T00:00:00Z`);
    maxBirth.setUTCMonth(maxBirth.getUTCMonth() + MAX_EXPECTED_BIRTH_MONTHS_AHEAD);
    const nhs = child.nhsNumber?.replace(/\s+/g, '') || null;
    const check = new InputCheck()
      .text(input.summary, ['input', 'summary'], { max: 5000, label: 'summary' })
      .text(input.desiredOutcome, ['input', 'desiredOutcome'], { max: 5000, label: 'desiredOutcome' })
      .text(input.riskSummary, ['input', 'riskSummary'], { max: 5000, label: 'riskSummary' })
      .that(
        /^[A-Za-z]{1,4}$/.test(child.initials.trim()),
        ['input', 'child', 'initials'],
        'initials must be 1 to 4 letters',
      )
      .that(
        child.dateOfBirth <= maxBirth.toISOString().slice(0, 10),
        ['input', 'child', 'dateOfBirth'],
        `dateOfBirth may be in the future only as an expected date of birth, at most ${MAX_EXPECTED_BIRTH_MONTHS_AHEAD} months ahead`,
      )
      .that(
        child.dateOfBirth >= '1990-01-01',
        ['input', 'child', 'dateOfBirth'],
        'dateOfBirth is not a child’s',
      )
      .that(
        nhs === null || isValidNhsNumber(nhs),
        ['input', 'child', 'nhsNumber'],
        'nhsNumber is not a valid NHS number',
      )
      .that(
        (child.localAuthorityCaseId ?? '').length <= 50,
        ['input', 'child', 'localAuthorityCaseId'],
        'localAuthorityCaseId must be at most 50 characters',
      )
      .that(
        !(type === 'CPC_DISSENT' && input.startWithReflectiveStep),
        ['input', 'startWithReflectiveStep'],
        'a CPC dissent has no reflective step',
      );
    if (type === 'CPC_DISSENT') {
      const conference = input.conferenceDate ?? null;
      check.that(
        conference !== null,
        ['input', 'conferenceDate'],
        'conferenceDate is required for CPC_DISSENT',
      );
      if (conference !== null) {
        const closes = londonDueInstant(
          addWorkingDays(calendar, conference, CPC_DISSENT_RAISE_WINDOW_WORKING_DAYS),
        );
        check.that(
          conference <= today && now.getTime() <= closes.getTime(),
          ['input', 'conferenceDate'],
          `a CPC dissent must be raised within ${CPC_DISSENT_RAISE_WINDOW_WORKING_DAYS} working days after the conference`,
        );
      }
    }
    const challengedAt = input.challengedAt ?? null;
    if (challengedAt) {
      const calendarDaysBack = (now.getTime() - challengedAt.getTime()) / 86_400_000;
      check.that(
        calendarDaysBack >= 0 &&
          // Constant time first: only a date within a year back is counted working day by working day.
          calendarDaysBack <= MAX_BACKDATE_CALENDAR_DAYS &&
          workingDaysBetween(calendar, challengedAt, now) <= MAX_BACKDATE_WORKING_DAYS,
        ['input', 'challengedAt'],
        `challengedAt must be in the past, at most ${MAX_BACKDATE_WORKING_DAYS} working days back`,
      );
    }
    check.done();
    if (String(child.localAuthority) !== ctx.partnershipCode) {
      fail(
        'OUT_OF_SCOPE',
        `A case belongs to the partnership of the child’s local authority: raise it in ${child.localAuthority}, not ${ctx.partnershipCode}`,
        ['input', 'child', 'localAuthority'],
      );
    }
    let respondentId: string | null = null;
    if (input.respondentPersonId) {
      respondentId = idOf(input.respondentPersonId, 'Person');
      const found: unknown[] = respondentId
        ? await em.query(
            `select 1 from role_assignments ra join org_units u on u.id = ra.org_unit_id
              where ra.partnership_id = $1 and ra.person_id = $2 and u.agency_id = $3 limit 1`,
            [ctx.partnershipId, respondentId, respondingAgencyId],
          )
        : [];
      if (found.length === 0) notFound('Person in the responding agency', ['input', 'respondentPersonId']);
    }

    const ladder = await this.policies.ladderFor(em, ctx, { type, raisingAgencyId, respondingAgencyId });
    const wantsReflective = Boolean(input.startWithReflectiveStep);
    const reflective = ladder.stages.find((s) => s.number === 0) ?? null;
    const reflectiveRuns =
      wantsReflective && reflective && stageWorkingDays(reflective, input.urgency) !== null;
    const first = reflectiveRuns ? reflective : ladder.stages.find((s) => s.number === 1);
    if (!first) throw new Error('the policy ladder has no stage 1');

    const [{ last }]: { last: number }[] = await em.query(
      `insert into reference_counters (partnership_id, year, last) values ($1, $2, 1)
       on conflict (partnership_id, year) do update set last = reference_counters.last + 1 returning last`,
      [ctx.partnershipId, Number(today.slice(0, 4))],
    );
    const [{ reference_prefix: prefix }]: { reference_prefix: string }[] = await em.query(
      'select reference_prefix from partnerships where id = $1',
      [ctx.partnershipId],
    );
    const reference = `${prefix}-${today.slice(0, 4)}-${String(last).padStart(6, '0')}`;

    const [row]: EscalationRow[] = await em.query(
      `insert into escalations (partnership_id, reference, type, status, urgency, category, level_of_need,
         raising_agency_id, responding_agency_id, raised_by_person_id, raised_by_api_key_id, respondent_person_id,
         summary, desired_outcome, risk_summary, immediate_risk_actioned, policy_version, ladder, calendar_version,
         current_stage, challenged_at, conference_date, raised_at, idempotency_key, request_fingerprint)
       values ($1, $2, $3, 'OPEN', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
         $22, $23, $24)
       returning *`,
      [
        ctx.partnershipId,
        reference,
        type,
        input.urgency,
        input.category,
        input.levelOfNeed,
        raisingAgencyId,
        respondingAgencyId,
        ctx.personId,
        ctx.apiKeyId,
        respondentId,
        input.summary.trim(),
        input.desiredOutcome.trim(),
        input.riskSummary.trim(),
        Boolean(input.immediateRiskActioned),
        ladder.version,
        JSON.stringify(ladder.stages),
        calendarVersion,
        first.number,
        challengedAt,
        input.conferenceDate ?? null,
        now,
        key,
        idem?.fingerprint ?? null,
      ],
    );
    const sealed = sealChild(this.config.identifierEncryptionKey, row.id, {
      initials: child.initials.trim().toUpperCase(),
      dateOfBirth: child.dateOfBirth,
      localAuthority: child.localAuthority,
      nhsNumber: nhs,
      localAuthorityCaseId: child.localAuthorityCaseId?.trim() || null,
    });
    await em.query(
      `insert into escalation_children (partnership_id, escalation_id, ciphertext, iv, tag) values ($1, $2, $3, $4, $5)`,
      [ctx.partnershipId, row.id, sealed.ciphertext, sealed.iv, sealed.tag],
    );
    await this.event(
      em,
      ctx,
      row,
      'RAISED',
      first.number,
      `${reference} raised${challengedAt ? ' (challenge back-dated)' : ''}`,
    );
    if (wantsReflective && !reflectiveRuns) {
      await this.event(em, ctx, row, 'REFLECTIVE_STEP_SKIPPED', 0, 'urgent cases skip the reflective step');
    }
    await this.openStage(em, ctx, row, calendar, first, challengedAt ?? now, now, {
      raiser: ctx.personId,
      responder: respondentId,
      firstStage: true,
    });
    await this.audit.record(em, ctx, {
      action: 'ESCALATION_RAISED',
      entityType: 'Escalation',
      entityId: row.id,
      detail: {
        reference,
        type,
        urgency: input.urgency,
        stage: first.number,
        respondingAgencyId,
        policyVersion: ladder.version,
        challengedAt: challengedAt?.toISOString() ?? null,
        idempotencyKey: key,
      },
    });
    return { escalation: toEscalation(row), redirect: null, guidance: null };
  }

  private async redirect(
    em: EntityManager,
    ctx: RequestContext,
    agencyId: string,
    reason: RedirectReason,
    idem: Idempotency | null,
  ): Promise<RaiseResult> {
    const [row]: { id: string }[] = await em.query(
      `insert into redirected_intakes (partnership_id, reason, raising_agency_id, raised_by_person_id,
         raised_by_api_key_id, idempotency_key, request_fingerprint)
       values ($1, $2, $3, $4, $5, $6, $7) returning id`,
      [
        ctx.partnershipId,
        reason,
        agencyId,
        ctx.personId,
        ctx.apiKeyId,
        idem?.key ?? null,
        idem?.fingerprint ?? null,
      ],
    );
    await this.audit.record(em, ctx, {
      action: 'INTAKE_REDIRECTED',
      entityType: 'RedirectedIntake',
      entityId: row.id,
      detail: { reason, idempotencyKey: idem?.key ?? null },
    });
    return { escalation: null, redirect: reason, guidance: REDIRECT_GUIDANCE[reason] };
  }

  // ---------------------------------------------------------------- actions

  async respond(ctx: RequestContext, input: RespondInput) {
    new InputCheck().text(input.response, ['input', 'response'], { max: 10000, label: 'response' }).done();
    return this.act(ctx, input.escalationId, input.expectedVersion, async (em, { row, stage, now }) => {
      this.allow(row, stage, 'RESPOND');
      const s = stage!;
      if (!this.isSideOwner(ctx, s.responder_owner_person_id, row.responding_agency_id, s.role_type, true)) {
        fail('FORBIDDEN', 'Only the responding agency’s owner of this stage may respond');
      }
      const updated = await this.bump(em, row, '', []);
      await em.query(
        `update escalation_stages set status = 'RESPONDED', response = $2, responded_at = $3 where id = $1`,
        [s.id, input.response.trim(), now],
      );
      await this.cancelDeadlines(em, ctx, s.id, now);
      await this.chronicle(em, ctx, row, 'RESPONDED', s.number, null, 'ESCALATION_RESPONDED');
      return updated;
    });
  }

  async escalate(ctx: RequestContext, input: EscalateInput) {
    new InputCheck().text(input.rationale, ['input', 'rationale'], { max: 10000, label: 'rationale' }).done();
    return this.act(ctx, input.escalationId, input.expectedVersion, async (em, { row, stage, now }) => {
      const from = row.current_stage ?? 0;
      const to = input.toStage ?? from + 1;
      const skip = to !== from + 1;
      this.allow(row, stage, skip ? 'SKIP' : 'ESCALATE', to);
      const s = stage!;
      const target = row.ladder.find((l) => l.number === to);
      if (!target) fail('VALIDATION', `stage ${to} is not in this case’s ladder`, ['input', 'toStage']);
      const owner = s.raiser_owner_person_id;
      const managers = owner ? await this.managerChain(em, ctx, owner) : new Set<string>();
      const isManager = ctx.personId !== null && managers.has(ctx.personId);
      if (skip) {
        if (!isManager) fail('FORBIDDEN', 'Skipping a stage needs the raising side’s manager or above');
      } else if (!isManager && !this.isSideOwner(ctx, owner, row.raising_agency_id, s.role_type, true)) {
        fail('FORBIDDEN', 'Only the raising agency’s owner of this stage, or their manager, may escalate');
      }
      const updated = await this.bump(em, row, 'current_stage = $3', [to]);
      await em.query(
        `update escalation_stages set status = 'CLOSED', closed_at = $2, escalation_rationale = $3 where id = $1`,
        [s.id, now, input.rationale.trim()],
      );
      await this.cancelDeadlines(em, ctx, s.id, now);
      await this.event(
        em,
        ctx,
        row,
        'ESCALATED',
        to,
        `stage ${from} → ${to}${skip ? ` (skipped ${Array.from({ length: to - from - 1 }, (_, i) => from + 1 + i).join(', ')})` : ''}: ${input.rationale.trim()}`,
      );
      const { calendar } = await this.calendars.calendarFor(em, ctx);
      await this.openStage(em, ctx, updated, calendar, target as unknown as StagePolicy, now, now, {
        raiser: s.raiser_owner_person_id ?? row.raised_by_person_id,
        responder: s.responder_owner_person_id ?? row.respondent_person_id,
        firstStage: false,
      });
      await this.audit.record(em, ctx, {
        action: skip ? 'ESCALATION_SKIPPED' : 'ESCALATION_ESCALATED',
        entityType: 'Escalation',
        entityId: row.id,
        detail: { from, to },
      });
      return updated;
    });
  }

  async extend(ctx: RequestContext, input: ExtendStageInput) {
    new InputCheck()
      .text(input.reason, ['input', 'reason'], { max: 5000, label: 'reason' })
      .that(
        Number.isInteger(input.workingDays) &&
          input.workingDays >= 1 &&
          input.workingDays <= MAX_EXTENSION_WORKING_DAYS,
        ['input', 'workingDays'],
        `workingDays must be from 1 to ${MAX_EXTENSION_WORKING_DAYS}`,
      )
      .done();
    return this.act(ctx, input.escalationId, input.expectedVersion, async (em, { row, stage, now }) => {
      this.allow(row, stage, 'EXTEND');
      const s = stage!;
      if (!s.due_at || !s.due_start || s.working_days === null)
        fail('INVALID_STATE', 'This stage has no due date to extend');
      if (row.urgency === 'URGENT') {
        if (!hasRole(ctx, 'PARTNERSHIP_MANAGER'))
          fail('FORBIDDEN', 'Urgent stages are extended only by the partnership manager');
      } else {
        const managers = s.raiser_owner_person_id
          ? await this.managerChain(em, ctx, s.raiser_owner_person_id)
          : new Set<string>();
        if (!hasRole(ctx, 'PARTNERSHIP_MANAGER') && !(ctx.personId && managers.has(ctx.personId))) {
          fail(
            'FORBIDDEN',
            'A stage is extended by the raising side owner’s manager (or the partnership manager)',
          );
        }
      }
      const { calendar } = await this.calendars.calendarFor(em, ctx);
      const moved = extendDue(calendar, s.due_at, input.workingDays);
      const total = s.working_days + input.workingDays;
      const updated = await this.bump(em, row, '', []);
      await em.query(
        `update escalation_stages set extended = true, extension_reason = $2, extension_working_days = $3, due_at = $4,
           working_days = $5, due_explanation = coalesce(due_explanation, '') || '; ' || $6,
           skipped_dates = skipped_dates || $7::jsonb
         where id = $1`,
        [
          s.id,
          input.reason.trim(),
          input.workingDays,
          moved.dueAt,
          total,
          moved.explanation,
          JSON.stringify(moved.skippedDates),
        ],
      );
      await this.scheduleDeadlines(
        em,
        ctx,
        s,
        calendar,
        s.due_start,
        total,
        moved.dueAt,
        now,
        false,
        s.breaches,
      );
      await this.event(
        em,
        ctx,
        row,
        'EXTENDED',
        s.number,
        `+${input.workingDays} working days: ${input.reason.trim()}`,
      );
      await this.audit.record(em, ctx, {
        action: 'ESCALATION_STAGE_EXTENDED',
        entityType: 'Escalation',
        entityId: row.id,
        detail: { stage: s.number, workingDays: input.workingDays, dueAt: moved.dueAt.toISOString() },
      });
      return updated;
    });
  }

  async resolve(ctx: RequestContext, input: ResolveInput) {
    const themes = (input.learningThemes ?? []).map((t) => t.trim());
    const check = new InputCheck()
      .text(input.statement, ['input', 'statement'], { max: 10000, label: 'statement' })
      .that(
        input.outcome !== OutcomeCode.PARTNERSHIP_DECISION && input.outcome !== OutcomeCode.WITHDRAWN,
        ['input', 'outcome'],
        'PARTNERSHIP_DECISION and WITHDRAWN are recorded by recordPartnershipDecision and withdrawEscalation',
      )
      .that(
        themes.length <= 20 && themes.every((t) => t.length >= 1 && t.length <= 100),
        ['input', 'learningThemes'],
        'up to 20 learning themes of 1 to 100 characters',
      );
    (input.agreedActions ?? []).forEach((a, i) =>
      check.text(a.description, ['input', 'agreedActions', String(i), 'description'], {
        max: 2000,
        label: 'description',
      }),
    );
    check.done();
    return this.act(ctx, input.escalationId, input.expectedVersion, async (em, { row, stage, now }) => {
      this.allow(row, stage, 'RESOLVE');
      const s = stage!;
      if (input.outcome === OutcomeCode.RESOLVED_BY_REFLECTIVE_STEP && s.number !== 0) {
        fail('VALIDATION', 'RESOLVED_BY_REFLECTIVE_STEP applies only at stage 0', ['input', 'outcome']);
      }
      if (
        !(await this.isOwnerOrManager(em, ctx, s.raiser_owner_person_id, row.raising_agency_id, s.role_type))
      ) {
        fail('FORBIDDEN', 'Only the raising agency’s owner of this stage, or their manager, may resolve');
      }
      const actions = [];
      for (const [i, a] of (input.agreedActions ?? []).entries()) {
        const agencyId = idOf(a.ownerAgencyId, 'Agency');
        if (!agencyId || !(await this.isRelevantAgency(em, ctx, agencyId))) {
          notFound('Agency', ['input', 'agreedActions', String(i), 'ownerAgencyId']);
        }
        actions.push({
          description: a.description.trim(),
          ownerAgencyId: agencyId,
          dueDate: a.dueDate ?? null,
          done: false,
        });
      }
      const updated = await this.bump(
        em,
        row,
        `status = 'RESOLVED', closed_at = $3, outcome_code = $4, outcome_statement = $5, outcome_recorded_at = $3,
         agreed_actions = $6, learning_themes = $7, systemic_issue = $8`,
        [
          now,
          input.outcome,
          input.statement.trim(),
          JSON.stringify(actions),
          JSON.stringify(themes),
          Boolean(input.systemicIssue),
        ],
      );
      await this.closeStage(em, ctx, s, now);
      await this.event(em, ctx, row, 'RESOLVED', s.number, input.outcome);
      if (input.systemicIssue)
        await this.outbox(em, ctx, 'SYSTEMIC_ISSUE_FLAGGED', `systemic-${row.id}-${updated.version}`, {
          escalationId: row.id,
          reference: row.reference,
        });
      await this.audit.record(em, ctx, {
        action: 'ESCALATION_RESOLVED',
        entityType: 'Escalation',
        entityId: row.id,
        detail: { stage: s.number, outcome: input.outcome, systemicIssue: Boolean(input.systemicIssue) },
      });
      return updated;
    });
  }

  /**
   * Marks one agreed action of a resolved case done: a person holding a stage role, or the API key, of the
   * action's owner agency or of either agency of the case. Bumps the version; a chronology event and an audit row.
   */
  async markAgreedActionDone(ctx: RequestContext, input: MarkAgreedActionDoneInput) {
    new InputCheck()
      .that(
        Number.isInteger(input.index) && input.index >= 0,
        ['input', 'index'],
        'index must be a whole number from 0',
      )
      .done();
    return this.act(ctx, input.escalationId, input.expectedVersion, async (em, { row }) => {
      if (row.status !== 'RESOLVED') {
        fail('INVALID_STATE', `Agreed actions are recorded on resolved cases; this case is ${row.status}`);
      }
      const actions = row.agreed_actions ?? [];
      const action = actions[input.index];
      if (!action) {
        fail(
          'VALIDATION',
          actions.length === 0
            ? 'This case has no agreed actions'
            : `index must be from 0 to ${actions.length - 1}`,
          ['input', 'index'],
        );
      }
      const agencies = new Set([action.ownerAgencyId, row.raising_agency_id, row.responding_agency_id]);
      const mayMark =
        ctx.agencyId !== null &&
        agencies.has(ctx.agencyId) &&
        (ctx.apiKeyId !== null || (ctx.personId !== null && hasRole(ctx, ...ACTION_ROLES)));
      if (!mayMark) {
        fail(
          'FORBIDDEN',
          'Only a practitioner or manager of the action’s owner agency, or of either agency of the case, may mark it done',
        );
      }
      if (action.done) fail('INVALID_STATE', 'This agreed action is already done', ['input', 'index']);
      const updated = await this.bump(
        em,
        row,
        `agreed_actions = jsonb_set(agreed_actions, array[($3::int)::text], (agreed_actions -> $3::int) || jsonb_build_object('done', true, 'doneAt', now()))`,
        [input.index],
      );
      await this.event(
        em,
        ctx,
        updated,
        'AGREED_ACTION_DONE',
        row.current_stage,
        `agreed action ${input.index}: ${action.description}`,
      );
      await this.audit.record(em, ctx, {
        action: 'ESCALATION_AGREED_ACTION_DONE',
        entityType: 'Escalation',
        entityId: row.id,
        detail: { index: input.index, ownerAgencyId: action.ownerAgencyId },
      });
      return updated;
    });
  }

  async withdraw(ctx: RequestContext, input: WithdrawInput) {
    new InputCheck().text(input.reason, ['input', 'reason'], { max: 5000, label: 'reason' }).done();
    return this.act(ctx, input.escalationId, input.expectedVersion, async (em, { row, stage, now }) => {
      this.allow(row, stage, 'WITHDRAW');
      const s = stage!;
      const isRaiser = this.isRaiserSide(ctx, row, s);
      if (!isRaiser)
        fail('FORBIDDEN', 'Only the raiser (or the raising side’s current stage owner) may withdraw');
      const updated = await this.bump(
        em,
        row,
        `status = 'WITHDRAWN', closed_at = $3, outcome_code = 'WITHDRAWN', outcome_statement = $4, outcome_recorded_at = $3`,
        [now, input.reason.trim()],
      );
      await this.closeStage(em, ctx, s, now);
      await this.chronicle(em, ctx, row, 'WITHDRAWN', s.number, input.reason.trim(), 'ESCALATION_WITHDRAWN');
      return updated;
    });
  }

  async reopen(ctx: RequestContext, input: ReopenInput) {
    new InputCheck().text(input.reason, ['input', 'reason'], { max: 5000, label: 'reason' }).done();
    return this.act(ctx, input.escalationId, input.expectedVersion, async (em, { row, stage, now }) => {
      this.allow(row, stage, 'REOPEN');
      const s = stage!;
      const isRaiser = this.isRaiserSide(ctx, row, s);
      if (!isRaiser) fail('FORBIDDEN', 'Only the raiser may reopen a resolved case');
      const { calendar } = await this.calendars.calendarFor(em, ctx);
      const closes = computeDue(calendar, row.closed_at!, REOPEN_WINDOW_WORKING_DAYS).dueAt;
      if (now.getTime() > closes.getTime()) {
        fail(
          'INVALID_STATE',
          `A resolved case may be reopened within ${REOPEN_WINDOW_WORKING_DAYS} working days; that ended ${closes.toISOString()}`,
        );
      }
      const updated = await this.bump(
        em,
        row,
        `status = 'OPEN', closed_at = null, outcome_code = null, outcome_statement = null, outcome_recorded_at = null,
         agreed_actions = '[]', learning_themes = '[]', reopen_count = reopen_count + 1`,
        [],
      );
      const policy = row.ladder.find((l) => l.number === s.number) as unknown as StagePolicy;
      await em.query(
        `update escalation_stages set status = 'AWAITING_RESPONSE', closed_at = null, breached_at = null, opened_at = $2
          where id = $1`,
        [s.id, now],
      );
      await this.timeStage(
        em,
        ctx,
        updated,
        calendar,
        { ...s, status: 'AWAITING_RESPONSE' },
        policy,
        now,
        now,
        true,
      );
      await this.chronicle(em, ctx, row, 'REOPENED', s.number, input.reason.trim(), 'ESCALATION_REOPENED');
      return updated;
    });
  }

  async partnershipDecision(ctx: RequestContext, input: PartnershipDecisionInput) {
    new InputCheck().text(input.statement, ['input', 'statement'], { max: 10000, label: 'statement' }).done();
    return this.act(ctx, input.escalationId, input.expectedVersion, async (em, { row, stage, now }) => {
      this.allow(row, stage, 'PARTNERSHIP_DECISION');
      if (!hasRole(ctx, 'PARTNERSHIP_MANAGER'))
        fail('FORBIDDEN', 'Only the partnership manager records the partnership decision');
      const s = stage!;
      const updated = await this.bump(
        em,
        row,
        `status = 'CLOSED_BY_PARTNERSHIP', closed_at = $3, outcome_code = 'PARTNERSHIP_DECISION', outcome_statement = $4,
         outcome_recorded_at = $3`,
        [now, input.statement.trim()],
      );
      await this.closeStage(em, ctx, s, now);
      await this.chronicle(
        em,
        ctx,
        row,
        'PARTNERSHIP_DECISION',
        s.number,
        null,
        'ESCALATION_PARTNERSHIP_DECISION',
      );
      return updated;
    });
  }

  async addNote(
    ctx: RequestContext,
    input: AddEscalationNoteInput,
  ): Promise<{ note: EscalationNote; escalation: Escalation }> {
    new InputCheck().text(input.text, ['input', 'text'], { max: 10000, label: 'text' }).done();
    return this.db.run(ctx, async (em) => {
      const { row, stage } = await this.load(em, ctx, input.escalationId);
      this.allow(row, stage, 'ADD_NOTE');
      const [note]: NoteRow[] = await em.query(
        `insert into escalation_notes (partnership_id, escalation_id, author_person_id, author_api_key_id, author_agency_id,
           visibility, text) values ($1, $2, $3, $4, $5, $6, $7) returning *`,
        [
          ctx.partnershipId,
          row.id,
          ctx.personId,
          ctx.apiKeyId,
          ctx.agencyId,
          input.visibility,
          input.text.trim(),
        ],
      );
      await this.event(
        em,
        ctx,
        row,
        'NOTE_ADDED',
        row.current_stage,
        `${input.visibility.toLowerCase()} note`,
      );
      await this.audit.record(em, ctx, {
        action: 'ESCALATION_NOTE_ADDED',
        entityType: 'Escalation',
        entityId: row.id,
        detail: { noteId: note.id, visibility: input.visibility },
      });
      return { note: toNote(note), escalation: toEscalation(row) };
    });
  }

  // ---------------------------------------------------------------- helpers

  /** Visibility of a case to the caller: its two agencies, and the partnership's oversight roles. */
  static visibleSql(agencyParam: string, oversightParam: string, alias = 'e'): string {
    return `(${alias}.raising_agency_id = ${agencyParam}::uuid or ${alias}.responding_agency_id = ${agencyParam}::uuid or ${oversightParam}::boolean)`;
  }

  private async load(em: EntityManager, ctx: RequestContext, globalId: string): Promise<Loaded> {
    const id = idOf(globalId, 'Escalation');
    const [row]: (EscalationRow & { now: Date })[] = id
      ? await em.query(
          `select e.*, now() as now from escalations e
            where e.id = $1 and e.partnership_id = $2 and ${EscalationsService.visibleSql('$3', '$4')}`,
          [id, ctx.partnershipId, ctx.agencyId, hasRole(ctx, ...OVERSIGHT_ROLES)],
        )
      : [];
    if (!row) notFound('Escalation', ['input', 'escalationId']);
    const [stage]: StageRow[] = await em.query(
      'select * from escalation_stages where escalation_id = $1 and number = $2',
      [row.id, row.current_stage],
    );
    return { row, stage: stage ?? null, now: row.now };
  }

  private async act(
    ctx: RequestContext,
    globalId: string,
    expectedVersion: number | null | undefined,
    work: (em: EntityManager, loaded: Loaded) => Promise<EscalationRow>,
  ): Promise<{ escalation: Escalation }> {
    return this.db.run(ctx, async (em) => {
      const loaded = await this.load(em, ctx, globalId);
      if (
        expectedVersion !== null &&
        expectedVersion !== undefined &&
        expectedVersion !== loaded.row.version
      ) {
        fail(
          'CONFLICT',
          `The case has changed since you read it (version ${loaded.row.version}, you sent ${expectedVersion}): reload and retry`,
          ['input', 'expectedVersion'],
        );
      }
      return { escalation: toEscalation(await work(em, loaded)) };
    });
  }

  private allow(row: EscalationRow, stage: StageRow | null, action: CaseAction, toStage?: number): void {
    const state: CaseState = {
      status: row.status as CaseStatus,
      stageNumber: row.current_stage,
      stageStatus: (stage?.status as CoreStageStatus) ?? null,
      lastStage: Math.max(...row.ladder.map((l) => l.number)),
      extended: stage?.extended ?? false,
    };
    const verdict = checkTransition(state, action, toStage);
    if (!verdict.ok)
      fail('INVALID_STATE', verdict.message, toStage !== undefined ? ['input', 'toStage'] : undefined);
  }

  /** The guarded update: bumps the version only if nobody else did first. */
  private async bump(
    em: EntityManager,
    row: EscalationRow,
    set: string,
    params: unknown[],
  ): Promise<EscalationRow> {
    const [updated] = await changedRows<EscalationRow>(
      em,
      `update escalations set version = version + 1${set ? `, ${set}` : ''} where id = $1 and version = $2 returning *`,
      [row.id, row.version, ...params],
    );
    if (!updated) fail('CONFLICT', 'The case was changed by someone else at the same time: reload and retry');
    return updated;
  }

  private async isRelevantAgency(em: EntityManager, ctx: RequestContext, agencyId: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      'select 1 from agency_memberships where partnership_id = $1 and agency_id = $2',
      [ctx.partnershipId, agencyId],
    );
    return rows.length > 0;
  }

  /** Everyone above a person in their managers' chain (in this partnership). */
  managerChain(em: EntityManager, ctx: RequestContext, personId: string): Promise<Set<string>> {
    return managersAbove(em, ctx.partnershipId, personId);
  }

  /**
   * The stage owner on one side: the named owner; when nobody could be routed, any holder of the stage's role in
   * that agency; an agency system (API key) of that agency acts for it when `allowApiKey`.
   */
  private isSideOwner(
    ctx: RequestContext,
    ownerId: string | null,
    agencyId: string,
    roleType: string,
    allowApiKey: boolean,
  ): boolean {
    if (ctx.apiKeyId) return allowApiKey && ctx.agencyId === agencyId;
    if (!ctx.personId) return false;
    if (ownerId) return ctx.personId === ownerId;
    if (roleType === 'PARTNERSHIP_MANAGER') return hasRole(ctx, 'PARTNERSHIP_MANAGER');
    return ctx.agencyId === agencyId && ctx.roles.includes(roleType as RoleType);
  }

  private async isOwnerOrManager(
    em: EntityManager,
    ctx: RequestContext,
    ownerId: string | null,
    agencyId: string,
    roleType: string,
  ) {
    if (this.isSideOwner(ctx, ownerId, agencyId, roleType, true)) return true;
    return (
      ownerId !== null &&
      ctx.personId !== null &&
      (await this.managerChain(em, ctx, ownerId)).has(ctx.personId)
    );
  }

  /** The raiser, or the raising side's current stage owner, or an API key of the raising agency. */
  private isRaiserSide(ctx: RequestContext, row: EscalationRow, stage: StageRow): boolean {
    return (
      (ctx.personId !== null &&
        (ctx.personId === row.raised_by_person_id || ctx.personId === stage.raiser_owner_person_id)) ||
      (ctx.apiKeyId !== null && ctx.agencyId === row.raising_agency_id)
    );
  }

  /** An action's chronology event and its audit row (the audit append last: it serialises the partnership). */
  private async chronicle(
    em: EntityManager,
    ctx: RequestContext,
    row: EscalationRow,
    kind: string,
    stage: number,
    detail: string | null,
    action: string,
  ): Promise<void> {
    await this.event(em, ctx, row, kind, stage, detail);
    await this.audit.record(em, ctx, {
      action,
      entityType: 'Escalation',
      entityId: row.id,
      detail: { stage },
    });
  }

  /** A chronology event, its outbox row and its notifications (see events()). */
  private async event(
    em: EntityManager,
    ctx: RequestContext,
    row: EscalationRow,
    kind: string,
    stage: number | null,
    detail: string | null,
  ) {
    const [event] = await this.events(em, ctx, [{ row, kind, stage, detail }]);
    await this.notifier.eventRecorded(em, ctx, row.id, { id: event.id, kind, at: event.at, stage });
  }

  /**
   * Chronology events and, in the same statement, their ESCALATION_EVENT outbox rows (notifications, webhooks and
   * subscriptions leave through the outbox: ids and codes only, never child identifiers). Ids are made here so
   * each returned event matches its input; `at` is the database clock as each row is written.
   */
  private async events(
    em: EntityManager,
    ctx: RequestContext,
    items: { row: EscalationRow; kind: string; stage: number | null; detail: string | null }[],
  ): Promise<{ id: string; at: Date }[]> {
    if (items.length === 0) return [];
    const ids = items.map(() => randomUUID());
    const rows: { id: string; at: Date }[] = await em.query(
      `with input as (
         select * from unnest($2::uuid[], $3::uuid[], $4::text[], $5::int[], $6::text[], $7::text[])
           with ordinality as i(id, escalation_id, kind, stage, detail, reference, n)),
       e as (
         insert into escalation_events (id, partnership_id, escalation_id, kind, at, actor_person_id,
           actor_api_key_id, stage, detail)
         select id, $1, escalation_id, kind, clock_timestamp(), $8, $9, stage, detail from input order by n
         returning id, at),
       o as (
         insert into outbox (partnership_id, topic, dedupe_key, payload)
         select $1, 'ESCALATION_EVENT', 'event-' || i.id,
                jsonb_build_object('escalationId', i.escalation_id, 'eventId', i.id, 'reference', i.reference,
                  'kind', i.kind, 'stage', i.stage)
           from input i)
       select id, at from e`,
      [
        ctx.partnershipId,
        ids,
        items.map((i) => i.row.id),
        items.map((i) => i.kind),
        items.map((i) => i.stage),
        items.map((i) => i.detail),
        items.map((i) => i.row.reference),
        ctx.personId,
        ctx.apiKeyId,
      ],
    );
    const at = new Map(rows.map((r) => [r.id, r.at]));
    return ids.map((id) => ({ id, at: at.get(id)! }));
  }

  private async outbox(
    em: EntityManager,
    ctx: RequestContext,
    topic: string,
    dedupeKey: string,
    payload: Record<string, unknown>,
    availableAt?: Date,
  ) {
    await em.query(
      `insert into outbox (partnership_id, topic, dedupe_key, payload, available_at) values ($1, $2, $3, $4, coalesce($5, now()))`,
      [ctx.partnershipId, topic, dedupeKey, JSON.stringify(payload), availableAt ?? null],
    );
  }

  /** Opens a stage: owners on both sides (routed), due date with its explanation, deadlines and their outbox rows. */
  private async openStage(
    em: EntityManager,
    ctx: RequestContext,
    row: EscalationRow,
    calendar: WorkingCalendar,
    policy: StagePolicy,
    start: Date,
    now: Date,
    anchors: { raiser: string | null; responder: string | null; firstStage: boolean },
  ): Promise<void> {
    const partnershipStage = policy.roleType === 'PARTNERSHIP_MANAGER';
    const raiserRole: RoleType = partnershipStage ? 'SENIOR_MANAGER' : policy.roleType;
    const raiserOwner =
      anchors.firstStage && anchors.raiser
        ? anchors.raiser
        : await this.router.resolve(em, ctx, {
            agencyId: row.raising_agency_id,
            roleType: raiserRole,
            anchorPersonId: anchors.raiser,
            at: now,
          });
    const responderOwner =
      anchors.firstStage && anchors.responder
        ? anchors.responder
        : await this.router.resolve(em, ctx, {
            agencyId: partnershipStage ? null : row.responding_agency_id,
            roleType: policy.roleType,
            anchorPersonId: partnershipStage ? null : anchors.responder,
            at: now,
          });
    const [stage]: StageRow[] = await em.query(
      `insert into escalation_stages (partnership_id, escalation_id, number, name, role_type, status, breaches, opened_at,
         raiser_owner_person_id, responder_owner_person_id)
       values ($1, $2, $3, $4, $5, 'AWAITING_RESPONSE', $6, $7, $8, $9) returning *`,
      [
        ctx.partnershipId,
        row.id,
        policy.number,
        policy.name,
        policy.roleType,
        policy.breaches,
        start,
        raiserOwner,
        responderOwner,
      ],
    );
    await this.timeStage(em, ctx, row, calendar, stage, policy, start, now, false);
    const [timed]: StageRow[] = await em.query('select * from escalation_stages where id = $1', [stage.id]);
    await this.notifier.stageOpened(em, ctx, row.id, timed);
  }

  /** Computes and stores a stage's due date from `start`, and (re)schedules its deadlines. */
  private async timeStage(
    em: EntityManager,
    ctx: RequestContext,
    row: EscalationRow,
    calendar: WorkingCalendar,
    stage: StageRow,
    policy: StagePolicy,
    start: Date,
    now: Date,
    rearm: boolean,
  ): Promise<void> {
    const workingDays =
      stageWorkingDays(policy, row.urgency as 'STANDARD' | 'URGENT') ?? policy.standardWorkingDays;
    const due = computeDue(calendar, start, workingDays);
    const breachedNow = policy.breaches && due.dueAt.getTime() <= now.getTime();
    await em.query(
      `update escalation_stages set due_start = $2, due_at = $3, working_days = $4, due_explanation = $5,
         skipped_dates = $6, breached_at = case when $7::boolean then $8::timestamptz else breached_at end
       where id = $1`,
      [
        stage.id,
        start,
        due.dueAt,
        workingDays,
        due.explanation,
        JSON.stringify(due.skippedDates),
        breachedNow,
        now,
      ],
    );
    await this.scheduleDeadlines(
      em,
      ctx,
      stage,
      calendar,
      start,
      workingDays,
      due.dueAt,
      now,
      rearm,
      policy.breaches,
    );
    if (breachedNow) {
      await this.event(
        em,
        ctx,
        row,
        'STAGE_BREACHED',
        stage.number,
        `due ${due.dueAt.toISOString()} had already passed`,
      );
    }
  }

  /**
   * Upserts the stage's deadline rows. A moved row gets a new version (the stale job finds nothing); rows already
   * fired stay fired unless `rearm` (reopening starts a fresh clock). Rows whose instant has passed are marked
   * fired at once (the breach itself is recorded by the caller). Each scheduled row gets an outbox row whose
   * dedupe key is the job id `deadline-<id>-<version>`.
   */
  private async scheduleDeadlines(
    em: EntityManager,
    ctx: RequestContext,
    stage: Pick<StageRow, 'id' | 'escalation_id' | 'number'>,
    calendar: WorkingCalendar,
    start: Date,
    workingDays: number,
    dueAt: Date,
    now: Date,
    rearm: boolean,
    breaches = true,
  ): Promise<void> {
    const reminders = reminderInstants(calendar, start, workingDays);
    const wanted: [DeadlineKind, Date | null][] = [
      ['DUE', breaches ? dueAt : null],
      ['REMINDER_HALF', reminders.halfway],
      ['REMINDER_DAY_BEFORE', reminders.dayBefore],
    ];
    for (const [kind, at] of wanted) {
      if (!at) continue;
      const past = at.getTime() <= now.getTime();
      const rows = await changedRows<{ id: string; version: number; fired_at: Date | null }>(
        em,
        `insert into deadlines (partnership_id, escalation_id, stage_id, kind, due_at, fired_at)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (stage_id, kind) do update
           set due_at = excluded.due_at, version = deadlines.version + 1, cancelled_at = null,
               fired_at = case when $7::boolean then excluded.fired_at else deadlines.fired_at end
         where $7::boolean or deadlines.fired_at is null
         returning id, version, fired_at`,
        [ctx.partnershipId, stage.escalation_id, stage.id, kind, at, past ? now : null, rearm],
      );
      const deadline = rows[0];
      if (deadline && !deadline.fired_at) {
        await this.outbox(em, ctx, 'DEADLINE_SCHEDULED', `deadline-${deadline.id}-${deadline.version}`, {
          deadlineId: deadline.id,
          version: deadline.version,
          kind,
          escalationId: stage.escalation_id,
          stage: stage.number,
          dueAt: at.toISOString(),
        });
      }
    }
  }

  private async cancelDeadlines(
    em: EntityManager,
    ctx: RequestContext,
    stageId: string,
    now: Date,
  ): Promise<void> {
    const rows = await changedRows<{ id: string; version: number }>(
      em,
      `update deadlines set cancelled_at = $2, version = version + 1
        where stage_id = $1 and fired_at is null and cancelled_at is null returning id, version`,
      [stageId, now],
    );
    for (const d of rows) {
      await this.outbox(em, ctx, 'DEADLINE_CANCELLED', `deadline-${d.id}-${d.version}`, {
        deadlineId: d.id,
        version: d.version,
      });
    }
  }

  private async closeStage(
    em: EntityManager,
    ctx: RequestContext,
    stage: StageRow,
    now: Date,
  ): Promise<void> {
    await em.query(`update escalation_stages set status = 'CLOSED', closed_at = $2 where id = $1`, [
      stage.id,
      now,
    ]);
    await this.cancelDeadlines(em, ctx, stage.id, now);
  }
}

/** The actor of effects nobody performed by hand (deadlines firing): recorded as SYSTEM in the audit trail. */
function systemContext(partnershipId: string, requestId: string): RequestContext {
  return {
    requestId,
    partnershipId,
    partnershipCode: '',
    personId: null,
    apiKeyId: null,
    apiClientName: 'HIPS Resolve worker',
    agencyId: null,
    roles: [],
  };
}
