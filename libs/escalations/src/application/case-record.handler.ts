import { Injectable } from '@nestjs/common';
import { AuditService } from '@hips/audit';
import { fail, InputCheck, RequestContext } from '@hips/common';
import { TenantDb } from '@hips/database';
import { caseActionPolicy as policy } from '../access/case-action.policy';
import type { AddEscalationNoteInput, MarkAgreedActionDoneInput } from '../dto/case-action.input';
import type { EscalationNote } from '../dto/escalation-note.model';
import type { Escalation } from '../dto/escalation.model';
import { toEscalation, toNote } from '../mappers';
import { CaseRepository } from '../persistence/case.repository';
import { NoteRepository } from '../persistence/note.repository';
import { CaseActionRunner } from './case-action-runner.service';
import { CaseChronicle } from './case-chronicle.service';

/** What is added to a case's record without moving it: agreed actions done, and notes. */
@Injectable()
export class CaseRecordHandler {
  constructor(
    private readonly db: TenantDb,
    private readonly runner: CaseActionRunner,
    private readonly cases: CaseRepository,
    private readonly notes: NoteRepository,
    private readonly chronicle: CaseChronicle,
    private readonly audit: AuditService,
  ) {}

  /**
   * Marks one agreed action of a resolved case done (who may: caseActionPolicy.mayMarkAgreedActionDone). Bumps
   * the version; a chronology event and an audit row.
   */
  async markAgreedActionDone(ctx: RequestContext, input: MarkAgreedActionDoneInput) {
    new InputCheck()
      .that(
        Number.isInteger(input.index) && input.index >= 0,
        ['input', 'index'],
        'index must be a whole number from 0',
      )
      .done();
    return this.runner.act(ctx, input, async (uow, { row }) => {
      if (row.status !== 'RESOLVED') {
        fail('INVALID_STATE', `Agreed actions are recorded on resolved cases; this case is ${row.status}`);
      }
      const actions = row.agreed_actions ?? [];
      const action = actions[input.index];
      if (!action) {
        fail(
          'VALIDATION',
          actions.length === 0
            ? 'This case has no agreed actions'
            : `index must be from 0 to ${actions.length - 1}`,
          ['input', 'index'],
        );
      }
      if (!policy.mayMarkAgreedActionDone(ctx, row, action.ownerAgencyId)) {
        fail(
          'FORBIDDEN',
          'Only a practitioner or manager of the action’s owner agency, or of either agency of the case, may mark it done',
        );
      }
      if (action.done) fail('INVALID_STATE', 'This agreed action is already done', ['input', 'index']);
      const updated = await this.cases.markAgreedActionDone(uow, row, input.index);
      await this.chronicle.record(uow, {
        row: updated,
        kind: 'AGREED_ACTION_DONE',
        stage: row.current_stage,
        detail: `agreed action ${input.index}: ${action.description}`,
      });
      await this.audit.record(uow.em, ctx, {
        action: 'ESCALATION_AGREED_ACTION_DONE',
        entityType: 'Escalation',
        entityId: row.id,
        detail: { index: input.index, ownerAgencyId: action.ownerAgencyId },
      });
      return updated;
    });
  }

  async addNote(
    ctx: RequestContext,
    input: AddEscalationNoteInput,
  ): Promise<{ note: EscalationNote; escalation: Escalation }> {
    new InputCheck().text(input.text, ['input', 'text'], { max: 10000, label: 'text' }).done();
    return this.db.transaction(ctx, async (uow) => {
      const { row, stage } = await this.runner.load(uow, input.escalationId);
      policy.transition(row, stage, 'ADD_NOTE');
      const note = await this.notes.insert(uow, row.id, {
        visibility: input.visibility,
        text: input.text.trim(),
      });
      await this.chronicle.record(uow, {
        row,
        kind: 'NOTE_ADDED',
        stage: row.current_stage,
        detail: `${input.visibility.toLowerCase()} note`,
      });
      await this.audit.record(uow.em, ctx, {
        action: 'ESCALATION_NOTE_ADDED',
        entityType: 'Escalation',
        entityId: row.id,
        detail: { noteId: note.id, visibility: input.visibility },
      });
      return { note: toNote(note), escalation: toEscalation(row) };
    });
  }
}
