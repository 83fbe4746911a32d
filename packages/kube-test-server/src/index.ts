/**
 * A protocol-level Kubernetes API server for tests, end-to-end runs and benchmarks: discovery,
 * list, watch and writes over real HTTP the way kube-apiserver answers them, so code using
 * `@kubernetes/client-node` runs against it unchanged, plus programmatic hooks, request counters
 * and fault injection.
 *
 * @packageDocumentation
 */

export { startKubeTestServer } from './server';
export { builtInTypes, addOnCrdTypes } from './builtinTypes';
export { KubeApiError } from './errors';
export { parseFixtures, readFixtureFile } from './fixtures';
export type {
  FailNextOptions,
  KubeObject,
  KubeObjectMeta,
  KubeStatus,
  KubeTestServer,
  KubeTestServerOptions,
  ObjectRef,
  RequestCounts,
  RequestRecord,
  ResourceType,
  StatusDetails,
  TypeRef,
  WatchInfo,
} from './types';
