import { Injectable } from '@nestjs/common';
import { fail, idOf, InputCheck, notFound, RequestContext } from '@hips/common';
import { londonDate, REFLECTIVE_STAGE_NUMBER } from '@hips/core';
import type { UnitOfWork } from '@hips/database';
import { DirectoryRepository } from '@hips/directory';
import { caseActionPolicy as policy } from '../access/case-action.policy';
import { OutcomeCode } from '../dto/escalation-enums';
import type {
  RecordReflectiveMeetingInput,
  ReflectiveParticipantInput,
} from '../dto/reflective-meeting.input';
import { ReflectiveMeetingOutcome } from '../dto/reflective-meeting.model';
import {
  ReflectiveMeetingRepository,
  type StoredParticipant,
} from '../persistence/reflective-meeting.repository';
import { CaseActionRunner } from './case-action-runner.service';
import { CaseChronicle } from './case-chronicle.service';
import { ClosingActionsHandler } from './closing-actions.handler';
import { managerChain } from './manager-chain';
import { checkParticipant, HELD_AT_TOLERANCE_MS, MAX_REFLECTIVE_ATTENDEES } from './reflective-meeting-rules';
import { StageActionsHandler } from './stage-actions.handler';

/**
 * Records the reflective step's meeting (stage 0, docs/procedure.md §3) and acts on its outcome in the same
 * transaction: RESOLVED resolves the case as `resolve` does (outcome RESOLVED_BY_REFLECTIVE_STEP);
 * PROCEED_TO_STAGE_1 opens stage 1 as `escalate` does, with its own deadline.
 */
@Injectable()
export class RecordReflectiveMeetingHandler {
  private readonly directory = new DirectoryRepository();

  constructor(
    private readonly runner: CaseActionRunner,
    private readonly meetings: ReflectiveMeetingRepository,
    private readonly chronicle: CaseChronicle,
    private readonly stageActions: StageActionsHandler,
    private readonly closingActions: ClosingActionsHandler,
  ) {}

  async record(ctx: RequestContext, input: RecordReflectiveMeetingInput) {
    const check = new InputCheck()
      .that(!Number.isNaN(new Date(input.heldAt).getTime()), ['input', 'heldAt'], 'heldAt is not a date')
      .that(
        input.attendees.length >= 1 && input.attendees.length <= MAX_REFLECTIVE_ATTENDEES,
        ['input', 'attendees'],
        `from 1 to ${MAX_REFLECTIVE_ATTENDEES} attendees`,
      );
    checkParticipant(check, input.facilitator, ['input', 'facilitator']);
    input.attendees.forEach((a, i) => checkParticipant(check, a, ['input', 'attendees', String(i)]));
    check.done();
    const resolves = input.outcome === ReflectiveMeetingOutcome.RESOLVED;
    return this.runner.act(ctx, input, async (uow, { row, stage, now }) => {
      if (row.status === 'OPEN' && row.current_stage !== REFLECTIVE_STAGE_NUMBER) {
        fail(
          'INVALID_STATE',
          `The reflective meeting is recorded at stage ${REFLECTIVE_STAGE_NUMBER}; the case is at stage ${row.current_stage}`,
        );
      }
      policy.transition(row, stage, resolves ? 'RESOLVE' : 'ESCALATE', resolves ? undefined : 1);
      const s = stage!;
      const managers = policy.isSideOwner(ctx, s.raiser_owner_person_id, row.raising_agency_id, s.role_type)
        ? new Set<string>()
        : await managerChain(uow, s.raiser_owner_person_id);
      if (!policy.mayRecordReflectiveMeeting(ctx, row, s, managers, resolves)) {
        fail(
          'FORBIDDEN',
          resolves
            ? 'Only the raising agency’s owner of the reflective step, or their manager, may record that it resolved the case'
            : 'Only an owner of the reflective step (either agency), or the raising side owner’s manager, may record it',
        );
      }
      const heldAt = new Date(input.heldAt);
      if (heldAt.getTime() > now.getTime() + HELD_AT_TOLERANCE_MS)
        fail('VALIDATION', 'heldAt must not be in the future', ['input', 'heldAt']);
      if (heldAt.getTime() < new Date(s.opened_at).getTime())
        fail('VALIDATION', 'heldAt must not be before the reflective step opened', ['input', 'heldAt']);
      const facilitator = await this.participant(uow, input.facilitator, ['input', 'facilitator']);
      const attendees: StoredParticipant[] = [];
      for (const [i, a] of input.attendees.entries())
        attendees.push(await this.participant(uow, a, ['input', 'attendees', String(i), 'personId']));

      await this.meetings.insert(uow, {
        escalationId: row.id,
        stageId: s.id,
        heldAt,
        facilitator,
        attendees,
        outcome: input.outcome,
      });
      // The chronology carries the outcome and date only: who attended stays in the record (no names, no roles).
      const held = londonDate(heldAt);
      await this.chronicle.recordAction(
        uow,
        {
          row,
          kind: 'REFLECTIVE_MEETING_RECORDED',
          stage: s.number,
          detail: `held ${held}: ${input.outcome}`,
        },
        'ESCALATION_REFLECTIVE_MEETING_RECORDED',
      );
      const loaded = { row, stage: s, now };
      return resolves
        ? this.closingActions.close(uow, loaded, {
            outcome: OutcomeCode.RESOLVED_BY_REFLECTIVE_STEP,
            statement: `Resolved by the reflective step (${s.name}) held ${held}.`,
            agreedActions: [],
            learningThemes: [],
            systemicIssue: false,
          })
        : this.stageActions.moveUp(
            uow,
            loaded,
            REFLECTIVE_STAGE_NUMBER + 1,
            `the reflective step (${s.name}) held ${held} did not resolve the disagreement`,
          );
    });
  }

  /** A participant as stored: a person must be one of the partnership's people (visible under its tenancy). */
  private async participant(
    uow: UnitOfWork,
    p: ReflectiveParticipantInput,
    field: string[],
  ): Promise<StoredParticipant> {
    if (!p.personId) return { role: p.role!.trim() };
    const id = idOf(p.personId, 'Person');
    const [found] = id ? await this.directory.peopleByIds(uow, [id]) : [];
    if (!found) notFound('Person', field[field.length - 1] === 'personId' ? field : [...field, 'personId']);
    return { personId: found.id };
  }
}
