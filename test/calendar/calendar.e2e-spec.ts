import { addWorkingDays, computeDue, WorkingCalendar } from '@hips/core';
import { startTestApp, TestApp } from '../support/app';

const ADD = `mutation($input: AddClosureDayInput!) {
  addClosureDay(input: $input) { closureDates version userErrors { code field message } } }`;
const REMOVE = `mutation($input: RemoveClosureDayInput!) {
  removeClosureDay(input: $input) { closureDates version userErrors { code field message } } }`;
const DEADLINE = `query($start: DateTime!, $days: Int!) {
  workingDeadline(start: $start, workingDays: $days) { start workingDays dueAt explanation skippedDates } }`;
const VERSIONS = `{ calendarVersions { version change changeDate changeReason publishedAt
  changedBy { displayName } closureDays { date reason } } }`;

/** A working day (no closures) about a year ahead, so the test never meets "in the past". */
function futureWorkingDay(): string {
  const calendar = new WorkingCalendar();
  const start = `${new Date().getUTCFullYear() + 1}-03-10`;
  return addWorkingDays(calendar, calendar.previousWorkingDay(start), 1);
}

function saturdayAfter(date: string): string {
  const day = new Date(`${date}T12:00:00Z`);
  do day.setUTCDate(day.getUTCDate() + 1);
  while (day.getUTCDay() !== 6);
  return day.toISOString().slice(0, 10);
}

/**
 * A calendar belongs to a partnership and has no per-spec copy (docs/testing/test-practice.md): each test reads the
 * version it finds, asserts relative to it, and removes the closure day it added in `finally`.
 */
