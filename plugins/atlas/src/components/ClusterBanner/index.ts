export * from './ClusterBanner';
