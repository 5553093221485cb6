/*
 * The case's GraphQL models now live in dto/ (one file per type family). These re-exports keep the write side's
 * imports working until they point at dto/ directly; then this file goes.
 */
export * from './dto/escalation-enums';
export * from './dto/child-record.model';
export * from './dto/escalation-stage.model';
export * from './dto/escalation-outcome.model';
export * from './dto/escalation-event.model';
export * from './dto/escalation-note.model';
export * from './dto/legal-hold.model';
export * from './dto/escalation.model';
export * from './dto/escalation-payloads.model';
