/*
 * The case's GraphQL inputs now live in dto/*.input.ts (one file per type family). These re-exports keep the write
 * side's imports working until they point at those files directly; then this file goes.
 */
export * from './raise-escalation.input';
export * from './case-action.input';
export * from './escalation-filter.input';
export * from './legal-hold.input';
