export * from './types';
export * from './route-owner';
export * from './structural-problems';
