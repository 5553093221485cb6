import { defaultLadder, WorkingCalendar } from '@hips/core';
import { previewStageDeadlines } from './preview';

describe('previewStageDeadlines', () => {
  const ladder = defaultLadder('GENERAL', 'Rethink');
  const calendar = new WorkingCalendar({ closureDays: [{ date: '2025-08-27', reason: 'Staff day' }] });
  // Fri 22 Aug 2025 16:40 BST; Mon 25 Aug is the Summer bank holiday.
  const raisedAt = new Date('2025-08-22T15:40:00Z');

  it('previews every standard stage from raisedAt, in stage order', () => {
    const preview = previewStageDeadlines([...ladder].reverse(), 'STANDARD', calendar, raisedAt);
    expect(preview.map((d) => d.workingDays)).toEqual([10, 5, 5, 5, 10]);
    expect(preview[1].dueAt.toISOString()).toBe('2025-09-02T16:00:00.000Z'); // Fri + 5 WD: Tue Thu Fri Mon Tue
    expect(preview[1].skippedDates).toEqual([
      '2025-08-23',
      '2025-08-24',
      '2025-08-25',
      '2025-08-27',
      '2025-08-30',
      '2025-08-31',
    ]);
    expect(preview[0].explanation).toMatch(/^stage 0 \(Rethink, a target that never breaches\): opened /);
    expect(preview[1].explanation).toMatch(/^stage 1 \(Practitioner to practitioner\): opened /);
    expect(preview[1].explanation).toContain('Wed 27 Aug (partnership closure day: Staff day)');
  });

  it('leaves out the reflective step when urgent', () => {
    const preview = previewStageDeadlines(ladder, 'URGENT', calendar, raisedAt);
    expect(preview.map((d) => d.workingDays)).toEqual([1, 1, 1, 2]);
    expect(preview[0].explanation).toMatch(/^stage 1 /);
    expect(preview[0].dueAt.toISOString()).toBe('2025-08-26T16:00:00.000Z');
  });
});
