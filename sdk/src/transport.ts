/**
 * The SDK's fetch wrapper (SDK A3): openapi-fetch hands every request to {@link Transport.fetchFor},
 * which adds the credentials and client headers, runs each attempt under a deadline, and retries
 * only what the operation's row of the retry table allows (sdk/README.md#retries). It is the one place that decides
 * retries, so every hand-written method gets the same behaviour.
 */
import { backoffDelay, parseRetryAfter, sleep, type BackoffOptions } from './backoff.js';
import { NetworkError, TimeoutError } from './errors.js';
import { redactText } from './redact.js';

/** Retry settings of a client or a call (sdk/README.md#retries). */
export interface RetryOptions {
  /** Attempts in total, the first included; default 4. */
  maxAttempts?: number;
  /** Base delay of the first retry; default 250 ms. */
  baseDelayMs?: number;
  /** Cap of the un-jittered delay; default 8 000 ms. */
  maxDelayMs?: number;
}

/** Resolved retry settings. */
export interface RetryPolicy extends BackoffOptions {
  maxAttempts: number;
}

/** Default retry settings (sdk/README.md#the-client). */
export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({ maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 8_000 });

/** Options every SDK method accepts (sdk/README.md#retries). */
export interface CallOptions {
  /** Aborts the call; its reason is thrown unchanged and never retried. */
  signal?: AbortSignal;
  /** Deadline of each attempt; default the client's `timeoutMs`. */
  timeoutMs?: number;
  /** Retry settings for this call, or `false` for a single attempt. */
  retry?: RetryOptions | false;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

/** Options of write methods: {@link CallOptions} plus an idempotency key (sdk/README.md#retries). */
export interface WriteOptions extends CallOptions {
  /** Key reused for every attempt of the call; generated when the operation needs one. */
  idempotencyKey?: string;
}

/**
 * The row of the retry table (sdk/README.md#retries) a request belongs to:
 * - `read`: GET, HEAD and `PUT /node/{id}` (full replacement) — always retried;
 * - `conditional`: `PATCH /node/{id}` — retried only with `If-Match`;
 * - `create`: `POST /node`, `PUT /nodes/{id}` — retried only with an `Idempotency-Key` in Maestro mode;
 * - `never`: `/publish`, `/subscribe`, `/unsubscribe`, `/listen`, logins and everything else.
 */
export type OperationClass = 'read' | 'conditional' | 'create' | 'never';

/** What one call tells the transport. */
export interface CallPolicy extends CallOptions {
  /** Retry-table row. */
  op: OperationClass;
  /** Deadline phase reported by a {@link TimeoutError}; default `"request"`. */
  phase?: 'request' | 'listen';
  /** Whether the server honours `Idempotency-Key` (Maestro mode); only `create` looks at it. */
  idempotencyKeys?: boolean;
  /** Filled in by the transport: attempts made, and whether one of them got no response. */
  trace?: CallTrace;
}

/** What happened during one call, for callers that resolve 412s on repeated attempts (sdk/README.md#nodes). */
export interface CallTrace {
  attempts: number;
  /** True when an earlier attempt failed without a response, so the server may have applied it. */
  lostAttempt: boolean;
}

/** Minimal logger (sdk/README.md#the-client); every line is redacted before it reaches it. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** What the transport needs from its client. */
export interface TransportOptions {
  fetch: (input: Request) => Promise<Response>;
  token: () => Promise<string | undefined>;
  userAgent: string;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  retry: RetryPolicy | false;
  logger: Logger;
  /** Pending sleeps and requests end when this aborts (`client.close()`). */
  closed: AbortSignal;
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const IN_PROGRESS_DETAIL = 'A request with this Idempotency-Key is already in progress';

/** Resolves per-call retry settings against the client's. */
export function resolveRetry(client: RetryPolicy | false, call: RetryOptions | false | undefined): RetryPolicy | false {
  if (call === false || (call === undefined && client === false)) return false;
  const base = client === false ? DEFAULT_RETRY : client;
  return { ...base, ...(call ?? {}) };
}

/** Whether a request of this class may be sent again (sdk/README.md#retries). */
export function isRetryable(policy: CallPolicy, request: { headers: Headers }): boolean {
  switch (policy.op) {
    case 'read':
      return true;
    case 'conditional':
      return request.headers.has('If-Match');
    case 'create':
      return policy.idempotencyKeys === true && request.headers.has('Idempotency-Key');
    default:
      return false;
  }
}

/** Whether a failure without a response leaves the server's state unknown (sdk/README.md#retries). */
function isAmbiguous(policy: CallPolicy, request: { method: string }): boolean {
  return !(request.method === 'GET' || request.method === 'HEAD' || (policy.op === 'read' && request.method === 'PUT'));
}

async function isInProgressConflict(response: Response): Promise<boolean> {
  if (response.status !== 409) return false;
  try {
    const body = (await response.clone().json()) as { detail?: unknown };
    return body?.detail === IN_PROGRESS_DETAIL;
  } catch {
    return false;
  }
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** A signal that aborts when any of `signals` does; listeners are removed by `release()`. */
function anySignal(signals: (AbortSignal | undefined)[]): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const cleanups: (() => void)[] = [];
  for (const s of signals) {
    if (!s) continue;
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    const onAbort = (): void => controller.abort(s.reason);
    s.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => s.removeEventListener('abort', onAbort));
  }
  return { signal: controller.signal, release: () => cleanups.forEach((c) => c()) };
}

/** The client's HTTP transport. One per client; `withToken` clients share the pool and close signal. */
export class Transport {
  constructor(readonly options: TransportOptions) {}

