import { randomBytes } from 'node:crypto';
import type { RequestContext } from '@hips/common';
import { AuditLogRepository, AuditService } from '@hips/audit';
import type { AppConfig } from '@hips/config';
import { computeDue, defaultLadder, WorkingCalendar, type StagePolicy } from '@hips/core';
import { TenantDb, type UnitOfWork } from '@hips/database';
import { DeadlineRepository, OutboxRepository } from '@hips/deadlines';
import { AbsencesRepository, DirectoryRepository, PostsRepository, RoutingService } from '@hips/directory';
import {
  CaseNotifier,
  CaseRepository,
  CaseChronicle,
  EventRepository,
  ExtensionProposalLapse,
  StageClock,
  StageExtensionProposalRepository,
  StageOwnerRouter,
  StageRepository,
  type EscalationRow,
} from '@hips/escalations';
import { startTestApp, type TestApp } from '../support/app';

/**
 * The stage clock without HTTP: handlers are plain classes, built here from their repositories against the run's
 * database. Each test works in one tenant transaction that it rolls back, so it leaves nothing behind.
 */
describe('stage clock (application, no HTTP)', () => {
  let t: TestApp;
  let db: TenantDb;
  let clock: StageClock;
  let cases: CaseRepository;
  const calendar = new WorkingCalendar();
  class RolledBack extends Error {}

  beforeAll(async () => {
    t = await startTestApp();
    db = new TenantDb(t.owner);
    const config = { publicUrl: 'http://resolve.test' } as AppConfig;
    const router = new StageOwnerRouter(
      new RoutingService(db, new DirectoryRepository(), new PostsRepository(), new AbsencesRepository()),
    );
    const stages = new StageRepository();
    cases = new CaseRepository();
    const notifier = new CaseNotifier(router, cases, stages, config);
    const chronicle = new CaseChronicle(
      new EventRepository(),
      notifier,
      new AuditService(new AuditLogRepository()),
      new OutboxRepository(),
    );
    clock = new StageClock(
      stages,
      new DeadlineRepository(),
      new OutboxRepository(),
      router,
      notifier,
      new ExtensionProposalLapse(
        new StageExtensionProposalRepository(),
        cases,
        stages,
        chronicle,
        notifier,
        new AuditService(new AuditLogRepository()),
      ),
    );
  });

  afterAll(() => t.close());

  /** Two relevant agencies of one partnership, as a context acting for the first. */
  async function context(): Promise<{ ctx: RequestContext; responding: string }> {
    const [pair]: { partnership_id: string; code: string; raising: string; responding: string }[] =
      await t.owner.query(
        `select p.id as partnership_id, p.code, m1.agency_id as raising, m2.agency_id as responding
           from agency_memberships m1
           join agency_memberships m2 on m2.partnership_id = m1.partnership_id and m2.agency_id <> m1.agency_id
           join partnerships p on p.id = m1.partnership_id
          order by p.code, m1.agency_id, m2.agency_id limit 1`,
      );
    const ctx: RequestContext = {
      requestId: 'application-spec',
      partnershipId: pair.partnership_id,
      partnershipCode: pair.code,
      personId: null,
      apiKeyId: null,
      apiClientName: 'application spec',
      agencyId: pair.raising,
      roles: [],
    };
    return { ctx, responding: pair.responding };
  }

  /** A case of the spec's own, at `stage`, raised now (inside the unit's transaction). */
  async function newCase(uow: UnitOfWork, responding: string, stage: StagePolicy): Promise<EscalationRow> {
    const [{ now }]: { now: Date }[] = await uow.query('select now() as now');
    return cases.insert(uow, {
      reference: `APP-${randomBytes(4).toString('hex')}`,
      type: 'GENERAL',
      urgency: 'STANDARD',
      category: 'THRESHOLD_REFERRAL_NOT_ACCEPTED',
      levelOfNeed: 'CHILD_IN_NEED',
      raisingAgencyId: uow.ctx.agencyId!,
      respondingAgencyId: responding,
      respondentPersonId: null,
      summary: 'application spec',
      desiredOutcome: 'application spec',
      riskSummary: 'application spec',
      immediateRiskActioned: false,
      policyVersion: 1,
      ladder: defaultLadder('GENERAL', 'Reflective step'),
      calendarVersion: 0,
      currentStage: stage.number,
      challengedAt: null,
      conferenceDate: null,
      raisedAt: now,
      idempotencyKey: null,
      requestFingerprint: null,
    });
  }

  /** Runs `work` in a tenant transaction and rolls it back. */
  async function inRolledBackUnit(work: (uow: UnitOfWork, responding: string) => Promise<void>) {
    const { ctx, responding } = await context();
    await expect(
      db.transaction(ctx, async (uow) => {
        await work(uow, responding);
        throw new RolledBack();
      }),
    ).rejects.toBeInstanceOf(RolledBack);
  }

  const ladder = defaultLadder('GENERAL', 'Reflective step');
  const stageOne = ladder.find((s) => s.number === 1)!;
  const stageZero = ladder.find((s) => s.number === 0)!;

  async function deadlinesOf(uow: UnitOfWork, escalationId: string) {
    return uow.query<{ id: string; version: number; kind: string; due_at: Date; fired_at: Date | null }[]>(
      'select id, version, kind, due_at, fired_at from deadlines where escalation_id = $1 order by kind',
      [escalationId],
    );
  }

  it('opening a stage times it and schedules its due date and both reminders, each with an outbox row', async () => {
    await inRolledBackUnit(async (uow, responding) => {
      const row = await newCase(uow, responding, stageOne);
      const start = row.raised_at;
      await clock.open(uow, {
        row,
        calendar,
        policy: stageOne,
        start,
        now: start,
        raiserAnchor: null,
        responderAnchor: null,
        firstStage: true,
      });
      const [stage]: { id: string; due_at: Date; working_days: number; breached_at: Date | null }[] =
        await uow.query(
          'select id, due_at, working_days, breached_at from escalation_stages where escalation_id = $1',
          [row.id],
        );
      const due = computeDue(calendar, start, stageOne.standardWorkingDays);
      expect(stage.working_days).toBe(stageOne.standardWorkingDays);
      expect(stage.due_at.toISOString()).toBe(due.dueAt.toISOString());
      expect(stage.breached_at).toBeNull();

      const deadlines = await deadlinesOf(uow, row.id);
      expect(deadlines.map((d) => d.kind)).toEqual(['DUE', 'REMINDER_DAY_BEFORE', 'REMINDER_HALF']);
      expect(deadlines.find((d) => d.kind === 'DUE')!.due_at.toISOString()).toBe(due.dueAt.toISOString());
      expect(deadlines.every((d) => d.fired_at === null)).toBe(true);
      const outbox: { dedupe_key: string }[] = await uow.query(
        `select dedupe_key from outbox where topic = 'DEADLINE_SCHEDULED' and dedupe_key = any($1)`,
        [deadlines.map((d) => `deadline-${d.id}-${d.version}`)],
      );
      expect(outbox).toHaveLength(3);
    });
  });

  it('the reflective step (a stage that never breaches) gets reminders but no DUE deadline', async () => {
    await inRolledBackUnit(async (uow, responding) => {
      const row = await newCase(uow, responding, stageZero);
      await clock.open(uow, {
        row,
        calendar,
        policy: stageZero,
        start: row.raised_at,
        now: row.raised_at,
        raiserAnchor: null,
        responderAnchor: null,
        firstStage: true,
      });
      const kinds = (await deadlinesOf(uow, row.id)).map((d) => d.kind);
      expect(kinds).not.toContain('DUE');
      expect(kinds.length).toBeGreaterThan(0);
    });
  });

  // The clock claims the overdue DUE row and answers it; the breach itself (event, action, notifications) is the
  // worker's effect run on it by the caller (test/escalations/breach-at-opening.e2e-spec.ts).
  it('a stage whose working time ran out before it opened has its deadlines fired and answers its DUE row', async () => {
    await inRolledBackUnit(async (uow, responding) => {
      const row = await newCase(uow, responding, stageOne);
      const start = new Date('2025-01-06T09:00:00Z');
      const claimed = await clock.open(uow, {
        row,
        calendar,
        policy: stageOne,
        start,
        now: row.raised_at,
        raiserAnchor: null,
        responderAnchor: null,
        firstStage: true,
      });
      const [stage]: { breached_at: Date | null }[] = await uow.query(
        'select breached_at from escalation_stages where escalation_id = $1',
        [row.id],
      );
      expect(stage.breached_at).toBeNull();
      const deadlines = await deadlinesOf(uow, row.id);
      expect(deadlines.every((d) => d.fired_at !== null)).toBe(true);
      const due = deadlines.find((d) => d.kind === 'DUE')!;
      expect(claimed).toMatchObject({ id: due.id, version: due.version, kind: 'DUE', escalationId: row.id });
      const events: { kind: string }[] = await uow.query(
        'select kind from escalation_events where escalation_id = $1',
        [row.id],
      );
      expect(events).toEqual([]);
    });
  });
});