describe('partnership calendars', () => {
  let t: TestApp;
  let admin: string;
  const closure = futureWorkingDay();
  const dayBefore = new WorkingCalendar().previousWorkingDay(closure);
  const start = `${dayBefore}T09:00:00Z`; // 09:00 or 10:00 London, before 17:00: day 0 is dayBefore

  const counts = async () => {
    const [row] = await t.owner.query(
      `select (select count(*) from calendar_versions)::int as versions,
              (select count(*) from calendar_closure_days)::int as days,
              (select count(*) from audit_log)::int as audit`,
    );
    return row;
  };
  type Version = { version: number; closureDays: { date: string; reason: string }[] };
  /** The calendar as another spec may have left it: every version, newest first. */
  const versions = async (token = admin): Promise<Version[]> => {
    const res = await t.gql(VERSIONS, {}, { token });
    expect(res.errors).toBeUndefined();
    return res.data.calendarVersions;
  };
  const dates = (version: Version, ...more: string[]) =>
    [...version.closureDays.map((d) => d.date), ...more].sort();
  const add = (date: string, reason: string, token = admin) =>
    t.gql(ADD, { input: { date, reason } }, { token }).then((r) => r.data.addClosureDay);
  /** Removes the closure day if it is there, so no test leaves it behind for another spec. */
  const removeIfPresent = async (date: string) => {
    const [current] = await versions();
    if (!current.closureDays.some((d) => d.date === date)) return;
    const res = await t.gql(REMOVE, { input: { date, reason: 'Test over' } }, { token: admin });
    expect(res.data.removeClosureDay.userErrors).toEqual([]);
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login('admin.portsmouth@demo.hips.test');
  });
  afterAll(async () => {
    await t.close();
  });

  it('starts every partnership at version 1 with no closure days', async () => {
    for (const area of ['hampshire', 'isle-of-wight', 'portsmouth', 'southampton']) {
      const history = await versions(await t.login(`admin.${area}@demo.hips.test`));
      expect(history[history.length - 1]).toEqual(
        expect.objectContaining({ version: 1, change: 'INITIAL', closureDays: [], changedBy: null }),
      );
    }
  });

  it('adds a closure day as a new version, recording who and why, and deadlines skip it', async () => {
    const southampton = await t.login('admin.southampton@demo.hips.test');
    const southamptonBefore = await versions(southampton);
    const [current] = await versions();
    const before = await counts();
    try {
      const res = await add(closure, 'Staff training day');
      expect(res).toEqual({
        closureDates: dates(current, closure),
        version: current.version + 1,
        userErrors: [],
      });
      expect(await counts()).toEqual({
        versions: before.versions + 1,
        days: before.days + current.closureDays.length + 1,
        audit: before.audit + 1,
      });
      const [audit] = await t.owner.query(
        `select a.action, a.detail, p.email from audit_log a join people p on p.id = a.actor_id
         order by a.at desc, a.seq desc limit 1`,
      );
      expect(audit).toEqual({
        action: 'CALENDAR_CLOSURE_DAY_ADDED',
        detail: { version: current.version + 1, date: closure, reason: 'Staff training day' },
        email: 'admin.portsmouth@demo.hips.test',
      });

      const deadline = await t.gql(DEADLINE, { start, days: 1 }, { token: admin });
      expect(deadline.errors).toBeUndefined();
      const expected = computeDue(
        new WorkingCalendar({
          closureDays: [...current.closureDays, { date: closure, reason: 'Staff training day' }],
        }),
        new Date(start),
        1,
      );
      expect(deadline.data.workingDeadline).toEqual({
        start: new Date(start).toISOString(),
        workingDays: 1,
        dueAt: expected.dueAt.toISOString(),
        explanation: expected.explanation,
        skippedDates: expected.skippedDates,
      });
      expect(deadline.data.workingDeadline.skippedDates).toContain(closure);
      expect(deadline.data.workingDeadline.explanation).toContain(
        'partnership closure day: Staff training day',
      );

      // Another partnership's calendar is untouched.
      const other = await t.gql(DEADLINE, { start, days: 1 }, { token: southampton });
      expect(other.data.workingDeadline.skippedDates).not.toContain(closure);
      expect(await versions(southampton)).toEqual(southamptonBefore);
    } finally {
      await removeIfPresent(closure);
    }
  });

  it('refuses a duplicate, a day in the past, a weekend and a non-admin, writing nothing', async () => {
    const practitioner = await t.login('practitioner.police.portsmouth@demo.hips.test'); // logins are audited
    expect((await add(closure, 'Staff training day')).userErrors).toEqual([]);
    try {
      const [current] = await versions();
      const before = await counts();
      const cases: [string, string, Record<string, string>, string, string[] | null][] = [
        [admin, ADD, { date: closure, reason: 'again' }, 'DUPLICATE', ['input', 'date']],
        [admin, ADD, { date: '2020-01-06', reason: 'too late' }, 'VALIDATION', ['input', 'date']],
        [admin, REMOVE, { date: '2020-01-06', reason: 'too late' }, 'VALIDATION', ['input', 'date']],
        [
          admin,
          ADD,
          { date: new WorkingCalendar().nextWorkingDay(closure), reason: ' ' },
          'VALIDATION',
          ['input', 'reason'],
        ],
        [admin, REMOVE, { date: dayBefore, reason: 'not closed' }, 'NOT_FOUND', ['input', 'date']],
        [practitioner, ADD, { date: dayBefore, reason: 'mine' }, 'FORBIDDEN', null],
        [practitioner, REMOVE, { date: closure, reason: 'mine' }, 'FORBIDDEN', null],
      ];
      for (const [token, mutation, input, code, field] of cases) {
        const res = await t.gql(mutation, { input }, { token });
        const payload = res.data.addClosureDay ?? res.data.removeClosureDay;
        expect(payload.userErrors).toEqual([expect.objectContaining({ code, field })]);
        expect(payload.closureDates).toEqual(dates(current)); // the calendar as it stands
        expect(payload.version).toBeNull();
      }
      const weekend = await add(saturdayAfter(closure), 'x');
      expect(weekend.userErrors).toEqual([
        expect.objectContaining({ code: 'VALIDATION', field: ['input', 'date'] }),
      ]);
      expect(weekend.userErrors[0].message).toContain('already not a working day (Saturday)');
      expect(await counts()).toEqual(before);
    } finally {
      await removeIfPresent(closure);
    }
  });

  it('removes a closure day as a new version and keeps old versions unchanged and queryable', async () => {
    const [current] = await versions();
    try {
      expect((await add(closure, 'Staff training day')).userErrors).toEqual([]);
      const res = await t.gql(
        REMOVE,
        { input: { date: closure, reason: 'Training moved online' } },
        { token: admin },
      );
      expect(res.data.removeClosureDay).toEqual({
        closureDates: dates(current),
        version: current.version + 2,
        userErrors: [],
      });
      const history = await versions();
      expect(
        history.map((v: any) => [v.version, v.change, v.changeDate, v.closureDays.length]).slice(0, 3),
      ).toEqual([
        [current.version + 2, 'REMOVE', closure, current.closureDays.length],
        [current.version + 1, 'ADD', closure, current.closureDays.length + 1],
        [current.version, expect.any(String), expect.anything(), current.closureDays.length],
      ]);
      expect(history[0]).toMatchObject({
        changeReason: 'Training moved online',
        changedBy: { displayName: 'Partnership admin (Portsmouth)' },
      });
      expect(history[1].closureDays).toContainEqual({ date: closure, reason: 'Staff training day' });
      expect(history[2]).toEqual(current); // an old version is unchanged
      const deadline = await t.gql(DEADLINE, { start, days: 1 }, { token: admin });
      expect(deadline.data.workingDeadline.skippedDates).not.toContain(closure);
    } finally {
      await removeIfPresent(closure);
    }
  });

  it('keeps published calendar versions immutable in the database', async () => {
    await expect(t.owner.query(`update calendar_versions set change_reason = 'rewritten'`)).rejects.toThrow(
      /immutable/,
    );
    await expect(t.owner.query(`delete from calendar_closure_days`)).rejects.toThrow(/immutable/);
  });

  it('answers workingDeadline only for sensible working days', async () => {
    const res = await t.gql(DEADLINE, { start, days: -1 }, { token: admin });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const zero = await t.gql(DEADLINE, { start, days: 0 }, { token: admin });
    expect(zero.data.workingDeadline.workingDays).toBe(0);
  });
});
