export * from './WorkspaceView';
