import { InputCheck } from '@hips/common';
import type { ReflectiveParticipantInput } from '../dto/reflective-meeting.input';

/** At most this many attendees on one record (a meeting of the professionals around a family, not a list). */
export const MAX_REFLECTIVE_ATTENDEES = 30;
/** A free-text role's length ("Designated nurse for safeguarding, Portsmouth Hospitals"). */
export const MAX_ROLE_LENGTH = 100;
/** Clock skew allowed between the caller and the database when checking that the meeting is not in the future. */
export const HELD_AT_TOLERANCE_MS = 5 * 60_000;

// Ten digits, however grouped (an NHS number is written "943 476 5919"), and dates (a date of birth):
// a role names a professional's job, so text that looks like either is refused rather than stored.
const NHS_NUMBER_LIKE = /(?:\d[\s-]?){9}\d/;
const DATE_LIKE = /\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b/;

/** Whether a free-text role looks like it carries a child identifier (docs/procedure.md §3). */
export function looksLikeChildIdentifier(text: string): boolean {
  return NHS_NUMBER_LIKE.test(text) || DATE_LIKE.test(text);
}

/** Checks one participant's shape: exactly one of personId and role; a role of bounded, identifier-free text. */
export function checkParticipant(check: InputCheck, p: ReflectiveParticipantInput, field: string[]): void {
  const hasPerson = Boolean(p.personId);
  const hasRole = p.role !== null && p.role !== undefined;
  check.that(hasPerson !== hasRole, field, 'give either personId or role, not both');
  if (hasRole && !hasPerson) {
    const role = p.role!;
    check.text(role, [...field, 'role'], { max: MAX_ROLE_LENGTH, label: 'role' });
    check.that(
      !looksLikeChildIdentifier(role),
      [...field, 'role'],
      'a role must not contain child identifiers (no NHS numbers or dates)',
    );
  }
}
