import type {
  Condition,
  Health,
  KubeObject,
} from '@mini-atlas/plugin-atlas-common';

/**
 * What an object's status says, in the terms of the views.
 *
 * @public
 */
export interface Interpretation {
  health: Health;
  /** One line for people. */
  summary: string;
  facts: Record<string, string | number | boolean | string[]>;
  conditions?: Condition[];
}

/**
 * Knows one kind's status shape, exactly as its controller writes it: which fields to keep in
 * the cache, and what they mean.
 *
 * @public
 */
export interface KindInterpreter {
  /** API group (`''` for the core group); any version matches. */
  group: string;
  kind: string;
  /** Keeps only the fields {@link KindInterpreter.interpret} and the views read. */
  trim(object: KubeObject): KubeObject;
  interpret(object: KubeObject): Interpretation;
}
