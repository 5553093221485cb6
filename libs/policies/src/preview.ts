import {
  computeDue,
  stageWorkingDays,
  type DeadlineExplanation,
  type StagePolicy,
  type Urgency,
  type WorkingCalendar,
} from '@hips/core';

/**
 * The deadline of every stage of a ladder that runs at this urgency (stages with no working days, such as the
 * reflective step when urgent, are left out), in stage order. Assumption: each stage is previewed as if it
 * opened at `raisedAt`; a real case opens each stage when the previous one is escalated, so later stages fall
 * due later than shown. The explanation is prefixed with the stage it belongs to.
 */
export function previewStageDeadlines(
  stages: readonly StagePolicy[],
  urgency: Urgency,
  calendar: WorkingCalendar,
  raisedAt: Date,
): DeadlineExplanation[] {
  return [...stages]
    .sort((a, b) => a.number - b.number)
    .flatMap((stage) => {
      const workingDays = stageWorkingDays(stage, urgency);
      if (workingDays === null) return [];
      const due = computeDue(calendar, raisedAt, workingDays);
      const target = stage.breaches ? '' : ', a target that never breaches';
      return [{ ...due, explanation: `stage ${stage.number} (${stage.name}${target}): ${due.explanation}` }];
    });
}
