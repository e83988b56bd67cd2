/**
 * Domain errors. Services throw these, never Nest's HttpExceptions; the global exception filter
 * turns them into KernelCI's bodies: `{"detail": "<string>"}` for explicit errors and
 * `{"detail": [{type, loc, msg, input}]}` for request-shape failures (docs/api-conventions.md#error-bodies-and-precedence).
 */
export interface ValidationIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input?: unknown;
}

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string | ValidationIssue[],
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof detail === 'string' ? detail : 'Request validation failed');
    this.name = new.target.name;
  }
}

/**
 * The base of an error that is only a status and a detail (with a default text where the API has
 * one): `class NotFoundError extends statusError(404, 'Not Found') {}`.
 */
function statusError<D extends string | ValidationIssue[] = string>(status: number, fallback?: NoInfer<D>) {
  return class extends DomainError {
    constructor(detail: D = fallback as D) {
      super(status, detail);
    }
  };
}

/** 400 with a string detail: domain validation after the request shape was accepted. */
export class BadRequestError extends statusError(400) {}

/** 401: no or bad credentials, or (with its own text) no right to edit a node. */
export class UnauthorizedError extends DomainError {
  constructor(detail = 'Unauthorized') {
    super(401, detail, { 'WWW-Authenticate': 'Bearer' });
  }
}

export class ForbiddenError extends statusError(403, 'Forbidden') {}

export class NotFoundError extends statusError(404, 'Not Found') {}

export class ConflictError extends statusError(409) {}

export class PreconditionFailedError extends statusError(412, 'Precondition failed: node has been modified') {}

export class PayloadTooLargeError extends statusError(413, 'Request body too large') {}

/** 422 with either the FastAPI-style issue list or, where the contract fixes one, a string. */
export class UnprocessableError extends statusError<string | ValidationIssue[]>(422) {}

export class TooManyRequestsError extends DomainError {
  constructor(detail: string, retryAfterSeconds: number) {
    super(429, detail, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}

export class GatewayTimeoutError extends statusError(504) {}

/** The exact text KernelCI answers for a malformed ObjectId (docs/api-conventions.md#error-bodies-and-precedence). */
export function invalidObjectIdMessage(value: string): string {
  return `'${value}' is not a valid ObjectId, it must be a 12-byte input or a 24-character hex string`;
}

/** Python's int() failure text, which KernelCI leaks in several places (docs/nodes.md). */
export function invalidIntMessage(value: string): string {
  return `invalid literal for int() with base 10: '${value}'`;
}
