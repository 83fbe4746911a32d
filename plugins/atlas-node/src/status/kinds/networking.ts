import { pick, trimConditions, trimMetadata } from '../../cluster/trim';
import { findCondition } from './conditions';
import type { KindInterpreter } from './types';

/**
 * Ingress (`networking.k8s.io/v1`): its URL from the first rule's host, and the address the
 * ingress controller published in `status.loadBalancer.ingress`, if any.
 *
 * Ready once it exists: Cilium's ingress controller in host-network mode (the Kind setup) never
 * publishes an address (cilium/cilium#34738), so a missing address cannot mean "stuck"; it is
 * shown as a fact.
 *
 * @public
 */
export const ingressInterpreter: KindInterpreter = {
  group: 'networking.k8s.io',
  kind: 'Ingress',
  trim: o => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: trimMetadata(o.metadata),
    spec: {
      ...pick(o.spec, ['ingressClassName']),
      hosts: (o.spec?.rules ?? [])
        .map((r: { host?: string }) => r.host)
        .filter(Boolean),
      tls: Array.isArray(o.spec?.tls) && o.spec.tls.length > 0,
    },
    status: {
      addresses: (o.status?.loadBalancer?.ingress ?? [])
        .map((i: { ip?: string; hostname?: string }) => i.ip ?? i.hostname)
        .filter(Boolean),
    },
  }),
  interpret(o) {
    const hosts: string[] = o.spec?.hosts ?? [];
    const addresses: string[] = o.status?.addresses ?? [];
    const url = hosts[0]
      ? `${o.spec?.tls ? 'https' : 'http'}://${hosts[0]}`
      : undefined;
    const facts = {
      ...(url ? { url } : {}),
      hosts,
      addresses,
      ...(o.spec?.ingressClassName
        ? { ingressClass: o.spec.ingressClassName }
        : {}),
    };
    const where = url ?? 'no host';
    return {
      health: 'ready',
      summary: addresses.length
        ? `${where} at ${addresses.join(', ')}`
        : `${where} (no load-balancer address published)`,
      facts,
    };
  },
};

/**
 * CiliumNetworkPolicy (`cilium.io/v2`): ready once it exists unless Cilium reports
 * `Valid=False` (printer column Valid).
 *
 * @public
 */
export const ciliumNetworkPolicyInterpreter: KindInterpreter = {
  group: 'cilium.io',
  kind: 'CiliumNetworkPolicy',
  trim: o => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: trimMetadata(o.metadata),
    status: { conditions: trimConditions(o.status?.conditions) ?? [] },
  }),
  interpret(o) {
    const valid = findCondition(o, 'Valid');
    const conditions = o.status?.conditions;
    if (valid?.status === 'False') {
      return {
        health: 'failed',
        summary: `rejected by Cilium: ${valid.message ?? valid.reason}`,
        facts: {},
        conditions,
      };
    }
    return {
      health: 'ready',
      summary: valid?.status === 'True' ? 'valid' : 'in place',
      facts: {},
      conditions,
    };
  },
};
