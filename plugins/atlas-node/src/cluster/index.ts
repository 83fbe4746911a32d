export * from './types';
export * from './kubeconfig';
export * from './kubeHttp';
export * from './discovery';
export * from './trim';
export * from './ClusterCache';
export * from './clusterCacheServiceRef';
