import { DateTime } from 'luxon';
import { WorkingCalendar } from './working-days';

// Test support for the working-day specs (not part of the library's surface).
// Inputs are London wall-clock times (what a user sees); expected values are written as UTC instants
// worked out by hand: GMT = UTC in winter, BST = UTC+1 from 28 Mar 2027 01:00Z to 31 Oct 2027 01:00Z
// (and 30 Mar - 26 Oct 2025), so 17:00 London is 17:00Z in winter and 16:00Z in summer.
export const london = (local: string): Date => {
  const dt = DateTime.fromISO(local, { zone: 'Europe/London' });
  if (!dt.isValid) throw new Error(`bad test time ${local}`);
  return dt.toJSDate();
};
export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export const plain = new WorkingCalendar();
