import { WorkingCalendar } from '@hips/core';
import { closureChangeProblems } from './closure-rules';

describe('closureChangeProblems', () => {
  const today = '2031-03-12'; // a Wednesday
  const calendar = new WorkingCalendar({ closureDays: [{ date: '2031-03-14', reason: 'Staff training' }] });
  const codes = (change: 'ADD' | 'REMOVE', date: string, reason = 'Shutdown') =>
    closureChangeProblems(change, { date, reason }, today, calendar).map((p) => [p.code, p.field?.join('.')]);

  it('accepts a future working day, and today', () => {
    expect(codes('ADD', '2031-03-13')).toEqual([]);
    expect(codes('ADD', today)).toEqual([]);
  });

  it('refuses a day in the past, whether added or removed', () => {
    expect(codes('ADD', '2031-03-11')).toEqual([['VALIDATION', 'input.date']]);
    expect(codes('REMOVE', '2031-03-11')).toEqual([['VALIDATION', 'input.date']]);
    expect(
      closureChangeProblems('ADD', { date: '2031-03-11', reason: 'x' }, today, calendar)[0].message,
    ).toBe('Tue 11 Mar 2031 is in the past: past closure days cannot be added');
  });

  it('needs a reason', () => {
    expect(codes('ADD', '2031-03-13', '  ')).toEqual([['VALIDATION', 'input.reason']]);
    expect(codes('ADD', '2031-03-13', 'x'.repeat(501))).toEqual([['VALIDATION', 'input.reason']]);
  });

  it('refuses weekends, bank holidays and existing closure days when adding', () => {
    expect(codes('ADD', '2031-03-15')).toEqual([['VALIDATION', 'input.date']]); // Saturday
    expect(codes('ADD', '2031-12-25')).toEqual([['VALIDATION', 'input.date']]); // Christmas Day
    expect(codes('ADD', '2031-03-14')).toEqual([['DUPLICATE', 'input.date']]);
  });

  it('removes only existing closure days', () => {
    expect(codes('REMOVE', '2031-03-14')).toEqual([]);
    expect(codes('REMOVE', '2031-03-13')).toEqual([['NOT_FOUND', 'input.date']]);
  });

  it('refuses malformed dates and dates too far ahead', () => {
    expect(codes('ADD', '2031-02-30')).toEqual([['VALIDATION', 'input.date']]);
    expect(codes('ADD', '2036-03-13')).toEqual([['VALIDATION', 'input.date']]);
  });
});
