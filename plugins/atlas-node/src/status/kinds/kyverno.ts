import { trimConditions, trimMetadata } from '../../cluster/trim';
import { explainCondition } from './conditions';
import type { KindInterpreter } from './types';

/**
 * Kyverno ValidatingPolicy (`policies.kyverno.io/v1`): `status.conditionStatus.ready` and its
 * conditions (the Foundation layer's `workspace-naming` policy).
 *
 * @public
 */
export const validatingPolicyInterpreter: KindInterpreter = {
  group: 'policies.kyverno.io',
  kind: 'ValidatingPolicy',
  trim: o => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: trimMetadata(o.metadata),
    status: {
      conditionStatus: {
        ...(typeof o.status?.conditionStatus?.ready === 'boolean'
          ? { ready: o.status.conditionStatus.ready }
          : {}),
        conditions: trimConditions(o.status?.conditionStatus?.conditions) ?? [],
      },
    },
  }),
  interpret(o) {
    const status = o.status?.conditionStatus ?? {};
    const conditions = status.conditions ?? [];
    if (status.ready === true)
      return { health: 'ready', summary: 'ready', facts: {}, conditions };
    const failing = conditions.find(
      (c: { status: string }) => c.status !== 'True',
    );
    return {
      health: status.ready === false && failing ? 'failed' : 'progressing',
      summary:
        explainCondition(failing) || 'waiting for Kyverno to load the policy',
      facts: {},
      conditions,
    };
  },
};
