import { fail, InputCheck, RequestContext } from '@hips/common';
import {
  addWorkingDays,
  CPC_DISSENT_RAISE_WINDOW_WORKING_DAYS,
  londonDueInstant,
  MAX_BACKDATE_CALENDAR_DAYS,
  MAX_BACKDATE_WORKING_DAYS,
  workingDaysBetween,
  type EscalationType,
  type WorkingCalendar,
} from '@hips/core';
import type { RaiseEscalationInput } from '../dto/raise-escalation.input';
import { RedirectReason } from '../dto/escalation-enums';
import { checkChildren } from './case-children';

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

/** Screening (docs/procedure.md §6): the first matter the procedure does not cover, or null. */
export function screen(screening: RaiseEscalationInput['screening']): RedirectReason | null {
  if (screening.immediateRisk) return RedirectReason.IMMEDIATE_RISK;
  if (screening.systemicIssue) return RedirectReason.SYSTEMIC_ISSUE;
  if (screening.complaint) return RedirectReason.COMPLAINT;
  if (screening.allegationAgainstStaff) return RedirectReason.ALLEGATION_AGAINST_STAFF;
  if (screening.whistleblowing) return RedirectReason.WHISTLEBLOWING;
  return null;
}

/**
 * The raise's fields, as of `now` (London date `today`) under the partnership calendar: text lengths, the child's
 * identifiers (each child's, and how many), the CPC dissent window and a back-dated challenge. Every problem at once (VALIDATION), then the
 * partnership of the (first) child's local authority (OUT_OF_SCOPE): siblings placed elsewhere are recorded as given.
 */
export function checkRaiseInput(
  ctx: RequestContext,
  input: RaiseEscalationInput,
  clock: { now: Date; today: string; calendar: WorkingCalendar },
): void {
  const { now, today, calendar } = clock;
  const type: EscalationType = input.type ?? 'GENERAL';
  const child = input.child;
  const maxBirth = new Date(`${today}T00:00:00Z`);
  maxBirth.setUTCMonth(maxBirth.getUTCMonth() + MAX_EXPECTED_BIRTH_MONTHS_AHEAD);
  const check = new InputCheck()
    .text(input.summary, ['input', 'summary'], { max: 5000, label: 'summary' })
    .text(input.desiredOutcome, ['input', 'desiredOutcome'], { max: 5000, label: 'desiredOutcome' })
    .text(input.riskSummary, ['input', 'riskSummary'], { max: 5000, label: 'riskSummary' });
  checkChildren(check, input, {
    date: maxBirth.toISOString().slice(0, 10),
    months: MAX_EXPECTED_BIRTH_MONTHS_AHEAD,
  });
  check.that(
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
}
