/**
 * A JSON Schema object as used for instance specs and Kubernetes OpenAPI schemas (draft-07
 * keywords plus the `x-kubernetes-*` extensions).
 *
 * @public
 */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  title?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  pattern?: string;
  format?: string;
  [extension: string]: unknown;
}
