// The procedure as pure TypeScript (docs/architecture.md): no Nest, no I/O, no clock; instants are arguments.
export * from './calendar';
export * from './policy';
export * from './child/nhs-number';
export * from './routing';
export * from './escalation';
export * from './disclosure';
export * from './retention';
