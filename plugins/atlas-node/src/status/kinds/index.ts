import { splitApiVersion } from '@mini-atlas/plugin-atlas-common';
import { cnpgClusterInterpreter } from './cnpg';
import {
  deploymentInterpreter,
  limitRangeInterpreter,
  namespaceInterpreter,
  resourceQuotaInterpreter,
  serviceInterpreter,
} from './core';
import {
  gitRepositoryInterpreter,
  helmReleaseInterpreter,
  kustomizationInterpreter,
} from './flux';
import { genericInterpreter } from './generic';
import { rgdInterpreter } from './kro';
import { validatingPolicyInterpreter } from './kyverno';
import {
  ciliumNetworkPolicyInterpreter,
  ingressInterpreter,
} from './networking';
import { kafkaTopicInterpreter } from './strimzi';
import type { KindInterpreter } from './types';

export * from './types';
export * from './conditions';
export * from './core';
export * from './networking';
export * from './flux';
export * from './kro';
export * from './strimzi';
export * from './cnpg';
export * from './kyverno';
export * from './generic';

/**
 * Every kind whose status shape the portal knows, one interpreter each.
 *
 * @public
 */
export const KIND_INTERPRETERS: readonly KindInterpreter[] = [
  namespaceInterpreter,
  deploymentInterpreter,
  serviceInterpreter,
  resourceQuotaInterpreter,
  limitRangeInterpreter,
  ingressInterpreter,
  ciliumNetworkPolicyInterpreter,
  kustomizationInterpreter,
  gitRepositoryInterpreter,
  helmReleaseInterpreter,
  rgdInterpreter,
  kafkaTopicInterpreter,
  cnpgClusterInterpreter,
  validatingPolicyInterpreter,
];

const byGroupKind = new Map(
  KIND_INTERPRETERS.map(i => [`${i.group}/${i.kind}`, i]),
);

/**
 * The interpreter of a kind (any version of its group), or the generic one.
 *
 * @public
 */
export function interpreterFor(
  apiVersion: string,
  kind: string,
): KindInterpreter {
  const { group } = splitApiVersion(apiVersion);
  return byGroupKind.get(`${group}/${kind}`) ?? genericInterpreter;
}
