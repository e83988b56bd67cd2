/**
 * The SDK's error hierarchy (SDK A4). Every error extends {@link MaestroError} and carries the brand
 * `Symbol.for("maestro.sdk.error")`, whose value lists the class names of the error's chain; the
 * `is…Error` guards read that brand rather than `instanceof`, so they still work when the ESM and
 * CJS builds of the SDK are both loaded (SDK A12.1).
 *
 * Nothing an error renders may contain a credential (SDK A4.4): messages, string properties, URLs,
 * bodies and the `cause` chain pass through {@link redactText}/{@link redactUrl} on construction.
 */
import { redactText, redactUrl } from './redact.js';

/** The brand every SDK error carries; its value is the frozen list of class names of the error's chain. */
export const MAESTRO_ERROR_BRAND: unique symbol = Symbol.for('maestro.sdk.error') as never;

/** Longest `body` excerpt an {@link HttpError} keeps (SDK A4.1). */
export const MAX_ERROR_BODY_CHARS = 512;

/** Options every SDK error accepts. */
export interface MaestroErrorOptions {
  /** The underlying error; it is kept as a redacted copy, never as the original object. */
  cause?: unknown;
  /** Exact secrets to redact in addition to the built-in patterns (for example the client's token). */
  secrets?: readonly string[];
}

function brandChain(target: abstract new (...args: never[]) => unknown): readonly string[] {
  const names: string[] = [];
  for (let c: unknown = target; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c)) {
    if (Object.prototype.hasOwnProperty.call(c, 'errorName')) names.push((c as unknown as { errorName: string }).errorName);
  }
  return Object.freeze(names.reverse());
}

const MAX_CAUSE_DEPTH = 5;

/** A redacted, detached copy of an arbitrary thrown value, safe to keep as `cause`. */
function sanitizeCause(cause: unknown, secrets: readonly string[], depth = 0): unknown {
  if (cause === undefined || cause === null) return cause;
  if (isMaestroError(cause)) {
    // Already redacted on construction, but perhaps without this error's extra secrets.
    const rendered = `${String((cause as Error).stack)}${safeStringify(cause)}`;
    if (!secrets.some((s) => s.length >= 6 && rendered.includes(s))) return cause;
  }
  if (cause instanceof Error || (typeof cause === 'object' && 'message' in (cause as object))) {
    const source = cause as Error & { code?: unknown; cause?: unknown };
    const copy = new Error(redactText(String(source.message ?? ''), secrets));
    Object.defineProperty(copy, 'name', { value: String(source.name ?? 'Error'), enumerable: false, configurable: true, writable: true });
    if (typeof source.stack === 'string') copy.stack = redactText(source.stack, secrets);
    if (typeof source.code === 'string' || typeof source.code === 'number') {
      (copy as Error & { code?: unknown }).code = source.code;
    }
    if (source.cause !== undefined && depth < MAX_CAUSE_DEPTH) {
      Object.defineProperty(copy, 'cause', {
        value: sanitizeCause(source.cause, secrets, depth + 1),
        enumerable: false,
        configurable: true,
        writable: true,
      });
    }
    return copy;
  }
  if (typeof cause === 'string') return redactText(cause, secrets);
  if (typeof cause === 'number' || typeof cause === 'boolean') return cause;
  return redactText(safeStringify(cause), secrets);
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function redactDeep(value: unknown, redact: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[…]';
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact, depth + 1));
  if (value instanceof Date) return new Date(value.getTime());
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, redact, depth + 1);
  return out;
}

/**
 * Base class of every error the SDK throws. `name` is the class name, `message` is redacted, and
 * `toJSON()` returns a plain, redacted object suitable for structured logs.
 */
export class MaestroError extends Error {
  /** Class name used in the brand and as `name`; each subclass declares its own. */
  static readonly errorName: string = 'MaestroError';
  /** The class-name chain, e.g. `["MaestroError", "HttpError", "NotFoundError"]`. */
  declare readonly [MAESTRO_ERROR_BRAND]: readonly string[];
  /** Redacts text with this error's extra secrets; a closure, so the secrets themselves are never rendered. */
  declare protected readonly redact: (text: string) => string;

