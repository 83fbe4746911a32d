/**
 * Mini-Atlas common library: the abstraction registry (KRO SimpleSchema to JSON Schema plus each
 * abstraction's overlay), name rules, the offline KRO render used for previews and validation,
 * and the types the status API returns. Safe for both the browser and Node.
 *
 * @packageDocumentation
 */

export * from './constants';
export * from './kube';
export * from './schema/types';
export * from './schema/simpleSchema';
export * from './schema/validateSpec';
export * from './cel/expressions';
export * from './registry/abstraction';
export * from './registry/registry';
export * from './registry/instances';
export * from './names/names';
export * from './render/render';
export * from './render/checkAbstraction';
export * from './registry/requestFiles';
export * from './permissions/membership';
export * from './status';
export * from './catalog/entities';
