import { Global, Module } from '@nestjs/common';
import { CalendarModule } from '@hips/calendar';
import { DeadlineEffects, DeadlineRepository, OutboxRepository } from '@hips/deadlines';
import { DirectoryModule } from '@hips/directory';
import { OpenCaseRetiming, PoliciesModule } from '@hips/policies';
import { ApplyDeadlinesHandler } from './application/apply-deadlines.handler';
import { CaseActionRunner } from './application/case-action-runner.service';
import { CaseChronicle } from './application/case-chronicle.service';
import { CaseRecordHandler } from './application/case-record.handler';
import { ClosingActionsHandler } from './application/closing-actions.handler';
import { RaiseEscalationHandler } from './application/raise-escalation.handler';
import { RetimeOpenCasesHandler } from './application/retime-open-cases.handler';
import { StageActionsHandler } from './application/stage-actions.handler';
import { ExtensionProposalLapse } from './application/extension-proposal-lapse.service';
import { StageExtension } from './application/stage-extension.service';
import { StageExtensionAgreementHandler } from './application/stage-extension-agreement.handler';
import {
  StageExtensionFieldsResolver,
  StageExtensionProposalFieldsResolver,
  StageExtensionResolver,
} from './api/stage-extension.resolver';
import { StageExtensionProposalRepository } from './persistence/stage-extension-proposal.repository';
import { StageClock } from './application/stage-clock.service';
import { StageOwnerRouter } from './application/stage-owner-router.service';
import { CaseNotifier } from './application/case-notifier.service';
import { EscalationReadService } from './application/escalation-read.service';
import { EscalationsResolver } from './api/escalations.resolver';
import { EscalationFieldsResolver } from './api/escalation-fields.resolver';
import { EscalationChildrenResolver } from './api/escalation-children.resolver';
import {
  AgreedActionFieldsResolver,
  EscalationEventFieldsResolver,
  EscalationStageFieldsResolver,
} from './api/escalation-detail-fields.resolver';
import { OverdueDeadlinesResolver } from './api/overdue-deadlines.resolver';
import { OverdueDeadlinesService } from './application/overdue-deadlines.service';
import { CaseRepository } from './persistence/case.repository';
import { ChildRecordRepository } from './persistence/child-record.repository';
import { EventRepository } from './persistence/event.repository';
import { IntakeRepository } from './persistence/intake.repository';
import { NoteRepository } from './persistence/note.repository';
import { StageRepository } from './persistence/stage.repository';
import { LegalHoldFieldsResolver, RetentionResolver } from './api/retention.resolver';
import { RetentionService } from './application/retention.service';
import { RetimingPreviewService } from './application/retiming-preview.service';
import { RecordReflectiveMeetingHandler } from './application/record-reflective-meeting.handler';
import { ReflectiveMeetingReadService } from './application/reflective-meeting-read.service';
import { ReflectiveMeetingRepository } from './persistence/reflective-meeting.repository';
import {
  ReflectiveMeetingFieldsResolver,
  ReflectiveMeetingPeopleResolver,
  ReflectiveMeetingResolver,
  ReflectiveParticipantFieldsResolver,
} from './api/reflective-meeting.resolver';

/**
 * The case's repositories: every statement on the case tables (docs/architecture.md "Modules"), and libs/deadlines'
 * on `deadlines` and `outbox`.
 */
const REPOSITORIES = [
  CaseRepository,
  StageRepository,
  EventRepository,
  DeadlineRepository,
  OutboxRepository,
  IntakeRepository,
  ChildRecordRepository,
  NoteRepository,
  ReflectiveMeetingRepository,
  StageExtensionProposalRepository,
];

/** The case's use cases and the services they share. */
const APPLICATION = [
  StageOwnerRouter,
  CaseNotifier,
  CaseChronicle,
  ExtensionProposalLapse,
  StageClock,
  StageExtension,
  StageExtensionAgreementHandler,
  CaseActionRunner,
  RaiseEscalationHandler,
  StageActionsHandler,
  ClosingActionsHandler,
  CaseRecordHandler,
  RetimeOpenCasesHandler,
  ApplyDeadlinesHandler,
  RecordReflectiveMeetingHandler,
  ReflectiveMeetingReadService,
];

/**
 * The escalation case (docs/api/escalations.md). Policies, calendars and org-structure routing are called
 * directly. Where a lower library must reach the case, it declares an abstract provider that this module binds:
 * DeadlineEffects (the deadline runner) and OpenCaseRetiming (publishing a policy). The module is global so that
 * those bindings resolve inside the lower libraries' modules (docs/decisions/0002-dependency-direction.md).
 */
@Global()
@Module({
  imports: [DirectoryModule, PoliciesModule, CalendarModule],
  providers: [
    ...REPOSITORIES,
    ...APPLICATION,
    { provide: DeadlineEffects, useExisting: ApplyDeadlinesHandler },
    { provide: OpenCaseRetiming, useExisting: RetimeOpenCasesHandler },
    RetimingPreviewService,
    EscalationReadService,
    EscalationsResolver,
    EscalationFieldsResolver,
    EscalationChildrenResolver,
    EscalationStageFieldsResolver,
    AgreedActionFieldsResolver,
    EscalationEventFieldsResolver,
    RetentionService,
    RetentionResolver,
    OverdueDeadlinesService,
    OverdueDeadlinesResolver,
    LegalHoldFieldsResolver,
    ReflectiveMeetingResolver,
    ReflectiveMeetingFieldsResolver,
    ReflectiveMeetingPeopleResolver,
    ReflectiveParticipantFieldsResolver,
    StageExtensionResolver,
    StageExtensionFieldsResolver,
    StageExtensionProposalFieldsResolver,
  ],
  exports: [
    RaiseEscalationHandler,
    StageActionsHandler,
    ClosingActionsHandler,
    CaseRecordHandler,
    EscalationReadService,
    RetentionService,
    DeadlineEffects,
    OpenCaseRetiming,
  ],
})
export class EscalationsModule {}
