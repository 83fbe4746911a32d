/**
 * Mini-Atlas backend services: reading and validating the gitops folder, writing requests to
 * Git, the cluster cache and the status model.
 *
 * @packageDocumentation
 */

export * from './gitops/tree';
export * from './validation/schemaCatalog';
export * from './validation/samples';
export * from './validation/validateGitops';
export * from './validation/crdsDir';
export * from './gitops/GitopsService';
export * from './gitops/gitopsServiceRef';
export * from './git/gitWriter';
export * from './requests/prepareRequest';
export * from './testing/tempGitopsRepo';
export * from './cluster';
export * from './status';
