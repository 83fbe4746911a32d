import { trimGeneric } from '../../cluster/trim';
import { explainCondition, findCondition } from './conditions';
import type { KindInterpreter } from './types';

/**
 * Any other kind: `Ready` condition when there is one, else `status.phase`, else ready once it
 * exists.
 *
 * @public
 */
export const genericInterpreter: KindInterpreter = {
  group: '*',
  kind: '*',
  trim: trimGeneric,
  interpret(o) {
    const ready = findCondition(o, 'Ready');
    const conditions = o.status?.conditions;
    const phase = o.status?.phase;
    const facts: Record<string, string> = phase ? { phase: String(phase) } : {};
    if (ready?.status === 'True')
      return { health: 'ready', summary: 'Ready', facts, conditions };
    if (ready)
      return {
        health: 'progressing',
        summary: explainCondition(ready) || 'not ready',
        facts,
        conditions,
      };
    return {
      health: 'ready',
      summary: phase ? String(phase) : 'exists',
      facts,
      conditions,
    };
  },
};
