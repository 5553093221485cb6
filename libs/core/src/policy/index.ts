export * from './types';
export * from './ladder';
export * from './validate-policy';
