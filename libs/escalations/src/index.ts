export * from './child-crypto';
export {
  caseVisibility,
  type CaseParties,
  type CaseViewer,
  type ChildChain,
} from './access/case-visibility.policy';
export * from './dto/escalation.inputs';
export * from './escalation-events.module';
export * from './escalation-events.pubsub';
export * from './escalation-read.service';
export * from './escalation.entity';
export * from './escalation.models';
export * from './escalations.module';
export * from './escalations.resolver';
export * from './escalations.service';
export * from './mappers';
export * from './retention.resolver';
export * from './retention.service';
export * from './seams';
export * from './jobs/relay-events';
