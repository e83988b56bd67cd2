/**
 * The one backoff function behind every waiting loop of the SDK (sdk/README.md#retries): request retries,
 * long-poll resubscribes, handler retries and polling, each with its own base and cap.
 */

/** Base and cap of one waiting loop. */
export interface BackoffOptions {
  /** Delay scale of the first retry, in milliseconds. */
  baseDelayMs: number;
  /** Upper bound of the un-jittered delay, in milliseconds. */
  maxDelayMs: number;
}

/**
 * Delay before retry `attempt` (counting from 1): uniform in `[d / 2, d]` with
 * `d = min(maxDelayMs, baseDelayMs · 2^(attempt - 1))`. Half-jitter keeps a floor under the wait
 * while still spreading a crowd of clients that failed together.
 *
 * @param random a source of numbers in `[0, 1)`; injectable for tests.
 * @returns whole milliseconds.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const n = Number.isFinite(attempt) ? Math.max(1, Math.floor(attempt)) : 1;
  const base = Math.max(0, options.baseDelayMs);
  const cap = Math.max(0, options.maxDelayMs);
  // 2 ** 1075 is Infinity, and min() handles that; no overflow concern for large attempts.
  const d = Math.min(cap, base * 2 ** (n - 1));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(d / 2 + r * (d / 2));
}

/**
 * Reads a `Retry-After` header (delay seconds or an HTTP date) as milliseconds from `now`.
 * A date in the past gives 0. With `maxDelayMs`, the result is capped at `4 · maxDelayMs` (sdk/README.md#retries), so a
 * confused or hostile server cannot park a client for hours.
 *
 * @returns milliseconds, or `undefined` when the header is absent or unreadable.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number | Date = Date.now(),
  maxDelayMs?: number,
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  let ms: number;
  if (/^\d+(?:\.\d+)?$/.test(value)) {
    ms = Math.round(Number(value) * 1000);
  } else {
    // HTTP dates always name a weekday or month; reject bare numbers such as "-5" parsed as years.
    if (!/[a-z]/i.test(value)) return undefined;
    const at = Date.parse(value);
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - (now instanceof Date ? now.getTime() : now));
  }
  return maxDelayMs === undefined ? ms : Math.min(ms, 4 * maxDelayMs);
}

/**
 * Resolves after `ms` milliseconds, or rejects with `signal.reason` as soon as the signal aborts
 * (at once when it already has). The timer and the abort listener are always released.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
