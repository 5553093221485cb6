export {
  caseVisibility,
  type CaseParties,
  type CaseViewer,
  type ChildChain,
} from './access/case-visibility.policy';
export * from './api/escalation-detail-fields.resolver';
export * from './api/escalation-events.resolver';
export * from './api/escalation-fields.resolver';
export * from './api/escalation.loader';
export * from './api/escalations.resolver';
export * from './api/overdue-deadlines.resolver';
export * from './api/retention.resolver';
export * from './application/escalation-read.service';
export * from './application/overdue-deadlines.service';
export * from './application/retention.service';
export * from './child-crypto';
export * from './dto/escalation.inputs';
export * from './dto/overdue-deadline.model';
export * from './escalation.entity';
export * from './escalation.models';
export * from './escalations.module';
export * from './escalations.service';
export * from './events/escalation-event-bus.service';
export * from './events/escalation-event-channel';
export * from './events/escalation-event-stream';
export * from './events/escalation-events.module';
export * from './events/event-dispatcher';
export * from './events/relay-escalation-events';
export * from './mappers';
export * from './seams';
