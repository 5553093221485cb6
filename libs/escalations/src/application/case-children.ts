import type { InputCheck } from '@hips/common';
import { isValidNhsNumber } from '@hips/core';
import type { ChildIdentifiers } from '../child-crypto';
import type { ChildInput, RaiseEscalationInput } from '../dto/raise-escalation.input';

/** How many children one case may concern: a sibling group, not a register (docs/procedure.md §7). */
export const MAX_CHILDREN_PER_CASE = 10;

/** The children a raise concerns, in order: `child` first, then `siblings`. */
export function childrenOfRaise(input: RaiseEscalationInput): ChildInput[] {
  return [input.child, ...(input.siblings ?? [])];
}

/** Where the child at `ordinal` is in the raise's input (for userErrors' field paths). */
export function childPath(ordinal: number): string[] {
  return ordinal === 0 ? ['input', 'child'] : ['input', 'siblings', String(ordinal - 1)];
}

/** An NHS number without spaces, or null. */
export function normalisedNhsNumber(child: ChildInput): string | null {
  return child.nhsNumber?.replace(/\s+/g, '') || null;
}

/** The identifiers as sealed: initials upper-cased, NHS number without spaces, blank case ids as null. */
export function childIdentifiers(child: ChildInput): ChildIdentifiers {
  return {
    initials: child.initials.trim().toUpperCase(),
    dateOfBirth: child.dateOfBirth,
    localAuthority: child.localAuthority,
    nhsNumber: normalisedNhsNumber(child),
    localAuthorityCaseId: child.localAuthorityCaseId?.trim() || null,
  };
}

/**
 * Adds the checks of every child's identifiers to `check` (each problem at its own path), and the size of the
 * group. `latestBirth` is the latest date of birth accepted (an expected date, for an unborn child).
 */
export function checkChildren(
  check: InputCheck,
  input: RaiseEscalationInput,
  latestBirth: { date: string; months: number },
): void {
  const siblings = input.siblings ?? [];
  check.that(
    siblings.length <= MAX_CHILDREN_PER_CASE - 1,
    ['input', 'siblings'],
    `a case concerns at most ${MAX_CHILDREN_PER_CASE} children (the child and ${MAX_CHILDREN_PER_CASE - 1} siblings); raise another case for the others`,
  );
  childrenOfRaise(input).forEach((child, ordinal) => {
    const path = childPath(ordinal);
    const nhs = normalisedNhsNumber(child);
    check
      .that(
        /^[A-Za-z]{1,4}$/.test(child.initials.trim()),
        [...path, 'initials'],
        'initials must be 1 to 4 letters',
      )
      .that(
        child.dateOfBirth <= latestBirth.date,
        [...path, 'dateOfBirth'],
        `dateOfBirth may be in the future only as an expected date of birth, at most ${latestBirth.months} months ahead`,
      )
      .that(child.dateOfBirth >= '1990-01-01', [...path, 'dateOfBirth'], 'dateOfBirth is not a child’s')
      .that(
        nhs === null || isValidNhsNumber(nhs),
        [...path, 'nhsNumber'],
        'nhsNumber is not a valid NHS number',
      )
      .that(
        (child.localAuthorityCaseId ?? '').length <= 50,
        [...path, 'localAuthorityCaseId'],
        'localAuthorityCaseId must be at most 50 characters',
      );
  });
}
