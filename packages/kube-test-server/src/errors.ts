import { KubeStatus, StatusDetails } from './types';

const reasonByCode: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/**
 * An error the API answers with a `Status` object. Programmatic hooks throw it too.
 *
 * @public
 */
export class KubeApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details?: StatusDetails;

  constructor(
    code: number,
    message: string,
    options: { reason?: string; details?: StatusDetails } = {},
  ) {
    super(message);
    this.name = 'KubeApiError';
    this.code = code;
    this.reason = options.reason ?? reasonByCode[code] ?? 'Unknown';
    this.details = options.details;
  }

  /** The `Status` object for this error. */
  toStatus(): KubeStatus {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** What error messages need to know about a type. */
export interface QualifiedResource {
  group: string;
  plural: string;
  kind: string;
}

/** `configmaps` or `deployments.apps`, as kube-apiserver names a resource in messages. */
export function qualifiedName(type: { group: string; plural: string }): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

function details(type: QualifiedResource, name: string): StatusDetails {
  return { name, group: type.group || undefined, kind: type.plural };
}

export function notFound(type: QualifiedResource, name: string): KubeApiError {
  return new KubeApiError(404, `${qualifiedName(type)} "${name}" not found`, {
    details: details(type, name),
  });
}

export function alreadyExists(
  type: QualifiedResource,
  name: string,
): KubeApiError {
  return new KubeApiError(
    409,
    `${qualifiedName(type)} "${name}" already exists`,
    {
      reason: 'AlreadyExists',
      details: details(type, name),
    },
  );
}

export function conflict(type: QualifiedResource, name: string): KubeApiError {
  return new KubeApiError(
    409,
    `Operation cannot be fulfilled on ${qualifiedName(
      type,
    )} "${name}": the object has been ` +
      'modified; please apply your changes to the latest version and try again',
    { details: details(type, name) },
  );
}

export function invalid(
  type: QualifiedResource,
  name: string,
  field: string,
  message: string,
): KubeApiError {
  return new KubeApiError(
    422,
    `${type.kind} "${name}" is invalid: ${field}: ${message}`,
    {
      details: {
        ...details(type, name),
        kind: type.kind,
        causes: [{ reason: 'FieldValueInvalid', message, field }],
      },
    },
  );
}

export function badRequest(message: string): KubeApiError {
  return new KubeApiError(400, message);
}

export function resourceNotFound(): KubeApiError {
  return new KubeApiError(
    404,
    'the server could not find the requested resource',
    {
      details: {},
    },
  );
}

export function expired(message: string): KubeApiError {
  return new KubeApiError(410, message);
}

export function tooLargeResourceVersion(
  requested: number,
  current: number,
): KubeApiError {
  return new KubeApiError(
    504,
    `Too large resource version: ${requested}, current: ${current}`,
    {
      details: {
        causes: [
          {
            reason: 'ResourceVersionTooLarge',
            message: 'Too large resource version',
          },
        ],
        retryAfterSeconds: 1,
      },
    },
  );
}

/** A Status for an injected failure. */
export function injectedFailure(
  code: number,
  message?: string,
  retryAfterSeconds?: number,
): KubeApiError {
  return new KubeApiError(code, message ?? `injected failure (${code})`, {
    details:
      retryAfterSeconds !== undefined ? { retryAfterSeconds } : undefined,
  });
}
