import { formatDate, isIsoDate, WorkingCalendar } from '@hips/core';
import { userError, type UserError } from '@hips/common';

export type ClosureChange = 'ADD' | 'REMOVE';

/** How far ahead a closure day may be planned (a calendar is maintained year by year). */
export const MAX_CLOSURE_YEARS_AHEAD = 5;
export const MAX_CLOSURE_REASON_LENGTH = 500;

/**
 * Problems with adding or removing a closure day (pure: `today` is the London date of the database clock).
 * A closure day in the past cannot be added or removed (deadlines already computed against it would move);
 * today may still be changed. Adding needs a working day that is not already closed; removing needs an
 * existing closure day.
 */
export function closureChangeProblems(
  change: ClosureChange,
  input: { date: string; reason: string },
  today: string,
  current: WorkingCalendar,
): UserError[] {
  const problems: UserError[] = [];
  const dateField = ['input', 'date'];
  const reason = input.reason.trim();
  if (reason.length === 0) problems.push(userError('VALIDATION', 'reason is required', ['input', 'reason']));
  else if (input.reason.length > MAX_CLOSURE_REASON_LENGTH) {
    problems.push(
      userError('VALIDATION', `reason must be at most ${MAX_CLOSURE_REASON_LENGTH} characters`, [
        'input',
        'reason',
      ]),
    );
  }
  if (!isIsoDate(input.date)) {
    problems.push(userError('VALIDATION', 'date must be a calendar date (YYYY-MM-DD)', dateField));
    return problems;
  }
  if (input.date < today) {
    problems.push(
      userError(
        'VALIDATION',
        `${formatDate(input.date, true)} is in the past: past closure days cannot be ${change === 'ADD' ? 'added' : 'removed'}`,
        dateField,
      ),
    );
    return problems;
  }
  const lastAllowed = `${Number(today.slice(0, 4)) + MAX_CLOSURE_YEARS_AHEAD}${today.slice(4)}`;
  if (input.date > lastAllowed) {
    problems.push(
      userError(
        'VALIDATION',
        `closure days may be planned at most ${MAX_CLOSURE_YEARS_AHEAD} years ahead`,
        dateField,
      ),
    );
    return problems;
  }
  const closed = current.closureDays.some((c) => c.date === input.date);
  if (change === 'ADD') {
    if (closed) {
      problems.push(
        userError('DUPLICATE', `${formatDate(input.date, true)} is already a closure day`, dateField),
      );
    } else {
      const reasonNotWorking = current.nonWorkingReason(input.date);
      if (reasonNotWorking !== null) {
        problems.push(
          userError(
            'VALIDATION',
            `${formatDate(input.date, true)} is already not a working day (${reasonNotWorking})`,
            dateField,
          ),
        );
      }
    }
  } else if (!closed) {
    problems.push(userError('NOT_FOUND', `${formatDate(input.date, true)} is not a closure day`, dateField));
  }
  return problems;
}
