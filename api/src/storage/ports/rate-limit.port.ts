/** A failure counter of the login rate limit (docs/auth.md#login-rate-limit, docs/deployment.md#running-on-mongodb `maestro_ratelimit`). */
export interface RateLimitRecord {
  key: string;
  count: number;
  windowStart: Date;
  expires: Date;
}

export interface RateLimitRepository {
  /** The counters among `keys` whose window has not ended at `now`. */
  active(keys: string[], now: Date): Promise<RateLimitRecord[]>;
  /**
   * Counts one failure atomically: starts a window [now, now + windowMs) with count 1 when the key
   * has none or its window ended, else increments the count. Safe under concurrent replicas.
   */
  hit(key: string, windowMs: number, now: Date): Promise<RateLimitRecord>;
  clear(key: string): Promise<void>;
  /** Deletes counters whose window ended before `now`. */
  purgeExpired(now: Date): Promise<number>;
}