  constructor(message: string, options: MaestroErrorOptions = {}) {
    const secrets = options.secrets ?? [];
    super(redactText(message, secrets));
    const chain = brandChain(new.target);
    Object.defineProperty(this, MAESTRO_ERROR_BRAND, { value: chain, enumerable: false });
    Object.defineProperty(this, 'name', { value: chain[chain.length - 1] ?? 'MaestroError', enumerable: false, configurable: true, writable: true });
    Object.defineProperty(this, 'redact', { value: (text: string): string => redactText(text, secrets), enumerable: false });
    if (options.cause !== undefined) {
      Object.defineProperty(this, 'cause', {
        value: sanitizeCause(options.cause, secrets),
        enumerable: false,
        configurable: true,
        writable: true,
      });
    }
    if (typeof this.stack === 'string') this.stack = redactText(this.stack, secrets);
  }

  /** A plain, redacted object: `name`, `message`, the error's own properties and a short `cause`. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [k, v] of Object.entries(this)) out[k] = redactDeep(v, this.redact);
    const cause = (this as { cause?: unknown }).cause;
    if (cause !== undefined) {
      out.cause =
        cause instanceof MaestroError
          ? cause.toJSON()
          : cause instanceof Error
            ? { name: cause.name, message: this.redact(cause.message) }
            : redactDeep(cause, this.redact);
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP errors

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

function pathOf(url: string): string {
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
 * The server answered with an error status. The message reads `"<METHOD> <path>: <status> <detail>"`
 * (SDK A4.3); the full URL, redacted, is only in `url`.
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

/** 400 `Transition not allowed with state: …`, or the same move refused locally by `canTransition` (A7.5, A8.2). */
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
export class PreconditionFailedError extends ConflictError {
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

/** 422 `Idempotency-Key has already been used with a different request`. */
export class IdempotencyConflictError extends ConflictError {
  static override readonly errorName: string = 'IdempotencyConflictError';
  protected static override readonly defaultStatus: number = 422;
}

/** Options of {@link ResultsAlreadySubmittedError}. */
export interface ResultsAlreadySubmittedInit extends HttpErrorInit {
  /** The root node whose results were already submitted. */
  rootId?: string;
}

/** The root node already has children, so its results were submitted before (A8.3). */
export class ResultsAlreadySubmittedError extends ConflictError {
  static override readonly errorName: string = 'ResultsAlreadySubmittedError';
  /** The root node's id, when known. */
  readonly rootId: string | undefined;
  constructor(init: ResultsAlreadySubmittedInit) {
    super(init);
    this.rootId = init.rootId === undefined ? undefined : this.redact(init.rootId);
  }
}

/** 413 `Request body too large`, or a body over 32 MiB refused before sending (A8.2). */
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

// ---------------------------------------------------------------------------------------------
// Errors without a response

/** Options of {@link NetworkError}. */
export interface NetworkErrorInit extends MaestroErrorOptions {
  /** Request method. */
  method?: string;
  /** Request URL; stored redacted. */
  url?: string;
  /** True when the server may have executed a non-idempotent request anyway. */
  ambiguous?: boolean;
}

/** No response arrived (status 0): connection refused, reset or DNS failure. `cause` holds the redacted original. */
export class NetworkError extends MaestroError {
  static override readonly errorName: string = 'NetworkError';
  /** Always 0: there was no response. */
  readonly status = 0 as const;
  /** True when a non-idempotent request may have been committed by the server (A3.4). */
  readonly ambiguous: boolean;
  /** Request method, if known. */
  readonly method: string | undefined;
  /** Redacted request URL, if known. */
  readonly url: string | undefined;
  constructor(message: string, init: NetworkErrorInit = {}) {
    const secrets = init.secrets ?? [];
    const url = init.url === undefined ? undefined : redactUrl(init.url, secrets);
    const prefix = init.method && url !== undefined ? `${init.method.toUpperCase()} ${pathOf(url)}: ` : '';
    super(`${prefix}${message}`, init);
    this.ambiguous = init.ambiguous ?? false;
    this.method = init.method?.toUpperCase();
    this.url = url;
  }
}

/** Which deadline expired. */
export type TimeoutPhase = 'request' | 'listen' | 'wait' | 'handler';

/** Options of {@link TimeoutError}. */
export interface TimeoutErrorInit extends NetworkErrorInit {
  /** Which deadline expired; default `"request"`. */
  phase?: TimeoutPhase;
  /** The deadline, in milliseconds. */
  timeoutMs?: number;
}

/** A deadline expired: one request attempt, one `/listen`, a wait, or an event handler (A3.1, A10, A11.5). */
export class TimeoutError extends MaestroError {
  static override readonly errorName: string = 'TimeoutError';
  /** Which deadline expired. */
  readonly phase: TimeoutPhase;
  /** True when a non-idempotent request may have been committed by the server. */
  readonly ambiguous: boolean;
  /** The deadline that expired, in milliseconds, if known. */
  readonly timeoutMs: number | undefined;
  /** Request method, if known. */
  readonly method: string | undefined;
  /** Redacted request URL, if known. */
  readonly url: string | undefined;
  constructor(message: string, init: TimeoutErrorInit = {}) {
    const secrets = init.secrets ?? [];
    const url = init.url === undefined ? undefined : redactUrl(init.url, secrets);
    const prefix = init.method && url !== undefined ? `${init.method.toUpperCase()} ${pathOf(url)}: ` : '';
    super(`${prefix}${message}`, init);
    this.phase = init.phase ?? 'request';
    this.ambiguous = init.ambiguous ?? false;
    this.timeoutMs = init.timeoutMs;
    this.method = init.method?.toUpperCase();
    this.url = url;
  }
}

/** Options of {@link WaitTimeoutError}. */
export interface WaitTimeoutErrorInit extends TimeoutErrorInit {
  /** The last copy of the node that was seen. */
  lastNode?: unknown;
}

/** A wait for a node condition ran out of time; `lastNode` is the last copy seen (A10). */
export class WaitTimeoutError extends TimeoutError {
  static override readonly errorName: string = 'WaitTimeoutError';
  /** The last copy of the node seen before the deadline (a redacted copy, A4.4). */
  readonly lastNode: unknown;
  constructor(message: string, init: WaitTimeoutErrorInit = {}) {
    super(message, { phase: 'wait', ...init });
    this.lastNode = redactDeep(init.lastNode, this.redact);
  }
}

/** Options of {@link WaitConditionUnreachableError}. */
export interface WaitConditionUnreachableInit extends MaestroErrorOptions {
  /** The final node that can no longer meet the condition. */
  node?: unknown;
}

/** The awaited node is `done` and can no longer meet the condition (A10.2). */
export class WaitConditionUnreachableError extends MaestroError {
  static override readonly errorName: string = 'WaitConditionUnreachableError';
  /** The final copy of the node (a redacted copy, A4.4). */
  readonly node: unknown;
  constructor(message: string, init: WaitConditionUnreachableInit = {}) {
    super(message, init);
    this.node = redactDeep(init.node, this.redact);
  }
}

/** Options of {@link FilterError}. */
export interface FilterErrorInit extends MaestroErrorOptions {
  /** The filter field at fault. */
  field?: string;
}

/** A filter the server would silently misread; thrown before anything is sent (A6.2). */
export class FilterError extends MaestroError {
  static override readonly errorName: string = 'FilterError';
  /** The field at fault, when there is one. */
  readonly field: string | undefined;
  constructor(message: string, init: FilterErrorInit = {}) {
    super(message, init);
    this.field = init.field === undefined ? undefined : this.redact(init.field);
  }
}

/** Options of {@link UnsupportedFeatureError}. */
export interface UnsupportedFeatureInit extends MaestroErrorOptions {
  /** The missing capability (section 1), e.g. `"query-supersets"`. */
  feature: string;
}

/** The request needs a Maestro extension that a KernelCI server lacks (KernelCI mode only). */
export class UnsupportedFeatureError extends MaestroError {
  static override readonly errorName: string = 'UnsupportedFeatureError';
  /** The missing capability, e.g. `"query-supersets"` or `"keyset-pagination"`. */
  readonly feature: string;
  constructor(message: string, init: UnsupportedFeatureInit) {
    super(message, init);
    this.feature = this.redact(init.feature);
  }
}

/** Options of {@link IncompatibleServerError}. */
export interface IncompatibleServerInit extends MaestroErrorOptions {
  /** The server's `info.version`. */
  serverVersion?: string;
  /** The API version the SDK was generated from. */
  sdkApiVersion?: string;
}

/** The server's major API version differs from the SDK's, and `strictVersion` is set (A2.4). */
export class IncompatibleServerError extends MaestroError {
  static override readonly errorName: string = 'IncompatibleServerError';
  /** The server's discovered version. */
  readonly serverVersion: string | undefined;
  /** The API version the SDK was generated from. */
  readonly sdkApiVersion: string | undefined;
  constructor(message: string, init: IncompatibleServerInit = {}) {
    super(message, init);
    this.serverVersion = init.serverVersion === undefined ? undefined : this.redact(init.serverVersion);
    this.sdkApiVersion = init.sdkApiVersion === undefined ? undefined : this.redact(init.sdkApiVersion);
  }
}

/** An unexpected response or event shape, or an invalid CloudEvent. */
export class ProtocolError extends MaestroError {
  static override readonly errorName: string = 'ProtocolError';
}

/** Options of {@link SubscriptionReplacedError}. */
export interface SubscriptionReplacedInit extends MaestroErrorOptions {
  /** The durable subscriber id that was taken over. */
  subscriberId?: string;
}

/** Another consumer took over the durable subscriber id (A11.4). */
export class SubscriptionReplacedError extends MaestroError {
  static override readonly errorName: string = 'SubscriptionReplacedError';
  /** The durable subscriber id that another consumer now holds. */
  readonly subscriberId: string | undefined;
  constructor(message: string, init: SubscriptionReplacedInit = {}) {
    super(message, init);
    this.subscriberId = init.subscriberId === undefined ? undefined : this.redact(init.subscriberId);
  }
}

/** Options of {@link EventGapError}. */
export interface EventGapInit extends MaestroErrorOptions {
  /** First missing sequence id. */
  from: number;
  /** Last missing sequence id. */
  to: number;
  /** False when the gap is only suspected (KernelCI mode, A11.6). */
  certain: boolean;
}

/** Events between `from` and `to` could not be delivered (A11.6); `certain` is false when only suspected. */
export class EventGapError extends MaestroError {
  static override readonly errorName: string = 'EventGapError';
  /** First missing sequence id. */
  readonly from: number;
  /** Last missing sequence id. */
  readonly to: number;
  /** Whether the gap is known (Maestro) or only suspected (KernelCI mode). */
  readonly certain: boolean;
  constructor(message: string, init: EventGapInit) {
    super(message, init);
    this.from = init.from;
    this.to = init.to;
    this.certain = init.certain;
  }
}

// ---------------------------------------------------------------------------------------------
// Type guards: brand-based, so they work across duplicate copies of the SDK.

function hasBrand(error: unknown, name: string): boolean {
  if ((typeof error !== 'object' && typeof error !== 'function') || error === null) return false;
  const chain = (error as { [MAESTRO_ERROR_BRAND]?: unknown })[MAESTRO_ERROR_BRAND];
  return Array.isArray(chain) && chain.includes(name);
}

/** Whether `error` is an SDK error (from any loaded copy of the SDK). */
export function isMaestroError(error: unknown): error is MaestroError {
  return hasBrand(error, 'MaestroError');
}
/** Whether `error` is an {@link HttpError} (any status). */
export function isHttpError(error: unknown): error is HttpError {
  return hasBrand(error, 'HttpError');
}
/** Whether `error` is a {@link BadRequestError}. */
export function isBadRequestError(error: unknown): error is BadRequestError {
  return hasBrand(error, 'BadRequestError');
}
/** Whether `error` is an {@link InvalidTransitionError}. */
export function isInvalidTransitionError(error: unknown): error is InvalidTransitionError {
  return hasBrand(error, 'InvalidTransitionError');
}
/** Whether `error` is a {@link ValidationError}. */
export function isValidationError(error: unknown): error is ValidationError {
  return hasBrand(error, 'ValidationError');
}
/** Whether `error` is an {@link UnauthorizedError}. */
export function isUnauthorizedError(error: unknown): error is UnauthorizedError {
  return hasBrand(error, 'UnauthorizedError');
}
/** Whether `error` is a {@link ForbiddenError}. */
export function isForbiddenError(error: unknown): error is ForbiddenError {
  return hasBrand(error, 'ForbiddenError');
}
/** Whether `error` is a {@link NotFoundError} (including {@link SubscriptionGoneError}). */
export function isNotFoundError(error: unknown): error is NotFoundError {
  return hasBrand(error, 'NotFoundError');
}
/** Whether `error` is a {@link SubscriptionGoneError}. */
export function isSubscriptionGoneError(error: unknown): error is SubscriptionGoneError {
  return hasBrand(error, 'SubscriptionGoneError');
}
/** Whether `error` is a {@link ConflictError} (including its subclasses). */
export function isConflictError(error: unknown): error is ConflictError {
  return hasBrand(error, 'ConflictError');
}
/** Whether `error` is a {@link PreconditionFailedError}. */
export function isPreconditionFailedError(error: unknown): error is PreconditionFailedError {
  return hasBrand(error, 'PreconditionFailedError');
}
/** Whether `error` is an {@link IdempotencyConflictError}. */
export function isIdempotencyConflictError(error: unknown): error is IdempotencyConflictError {
  return hasBrand(error, 'IdempotencyConflictError');
}
/** Whether `error` is a {@link ResultsAlreadySubmittedError}. */
export function isResultsAlreadySubmittedError(error: unknown): error is ResultsAlreadySubmittedError {
  return hasBrand(error, 'ResultsAlreadySubmittedError');
}
/** Whether `error` is an {@link OversizedBodyError}. */
export function isOversizedBodyError(error: unknown): error is OversizedBodyError {
  return hasBrand(error, 'OversizedBodyError');
}
/** Whether `error` is a {@link RateLimitError}. */
export function isRateLimitError(error: unknown): error is RateLimitError {
  return hasBrand(error, 'RateLimitError');
}
/** Whether `error` is a {@link ServerError}. */
export function isServerError(error: unknown): error is ServerError {
  return hasBrand(error, 'ServerError');
}
/** Whether `error` is a {@link NetworkError}. */
export function isNetworkError(error: unknown): error is NetworkError {
  return hasBrand(error, 'NetworkError');
}
/** Whether `error` is a {@link TimeoutError} (including {@link WaitTimeoutError}). */
export function isTimeoutError(error: unknown): error is TimeoutError {
  return hasBrand(error, 'TimeoutError');
}
/** Whether `error` is a {@link WaitTimeoutError}. */
export function isWaitTimeoutError(error: unknown): error is WaitTimeoutError {
  return hasBrand(error, 'WaitTimeoutError');
}
/** Whether `error` is a {@link WaitConditionUnreachableError}. */
export function isWaitConditionUnreachableError(error: unknown): error is WaitConditionUnreachableError {
  return hasBrand(error, 'WaitConditionUnreachableError');
}
/** Whether `error` is a {@link FilterError}. */
export function isFilterError(error: unknown): error is FilterError {
  return hasBrand(error, 'FilterError');
}
/** Whether `error` is an {@link UnsupportedFeatureError}. */
export function isUnsupportedFeatureError(error: unknown): error is UnsupportedFeatureError {
  return hasBrand(error, 'UnsupportedFeatureError');
}
/** Whether `error` is an {@link IncompatibleServerError}. */
export function isIncompatibleServerError(error: unknown): error is IncompatibleServerError {
  return hasBrand(error, 'IncompatibleServerError');
}
/** Whether `error` is a {@link ProtocolError}. */
export function isProtocolError(error: unknown): error is ProtocolError {
  return hasBrand(error, 'ProtocolError');
}
/** Whether `error` is a {@link SubscriptionReplacedError}. */
export function isSubscriptionReplacedError(error: unknown): error is SubscriptionReplacedError {
  return hasBrand(error, 'SubscriptionReplacedError');
}
/** Whether `error` is an {@link EventGapError}. */
export function isEventGapError(error: unknown): error is EventGapError {
  return hasBrand(error, 'EventGapError');
}

// ---------------------------------------------------------------------------------------------
// errorFromResponse (A4.2)

/** A response to turn into an error. */
export interface ErrorResponseInit {
  /** Request method. */
  method: string;
  /** Full request URL (redacted before it is stored). */
  url: string;
  /** HTTP status. */
  status: number;
  /** The body: raw text or already-parsed JSON. */
  body?: unknown;
  /** Response headers (for `Retry-After` and a request id). */
  headers?: Headers | Readonly<Record<string, string | undefined>>;
  /** Exact secrets to redact, e.g. the token the request carried. */
  secrets?: readonly string[];
}

// Exact texts of contract §6.5, §7.10, §7.11 and §10.8 that refine the class chosen by status.
const TRANSITION_PREFIX = 'Transition not allowed with state:';
const PRECONDITION_PREFIX = 'Precondition failed: node has been modified';
const IDEMPOTENCY_CONFLICT_PREFIX = 'Idempotency-Key has already been used with a different request';
const SUBSCRIPTION_GONE_PREFIX = 'Subscription id not found:';
// First line of a pydantic report, used for the 400 answers of kind validation (contract §6.3).
const PYDANTIC_REPORT_RE = /^\d+ validation errors? for \w+/;

function headerValue(headers: ErrorResponseInit['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower && v !== undefined) return v;
  return undefined;
}

function parseBody(body: unknown): { parsed: unknown; text: string | undefined } {
  if (body === undefined || body === null) return { parsed: body, text: body === null ? 'null' : undefined };
  if (typeof body === 'string') {
    try {
      return { parsed: JSON.parse(body), text: body };
    } catch {
      return { parsed: body, text: body };
    }
  }
  return { parsed: body, text: safeStringify(body) };
}

function issuesFromList(list: readonly unknown[]): ValidationIssue[] {
  return list.map((item) => {
    const o = (item ?? {}) as { loc?: unknown; msg?: unknown; type?: unknown };
    const loc = Array.isArray(o.loc) ? o.loc.map((p) => (typeof p === 'number' ? p : String(p))) : [];
    return {
      loc,
      msg: typeof o.msg === 'string' ? o.msg : safeStringify(item),
      ...(typeof o.type === 'string' ? { type: o.type } : {}),
    };
  });
}

// "2 validation errors for Checkout\ndata.kernel_revision.url\n  invalid url …" → issues
function issuesFromReport(report: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const line of report.split('\n').slice(1)) {
    if (!line.trim()) continue;
    if (/^\s/.test(line) && issues.length > 0) {
      const last = issues[issues.length - 1]!;
      last.msg = last.msg ? `${last.msg} ${line.trim()}` : line.trim();
    } else {
      issues.push({ loc: line.trim().split('.'), msg: '' });
    }
  }
  return issues;
}

/** Milliseconds from a `Retry-After` header (seconds or HTTP date), or undefined. */
function retryAfterMsOf(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Builds the typed error for an error response (SDK A4.2). The status selects the class; the
 * contract's exact detail texts refine it (`Transition not allowed with state:` →
 * {@link InvalidTransitionError}, `Precondition failed: node has been modified` →
 * {@link PreconditionFailedError}, `Idempotency-Key has already been used with a different request` →
 * {@link IdempotencyConflictError}, `Subscription id not found:` → {@link SubscriptionGoneError}).
 * The detail is read from `detail`, then `message` (KernelCI's 500 body), then `error`; a FastAPI
 * list detail fills {@link ValidationError.issues}.
 */
export function errorFromResponse(init: ErrorResponseInit): HttpError {
  const { method, url, status, secrets } = init;
  const { parsed, text } = parseBody(init.body);
  let bodyText = text;
  let detail: string | undefined;
  let issues: ValidationIssue[] | undefined;
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const o = parsed as Record<string, unknown>;
    const raw = o.detail ?? o.message ?? o.error;
    if (Array.isArray(raw)) {
      issues = issuesFromList(raw);
      // FastAPI echoes each offending `input`, which may be a password from a login form: keep no copy.
      bodyText = safeStringify({ ...o, detail: raw.map((i) => (i && typeof i === 'object' ? { ...i, input: undefined } : i)) });
      detail = issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; ');
    } else if (typeof raw === 'string') {
      detail = raw;
    } else if (raw !== undefined) {
      detail = safeStringify(raw);
    }
  } else if (typeof parsed === 'string') {
    detail = parsed;
  }
  detail = (detail ?? (text && text.length <= 200 ? text : undefined) ?? `HTTP ${status}`).trim() || `HTTP ${status}`;

  const base: HttpErrorInit = {
    status,
    detail,
    method,
    url,
    body: bodyText,
    requestId: headerValue(init.headers, 'x-request-id'),
    secrets,
  };

  switch (status) {
    case 400:
      if (detail.startsWith(TRANSITION_PREFIX)) {
        return new InvalidTransitionError({ ...base, to: detail.slice(TRANSITION_PREFIX.length).trim() || undefined });
      }
      if (issues) return new ValidationError({ ...base, issues });
      if (PYDANTIC_REPORT_RE.test(detail)) return new ValidationError({ ...base, issues: issuesFromReport(detail) });
      return new BadRequestError(base);
    case 401:
      return new UnauthorizedError(base);
    case 403:
      return new ForbiddenError(base);
    case 404:
      return detail.startsWith(SUBSCRIPTION_GONE_PREFIX) ? new SubscriptionGoneError(base) : new NotFoundError(base);
    case 409:
      return new ConflictError(base);
    case 412:
      return new PreconditionFailedError(base);
    case 413:
      return new OversizedBodyError(base);
    case 422:
      if (detail.startsWith(IDEMPOTENCY_CONFLICT_PREFIX)) return new IdempotencyConflictError(base);
      return new ValidationError({ ...base, issues: issues ?? [] });
    case 429:
      return new RateLimitError({ ...base, retryAfterMs: retryAfterMsOf(headerValue(init.headers, 'retry-after'), Date.now()) });
    default:
      if (status >= 500) return new ServerError(base);
      if (detail.startsWith(PRECONDITION_PREFIX)) return new PreconditionFailedError(base);
      return new HttpError(base);
  }
}
