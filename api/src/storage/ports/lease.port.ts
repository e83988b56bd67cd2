/** Leases for background jobs that run on one replica at a time (docs/architecture.md). */
export interface LeaseRepository {
  /** Takes or renews the lease `name` for `holder` until now + ttlMs; false when another holder has it. */
  tryAcquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up early (only if `holder` still has it). */
  release(name: string, holder: string): Promise<void>;
}
