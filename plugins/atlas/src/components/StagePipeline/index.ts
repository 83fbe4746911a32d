export * from './StagePipeline';
