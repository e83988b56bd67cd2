/** A recorded `Idempotency-Key` use (docs/nodes.md#idempotency-key). */
export interface IdempotencyScope {
  userId: string;
  method: string;
  path: string;
  key: string;
}

export type IdempotencyBegin =
  | { outcome: 'started' }
  | { outcome: 'completed'; fingerprint: string; status: number; response: unknown }
  | { outcome: 'in_progress'; fingerprint: string };

export interface IdempotencyRepository {
  /**
   * Claims the scope for a new execution, unless a live record exists: a completed one younger than
   * `ttlMs`, or an in-progress one younger than `inProgressTtlMs`. Expired records are replaced.
   */
  begin(scope: IdempotencyScope, fingerprint: string, ttlMs: number, inProgressTtlMs: number): Promise<IdempotencyBegin>;
  /** Records the outcome (call inside the write's transaction, so both commit together). */
  complete(scope: IdempotencyScope, status: number, response: unknown): Promise<void>;
  /** Drops an in-progress claim whose execution failed (nothing was committed). */
  abandon(scope: IdempotencyScope): Promise<void>;
  /** Deletes records older than `before`; returns how many. */
  deleteOlderThan(before: Date): Promise<number>;
}
