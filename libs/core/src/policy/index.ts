export * from './types';
export * from './ladder';
export * from './validate-policy';
export * from './internal-ladder';
