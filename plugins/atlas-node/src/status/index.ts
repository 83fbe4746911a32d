export * from './kinds';
export * from './gitHistory';
export * from './stages';
export * from './StatusService';
export * from './statusServiceRef';
export * from './simulate';