  /** The token as a secret to redact, when there is one. */
  async secrets(): Promise<string[]> {
    const token = await this.options.token();
    return token ? [token] : [];
  }

  /**
   * A `fetch` for openapi-fetch that applies `policy` to one call. The request is cloned before the
   * first attempt so its body can be resent (sdk/README.md#retries).
   */
  fetchFor(policy: CallPolicy): (input: Request) => Promise<Response> {
    return (input) => this.#send(input, policy);
  }

  async #send(input: Request, policy: CallPolicy): Promise<Response> {
    const o = this.options;
    const token = await o.token();
    const secrets = token ? [token] : [];
    const headers = new Headers(input.headers);
    for (const [k, v] of Object.entries(o.headers)) if (!headers.has(k)) headers.set(k, v);
    for (const [k, v] of Object.entries(policy.headers ?? {})) headers.set(k, v);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    else headers.delete('Authorization');
    // Browsers refuse to set User-Agent; X-Maestro-Client always carries it (sdk/README.md#the-client).
    headers.set('X-Maestro-Client', o.userAgent);
    try {
      headers.set('User-Agent', o.userAgent);
    } catch {
      // forbidden header in this runtime
    }
    const body = input.body === null ? null : await input.arrayBuffer();
    const template = { method: input.method, url: input.url, headers };
    const retry = resolveRetry(o.retry, policy.retry);
    const maxAttempts = retry === false ? 1 : Math.max(1, retry.maxAttempts);
    const timeoutMs = policy.timeoutMs ?? o.timeoutMs;
    const trace = policy.trace ?? { attempts: 0, lostAttempt: false };
    const retryable = isRetryable(policy, template);

    for (let attempt = 1; ; attempt++) {
      trace.attempts = attempt;
      if (policy.signal?.aborted) throw policy.signal.reason;
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), timeoutMs);
      const combined = anySignal([policy.signal, deadline.signal, o.closed]);
      let response: Response | undefined;
      let failure: unknown;
      try {
        // Race the abort too: a custom fetch that ignores its signal must not outlive the deadline.
        const res = await Promise.race([
          o.fetch(new Request(template.url, { method: template.method, headers, body, signal: combined.signal })),
          rejectOnAbort(combined.signal),
        ]);
        // Read the body under the same deadline, so a stalled body cannot hang the call.
        const buffer = res.status === 204 || res.status === 304 ? null : await res.arrayBuffer();
        response = new Response(buffer, { status: res.status, statusText: res.statusText, headers: res.headers });
      } catch (error) {
        failure = error;
      } finally {
        clearTimeout(timer);
        combined.release();
      }
      if (failure !== undefined) {
        if (policy.signal?.aborted) throw policy.signal.reason;
        const timedOut = deadline.signal.aborted;
        if (o.closed.aborted && !timedOut) throw new NetworkError('client closed', { method: template.method, url: template.url, secrets });
        trace.lostAttempt = true;
        const ambiguous = isAmbiguous(policy, template);
        const error = timedOut
          ? new TimeoutError(`no response within ${timeoutMs} ms`, {
              phase: policy.phase ?? 'request',
              timeoutMs,
              ambiguous,
              method: template.method,
              url: template.url,
              secrets,
              cause: failure,
            })
          : new NetworkError(redactText(failure instanceof Error ? failure.message : String(failure), secrets), {
              ambiguous,
              method: template.method,
              url: template.url,
              secrets,
              cause: failure,
            });
        if (!retryable || attempt >= maxAttempts || retry === false) throw error;
        await this.#wait(backoffDelay(attempt, retry), policy, error);
        continue;
      }
      const res = response!;
      const again =
        retryable && retry !== false && attempt < maxAttempts && (RETRY_STATUSES.has(res.status) || (await isInProgressConflict(res)));
      if (!again) return res;
      const after = parseRetryAfter(res.headers.get('Retry-After'), Date.now(), retry.maxDelayMs);
      o.logger.debug('retrying', { method: template.method, status: res.status, attempt });
      await this.#wait(after ?? backoffDelay(attempt, retry), policy);
    }
  }

  async #wait(ms: number, policy: CallPolicy, pending?: unknown): Promise<void> {
    const combined = anySignal([policy.signal, this.options.closed]);
    try {
      await sleep(ms, combined.signal);
    } catch (reason) {
      if (policy.signal?.aborted) throw policy.signal.reason;
      throw pending ?? reason;
    } finally {
      combined.release();
    }
  }
}
