/**
 * metav1.Status errors, shaped exactly as kube-apiserver writes them
 * (k8s.io/apimachinery/pkg/api/errors). Every rejection the emulator makes is one of these.
 */
import { aggregate, errorBody, type FieldError } from './field-errors.js';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string; resourceVersion?: string };
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}

/** Identifies a resource in messages: `backends.core.apoxy.dev "b1"` / `Backend.core.apoxy.dev "b1"`. */
export interface GroupResource {
  group: string;
  resource: string;
}
export interface GroupKind {
  group: string;
  kind: string;
}

function qualified(name: string, group: string): string {
  return group ? `${name}.${group}` : name;
}

export class StatusError extends Error {
  readonly status: StatusBody;
  /** Extra response headers (Retry-After, ...). */
  readonly headers: Record<string, string>;

  constructor(code: number, reason: string | undefined, message: string, details?: StatusDetails, headers: Record<string, string> = {}) {
    super(message);
    const body: StatusBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message };
    if (reason) body.reason = reason;
    if (details && Object.keys(details).length) body.details = details;
    else if (details) body.details = {};
    body.code = code;
    this.status = body;
    this.headers = { ...headers };
    if (details?.retryAfterSeconds) this.headers['Retry-After'] = String(details.retryAfterSeconds);
  }

  get code(): number {
    return this.status.code!;
  }
  get reason(): string | undefined {
    return this.status.reason;
  }
}

function details(gr: GroupResource | GroupKind, name: string, extra: Partial<StatusDetails> = {}): StatusDetails {
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (gr.group) d.group = gr.group;
  d.kind = 'resource' in gr ? gr.resource : gr.kind;
  return { ...d, ...extra };
}

export const errors = {
  notFound(gr: GroupResource, name: string): StatusError {
    return new StatusError(404, 'NotFound', `${qualified(gr.resource, gr.group)} ${JSON.stringify(name)} not found`, details(gr, name));
  },
  alreadyExists(gr: GroupResource, name: string, prefix = ''): StatusError {
    return new StatusError(409, 'AlreadyExists', `${prefix}${qualified(gr.resource, gr.group)} ${JSON.stringify(name)} already exists`, details(gr, name));
  },
  generatedNameConflict(gr: GroupResource, name: string): StatusError {
    return new StatusError(
      409,
      'AlreadyExists',
      `${qualified(gr.resource, gr.group)} ${JSON.stringify(name)} already exists, the server was not able to generate a unique name for the object`,
      details(gr, name, { retryAfterSeconds: 1 }),
    );
  },
  conflict(gr: GroupResource | GroupKind, name: string, why: string): StatusError {
    const what = 'resource' in gr ? gr.resource : gr.kind;
    return new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(what, gr.group)} ${JSON.stringify(name)}: ${why}`, details(gr, name));
  },
  /** Invalid with field causes. `gk` may carry a resource instead of a kind (PUT without resourceVersion). */
  invalid(gk: GroupKind | GroupResource, name: string, errs: readonly FieldError[]): StatusError {
    const what = 'resource' in gk ? gk.resource : gk.kind;
    const causes = errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
    return new StatusError(422, 'Invalid', `${qualified(what, gk.group)} ${JSON.stringify(name)} is invalid: ${aggregate(errs)}`, details(gk, name, { causes }));
  },
  badRequest(message: string): StatusError {
    return new StatusError(400, 'BadRequest', message);
  },
  internal(message: string): StatusError {
    // An error that is not a Status error: 500, no reason (responsewriters.ErrorToAPIStatus).
    return new StatusError(500, undefined, message);
  },
  internalError(message: string): StatusError {
    // apierrors.NewInternalError
    return new StatusError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
  },
  methodNotAllowed(): StatusError {
    return new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
  },
  notFoundGeneric(): StatusError {
    return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  },
  unsupportedMediaType(accepted: readonly string[]): StatusError {
    return new StatusError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    );
  },
  notAcceptable(accepted: readonly string[]): StatusError {
    return new StatusError(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`);
  },
  requestEntityTooLarge(message: string): StatusError {
    return new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
  },
  gone(message: string): StatusError {
    return new StatusError(410, 'Expired', message);
  },
  /** apierrors.NewForbidden for no particular resource: its message starts "forbidden: ". */
  forbidden(reason: string): StatusError {
    return new StatusError(403, 'Forbidden', `forbidden: ${reason}`, {});
  },
  unauthorized(): StatusError {
    return new StatusError(401, 'Unauthorized', 'Unauthorized');
  },
  tooManyRequests(message: string, retryAfterSeconds: number): StatusError {
    return new StatusError(429, 'TooManyRequests', message, { retryAfterSeconds });
  },
  /** apierrors.NewTimeoutError, which prefixes the message with "Timeout: ". */
  timeout(message: string, retryAfterSeconds?: number): StatusError {
    return new StatusError(504, 'Timeout', `Timeout: ${message}`, retryAfterSeconds ? { retryAfterSeconds } : undefined);
  },
  serviceUnavailable(message: string, retryAfterSeconds?: number): StatusError {
    return new StatusError(503, 'ServiceUnavailable', message, retryAfterSeconds ? { retryAfterSeconds } : undefined);
  },
};

/** Status body for a successful delete: no `code` field, as the real server writes it. */
export function successStatus(gr: GroupResource, name: string, uid?: string): StatusBody {
  const d = details(gr, name);
  if (uid) d.uid = uid;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: d };
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}
