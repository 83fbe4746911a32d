import {
  isPlainObject,
  type KubeObject,
} from '@mini-atlas/plugin-atlas-common';
import { pick, trimConditions, trimMetadata } from '../../cluster/trim';
import { explainCondition, findCondition } from './conditions';
import type { KindInterpreter } from './types';

/** Status fields every KRO instance has; the rest come from the RGD's status expressions. */
const KRO_STATUS_KEYS = new Set(['state', 'conditions']);

/**
 * The scalar status fields an RGD's status expressions produced on an instance
 * (`availableReplicas`, `databasePhase`, ...), lists of scalars joined; nested objects left out.
 *
 * @public
 */
export function instanceStatusFields(
  status: unknown,
): Record<string, string | number | boolean> {
  const fields: Record<string, string | number | boolean> = {};
  if (!isPlainObject(status)) return fields;
  for (const [key, value] of Object.entries(status)) {
    if (KRO_STATUS_KEYS.has(key)) continue;
    if (
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'boolean'
    ) {
      fields[key] = value;
    } else if (
      Array.isArray(value) &&
      value.every(v => ['string', 'number', 'boolean'].includes(typeof v))
    ) {
      fields[key] = value.join(', ');
    }
  }
  return fields;
}

/**
 * Trims a KRO instance (any platform kind): its metadata, spec (small: bounded by the RGD's
 * schema), `status.state`, conditions and the scalar status fields.
 *
 * @public
 */
export function trimKroInstance(o: KubeObject): KubeObject {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: trimMetadata(o.metadata),
    spec: isPlainObject(o.spec) ? o.spec : {},
    status: {
      ...instanceStatusFields(o.status),
      ...pick(o.status, ['state']),
      conditions: trimConditions(o.status?.conditions) ?? [],
    },
  };
}

/**
 * KRO ResourceGraphDefinition (`kro.run/v1alpha1`): `status.state` `Active` or `Inactive`
 * (Active iff `GraphAccepted`, `KindReady` and `ControllerReady` are True), and the kind it
 * serves (`spec.schema`: kind, group, default `kro.run`, and version).
 *
 * @public
 */
export const rgdInterpreter: KindInterpreter = {
  group: 'kro.run',
  kind: 'ResourceGraphDefinition',
  trim: o => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: trimMetadata(o.metadata),
    spec: {
      schema: pick(o.spec?.schema, ['kind', 'group', 'apiVersion']),
    },
    status: {
      ...pick(o.status, ['state']),
      conditions: trimConditions(o.status?.conditions) ?? [],
    },
  }),
  interpret(o) {
    const state: string | undefined = o.status?.state;
    const conditions = o.status?.conditions;
    const schema = o.spec?.schema;
    const serves: string | undefined = schema?.kind
      ? `${schema.kind}.${schema.group ?? 'kro.run'}/${schema.apiVersion}`
      : undefined;
    const facts = {
      ...(state ? { state } : {}),
      ...(serves ? { serves } : {}),
    };
    if (state === 'Active')
      return {
        health: 'ready',
        summary: serves ? `Active, serves ${serves}` : 'Active',
        facts,
        conditions,
      };
    const failing = [
      'GraphAccepted',
      'ResourceGraphAccepted',
      'KindReady',
      'ControllerReady',
      'GraphRevisionsResolved',
      'Ready',
    ]
      .map(type => findCondition(o, type))
      .find(c => c && c.status !== 'True');
    if (state === 'Inactive')
      return {
        health: failing?.status === 'Unknown' ? 'progressing' : 'failed',
        summary: `Inactive: ${explainCondition(failing) || 'not accepted'}`,
        facts,
        conditions,
      };
    return {
      health: 'progressing',
      summary: 'waiting for KRO to accept it',
      facts,
      conditions,
    };
  },
};
