/**
 * Errors of an HTTP answer, one class per status as HTTP defines it (400, 401, 403, 404, 409, 412,
 * 413, 422, 429, 5xx), refined where the server's detail text says more (an invalid transition is
 * a 400, a gone subscription a 404). Locally detected errors use the status the server would have
 * answered.
 */
import { redactText, redactUrl } from '../redact.js';
import { MaestroError, redactDeep, type MaestroErrorOptions } from './base.js';

/** Longest `body` excerpt an {@link HttpError} keeps. */
export const MAX_ERROR_BODY_CHARS = 512;

/** What an {@link HttpError} is built from. `method`/`url` are absent for errors detected locally. */
export interface HttpErrorInit extends MaestroErrorOptions {
  /** HTTP status; for locally detected errors, the status the server would have answered. */
  status?: number;
  /** The server's `detail` (or `message`/`error`) text, or a local explanation. */
  detail: string;
  /** Request method, upper case. */
  method?: string;
  /** Full request URL; stored redacted. */
  url?: string;
  /** Response body excerpt; stored redacted and cut to {@link MAX_ERROR_BODY_CHARS}. */
  body?: string;
  /** The request id from the response headers, if the server sent one. */
  requestId?: string;
}

export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split(/[?#]/)[0] ?? url;
  }
}

function capBody(body: string, secrets: readonly string[]): string {
  const clean = redactText(body, secrets);
  return clean.length > MAX_ERROR_BODY_CHARS ? `${clean.slice(0, MAX_ERROR_BODY_CHARS - 1)}…` : clean;
}

/**
 * The server answered with an error status. The message reads `"<METHOD> <path>: <status> <detail>"`;
 * the full URL, redacted, is only in `url`.
 */
export class HttpError extends MaestroError {
  static override readonly errorName: string = 'HttpError';
  /** Default status of this class when built locally. */
  protected static readonly defaultStatus: number = 0;
  /** HTTP status (0 never occurs here; see {@link NetworkError}). */
  readonly status: number;
  /** The server's error text (redacted). */
  readonly detail: string;
  /** Request method, or undefined for a locally detected error. */
  readonly method: string | undefined;
  /** Redacted request URL, or undefined for a locally detected error. */
  readonly url: string | undefined;
  /** Redacted response body, at most 512 characters. */
  readonly body: string | undefined;
  /** Request id from the response headers, if any. */
  readonly requestId: string | undefined;

  constructor(init: HttpErrorInit) {
    const secrets = init.secrets ?? [];
    const ctor = new.target as unknown as { defaultStatus: number };
    const status = init.status ?? ctor.defaultStatus;
    const url = init.url === undefined ? undefined : redactUrl(init.url, secrets);
    const detail = redactText(init.detail, secrets);
    const message =
      init.method && url !== undefined ? `${init.method.toUpperCase()} ${pathOf(url)}: ${status} ${detail}` : detail;
    super(message, init);
    this.status = status;
    this.detail = detail;
    this.method = init.method?.toUpperCase();
    this.url = url;
    this.body = init.body === undefined ? undefined : capBody(init.body, secrets);
    this.requestId = init.requestId === undefined ? undefined : this.redact(init.requestId);
  }
}

/** 400: the server refused the request as malformed or not allowed. */
export class BadRequestError extends HttpError {
  static override readonly errorName: string = 'BadRequestError';
  protected static override readonly defaultStatus: number = 400;
}

/** Options of {@link InvalidTransitionError}. */
export interface InvalidTransitionInit extends HttpErrorInit {
  /** The node's current state, when known. */
  from?: string;
  /** The requested state. */
  to?: string;
}

/** 400 `Transition not allowed with state: …`, or the same move refused locally by `canTransition`. */
export class InvalidTransitionError extends BadRequestError {
  static override readonly errorName: string = 'InvalidTransitionError';
  /** The node's state before the refused move, when known. */
  readonly from: string | undefined;
  /** The refused target state, when known. */
  readonly to: string | undefined;
  constructor(init: InvalidTransitionInit) {
    super(init);
    this.from = init.from === undefined ? undefined : this.redact(init.from);
    this.to = init.to === undefined ? undefined : this.redact(init.to);
  }
}

/** One validation problem: where (`loc`, e.g. `["body", "name"]`) and what (`msg`). */
export interface ValidationIssue {
  /** Location path of the offending value. */
  loc: readonly (string | number)[];
  /** Human-readable message (redacted). */
  msg: string;
  /** Machine-readable error type, when the server gave one. */
  type?: string;
}

/** Options of {@link ValidationError}. */
export interface ValidationErrorInit extends HttpErrorInit {
  /** The individual problems. */
  issues?: readonly ValidationIssue[];
}

