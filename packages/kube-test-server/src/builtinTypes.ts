import { ResourceType } from './types';

/**
 * The kinds every server starts with: the core kinds Mini-Atlas uses, with the plurals, short
 * names and subresources kube-apiserver announces for them.
 *
 * @public
 */
export const builtInTypes: readonly ResourceType[] = [
  {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'Service',
    plural: 'services',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'Secret',
    plural: 'secrets',
    namespaced: true,
    statusSubresource: false,
  },
  {
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    namespaced: true,
    shortNames: ['cm'],
    statusSubresource: false,
  },
  {
    group: '',
    version: 'v1',
    kind: 'ResourceQuota',
    plural: 'resourcequotas',
    namespaced: true,
    shortNames: ['quota'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'LimitRange',
    plural: 'limitranges',
    namespaced: true,
    shortNames: ['limits'],
    statusSubresource: false,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    plural: 'ingresses',
    namespaced: true,
    shortNames: ['ing'],
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
  },
].map(t => ({ ...t, builtIn: true }));

/**
 * Custom resource kinds of the add-ons Mini-Atlas installs (KRO, Flux, Strimzi, CloudNativePG,
 * Cilium, Kyverno), at the versions `gitops/` uses. Not registered by default: pass them (or a
 * subset) as `types` to {@link startKubeTestServer}, as a cluster gets them from the add-ons' CRDs.
 *
 * @public
 */
export const addOnCrdTypes: readonly ResourceType[] = [
  {
    group: 'kro.run',
    version: 'v1alpha1',
    kind: 'ResourceGraphDefinition',
    plural: 'resourcegraphdefinitions',
    namespaced: false,
    shortNames: ['rgd'],
  },
  {
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    kind: 'GitRepository',
    plural: 'gitrepositories',
    namespaced: true,
    shortNames: ['gitrepo'],
  },
  {
    group: 'kustomize.toolkit.fluxcd.io',
    version: 'v1',
    kind: 'Kustomization',
    plural: 'kustomizations',
    namespaced: true,
    shortNames: ['ks'],
  },
  {
    group: 'helm.toolkit.fluxcd.io',
    version: 'v2',
    kind: 'HelmRelease',
    plural: 'helmreleases',
    namespaced: true,
    shortNames: ['hr'],
  },
  {
    group: 'kafka.strimzi.io',
    version: 'v1',
    kind: 'KafkaTopic',
    plural: 'kafkatopics',
    namespaced: true,
    shortNames: ['kt'],
    categories: ['strimzi'],
  },
  {
    group: 'postgresql.cnpg.io',
    version: 'v1',
    kind: 'Cluster',
    plural: 'clusters',
    namespaced: true,
  },
  {
    group: 'cilium.io',
    version: 'v2',
    kind: 'CiliumNetworkPolicy',
    plural: 'ciliumnetworkpolicies',
    namespaced: true,
    shortNames: ['cnp', 'ciliumnp'],
    categories: ['cilium', 'ciliumpolicy'],
  },
  {
    group: 'policies.kyverno.io',
    version: 'v1',
    kind: 'ValidatingPolicy',
    plural: 'validatingpolicies',
    namespaced: false,
    shortNames: ['vpol'],
    categories: ['kyverno'],
  },
];
