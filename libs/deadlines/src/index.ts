export * from './deadline-effects';
export * from './deadline-runner';
export * from './queues';