/** 422 request validation, a 400 from the kind's schema validation, or invalid input refused locally. */
export class ValidationError extends HttpError {
  static override readonly errorName: string = 'ValidationError';
  protected static override readonly defaultStatus: number = 422;
  /** The individual problems; the server's echoed `input` values are never kept. */
  readonly issues: readonly ValidationIssue[];
  constructor(init: ValidationErrorInit) {
    super(init);
    const secrets = init.secrets ?? [];
    this.issues = Object.freeze(
      (init.issues ?? []).map((i) => ({
        loc: i.loc.map((p) => (typeof p === 'number' ? p : redactText(String(p), secrets))),
        msg: redactText(i.msg, secrets),
        ...(i.type === undefined ? {} : { type: i.type }),
      })),
    );
  }
}

/** 401: no token, a bad, expired or revoked token, or no right to edit the node. */
export class UnauthorizedError extends HttpError {
  static override readonly errorName: string = 'UnauthorizedError';
  protected static override readonly defaultStatus: number = 401;
}

/** 403: the token is valid but the user lacks the required level (verified, admin, owner). */
export class ForbiddenError extends HttpError {
  static override readonly errorName: string = 'ForbiddenError';
  protected static override readonly defaultStatus: number = 403;
}

/** 404, or a KernelCI server's `200 null` for an unknown node id. */
export class NotFoundError extends HttpError {
  static override readonly errorName: string = 'NotFoundError';
  protected static override readonly defaultStatus: number = 404;
}

/** The subscription is unknown to the server or was reaped (404 `Subscription id not found: …`). */
export class SubscriptionGoneError extends NotFoundError {
  static override readonly errorName: string = 'SubscriptionGoneError';
}

/** 409: the request conflicts with the stored state. */
export class ConflictError extends HttpError {
  static override readonly errorName: string = 'ConflictError';
  protected static override readonly defaultStatus: number = 409;
}

/** Options of {@link PreconditionFailedError}. */
export interface PreconditionFailedInit extends HttpErrorInit {
  /** What the `expect` guard or `If-Match` required. */
  expected?: unknown;
  /** What was actually stored. */
  actual?: unknown;
}

/** 412 `Precondition failed: node has been modified`, or a failed `expect` guard (nothing was written). */
export class PreconditionFailedError extends HttpError {
  static override readonly errorName: string = 'PreconditionFailedError';
  protected static override readonly defaultStatus: number = 412;
  /** What the guard required, when known. */
  readonly expected: unknown;
  /** What the stored node showed, when known. */
  readonly actual: unknown;
  constructor(init: PreconditionFailedInit) {
    super(init);
    this.expected = redactDeep(init.expected, this.redact);
    this.actual = redactDeep(init.actual, this.redact);
  }
}

/** 422 `Idempotency-Key has already been used with a different request`: the key was reused for another body. */
export class IdempotencyConflictError extends HttpError {
  static override readonly errorName: string = 'IdempotencyConflictError';
  protected static override readonly defaultStatus: number = 422;
}

/** Options of {@link ResultsAlreadySubmittedError}. */
export interface ResultsAlreadySubmittedInit extends HttpErrorInit {
  /** The root node whose results were already submitted. */
  rootId?: string;
}

/** The root node already has children, so its results were submitted before. */
export class ResultsAlreadySubmittedError extends ConflictError {
  static override readonly errorName: string = 'ResultsAlreadySubmittedError';
  /** The root node's id, when known. */
  readonly rootId: string | undefined;
  constructor(init: ResultsAlreadySubmittedInit) {
    super(init);
    this.rootId = init.rootId === undefined ? undefined : this.redact(init.rootId);
  }
}

/** 413 `Request body too large`, or a body over 32 MiB refused before sending. */
export class OversizedBodyError extends HttpError {
  static override readonly errorName: string = 'OversizedBodyError';
  protected static override readonly defaultStatus: number = 413;
}

/** Options of {@link RateLimitError}. */
export interface RateLimitInit extends HttpErrorInit {
  /** The server's `Retry-After`, in milliseconds. */
  retryAfterMs?: number;
}

/** 429: too many requests (login rate limit); `retryAfterMs` comes from `Retry-After`. */
export class RateLimitError extends HttpError {
  static override readonly errorName: string = 'RateLimitError';
  protected static override readonly defaultStatus: number = 429;
  /** How long the server asked to wait, in milliseconds, when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(init: RateLimitInit) {
    super(init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** 5xx: the server failed. */
export class ServerError extends HttpError {
  static override readonly errorName: string = 'ServerError';
  protected static override readonly defaultStatus: number = 500;
}
