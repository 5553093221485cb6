export {
  caseVisibility,
  type CaseParties,
  type CaseViewer,
  type ChildChain,
} from './access/case-visibility.policy';
export * from './access/case-action.policy';
export * from './api/escalation-detail-fields.resolver';
export * from './api/escalation-events.resolver';
export * from './api/escalation-fields.resolver';
export * from './api/escalation.loader';
export * from './api/escalations.resolver';
export * from './api/overdue-deadlines.resolver';
export * from './api/retention.resolver';
export { MAX_EXPECTED_BIRTH_MONTHS_AHEAD, REDIRECT_GUIDANCE } from './application/raise-rules';
export * from './application/case-chronicle.service';
export * from './application/case-record.handler';
export * from './application/closing-actions.handler';
export * from './application/raise-escalation.handler';
export * from './application/stage-actions.handler';
export * from './application/escalation-read.service';
export * from './application/extension-proposal-lapse.service';
export * from './application/overdue-deadlines.service';
export * from './application/retention.service';
export * from './application/stage-clock.service';
export * from './application/stage-owner-router.service';
export * from './application/case-notifier.service';
export * from './child-crypto';
export * from './dto/case-action.input';
export * from './dto/escalation-filter.input';
export * from './dto/legal-hold.input';
export * from './dto/raise-escalation.input';
export * from './dto/overdue-deadline.model';
export * from './escalation.entity';
export * from './dto/child-record.model';
export * from './dto/escalation-event.model';
export * from './dto/escalation-note.model';
export * from './dto/escalation-outcome.model';
export * from './dto/escalation-payloads.model';
export * from './dto/escalation-stage.model';
export * from './dto/escalation.model';
export * from './dto/legal-hold.model';
export * from './dto/escalation-enums';
export * from './escalations.module';
export * from './events/escalation-event-bus.service';
export * from './events/escalation-event-channel';
export * from './events/escalation-event-stream';
export * from './events/escalation-events.module';
export * from './events/event-dispatcher';
export * from './events/relay-escalation-events';
export * from './mappers';
export * from './persistence/case.repository';
export * from './persistence/event.repository';
export * from './persistence/stage.repository';
export * from './persistence/stage-extension-proposal.repository';
export * from './dto/stage-extension.model';
