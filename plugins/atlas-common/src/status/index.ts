export * from './types';
export * from './overall';
