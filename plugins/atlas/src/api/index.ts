export * from './AtlasStatusApi';
export * from './AtlasStatusClient';
export * from './sse';
