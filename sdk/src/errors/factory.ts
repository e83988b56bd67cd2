/**
 * The one response-to-error factory: {@link errorFromResponse} turns an error answer into the typed
 * error of its status, refined by the server's exact detail texts.
 */
import { parseRetryAfter } from '../backoff.js';
import { safeStringify } from './base.js';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  HttpError,
  IdempotencyConflictError,
  InvalidTransitionError,
  NotFoundError,
  OversizedBodyError,
  PreconditionFailedError,
  RateLimitError,
  ServerError,
  SubscriptionGoneError,
  UnauthorizedError,
  ValidationError,
  type HttpErrorInit,
  type ValidationIssue,
} from './http.js';

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

// Exact detail texts of the API (docs/nodes.md, docs/events.md) that refine the class chosen by status.
const TRANSITION_PREFIX = 'Transition not allowed with state:';
const PRECONDITION_PREFIX = 'Precondition failed: node has been modified';
const IDEMPOTENCY_CONFLICT_PREFIX = 'Idempotency-Key has already been used with a different request';
const SUBSCRIPTION_GONE_PREFIX = 'Subscription id not found:';
// First line of a pydantic report, used for the 400 answers of kind validation (docs/nodes.md).
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

/**
 * Builds the typed error for an error response. The status selects the class; the
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
      return new RateLimitError({ ...base, retryAfterMs: parseRetryAfter(headerValue(init.headers, 'retry-after')) });
    default:
      if (status >= 500) return new ServerError(base);
      if (detail.startsWith(PRECONDITION_PREFIX)) return new PreconditionFailedError(base);
      return new HttpError(base);
  }
}
