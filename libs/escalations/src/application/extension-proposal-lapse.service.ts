import { Injectable } from '@nestjs/common';
import { AuditService } from '@hips/audit';
import type { UnitOfWork } from '@hips/database';
import { CaseNotifier } from './case-notifier.service';
import { CaseRepository } from '../persistence/case.repository';
import { StageExtensionProposalRepository } from '../persistence/stage-extension-proposal.repository';
import { StageRepository } from '../persistence/stage.repository';
import { CaseChronicle } from './case-chronicle.service';

/**
 * Lapses the open extension proposals of stages that moved on (closed by an escalation, resolution, withdrawal or
 * decision), reached their due time (the worker's DUE firing) or were extended another way (docs/procedure.md §4):
 * an EXTENSION_LAPSED event, an audit entry and a notification to the proposer for each.
 */
@Injectable()
export class ExtensionProposalLapse {
  constructor(
    private readonly proposals: StageExtensionProposalRepository,
    private readonly cases: CaseRepository,
    private readonly stages: StageRepository,
    private readonly chronicle: CaseChronicle,
    private readonly notifier: CaseNotifier,
    private readonly audit: AuditService,
  ) {}

  async lapse(uow: UnitOfWork, stageIds: string[], at: Date, why: string): Promise<void> {
    const lapsed = await this.proposals.lapseOpen(uow, stageIds, at);
    const stageNumbers = new Map<string, number>();
    for (const p of lapsed) {
      const row = await this.cases.find(uow, p.escalation_id);
      const stage = await this.stages.find(uow, p.stage_id);
      stageNumbers.set(p.id, stage.number);
      await this.chronicle.record(uow, {
        row,
        kind: 'EXTENSION_LAPSED',
        stage: stage.number,
        detail: `the proposal of +${p.working_days} working days lapsed: ${why}`,
      });
      await this.notifier.tellPeople(uow, row.id, {
        key: `extension-${p.id}-lapsed`,
        kind: 'EXTENSION_LAPSED',
        personIds: [p.proposed_by_person_id],
        subject: `extension proposal for stage ${stage.number} lapsed`,
        lines: [`The extension proposed for stage ${stage.number} of ${row.reference} lapsed: ${why}.`],
      });
    }
    await this.audit.recordMany(
      uow.em,
      uow.ctx,
      lapsed.map((p) => ({
        action: 'ESCALATION_EXTENSION_LAPSED',
        entityType: 'Escalation',
        entityId: p.escalation_id,
        detail: { stage: stageNumbers.get(p.id), proposal: p.id, why },
      })),
    );
  }
}
