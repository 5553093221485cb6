export * from './deadline-effects';
export * from './deadline-runner';
export * from './persistence/deadline.repository';
export * from './persistence/outbox.repository';
export * from './queues';
export * from './system-context';
