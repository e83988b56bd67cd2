/**
 * The authenticated caller, remembered between requests (docs/adr/0018-write-path.md): without it
 * every authenticated request reads its user row (and, for an API token, the token row) again.
 *
 * Correctness rests on the storage's {@link AuthChangeFeed}: an entry is served only while the feed
 * is live, every change to a user or to one of its tokens drops that user's entries, and a read
 * that overlapped a change is not kept (the generation check), so a lookup that started before a
 * change committed cannot put the old row back after the change was announced.
 */
import type { ApiTokenRecord, AuthChangeFeed, UserRecord } from '../storage/ports';

export interface CachedCaller {
  /** The active user. */
  user: UserRecord;
  /** The API token the caller authenticated with (null for an access JWT). */
  token: Pick<ApiTokenRecord, 'id' | 'expiresAt' | 'lastUsed'> | null;
}

interface Entry extends CachedCaller {
  storedAt: number;
}

/** Belt and braces on top of the change feed: no entry outlives this. */
const ENTRY_TTL_MS = 5 * 60_000;
/** Callers remembered at most; the oldest is dropped first. */
const MAX_ENTRIES = 10_000;

export class CallerCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;

  constructor(
    private readonly feed: AuthChangeFeed,
    private readonly clock: () => number = Date.now,
  ) {
    feed.onChange((userId) => this.forget(userId));
  }

  /** The caller remembered for `key` (`jwt:<user id>` or `token:<hash>`), if it may still be served. */
  get(key: string): CachedCaller | undefined {
    if (!this.feed.live) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.clock() - entry.storedAt >= ENTRY_TTL_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Taken before the reads whose result {@link set} may keep. */
  mark(): number {
    return this.generation;
  }

  /** Keeps `caller` unless a change was announced since `mark` (the reads may predate it). */
  set(key: string, caller: CachedCaller, mark: number): void {
    if (!this.feed.live || mark !== this.generation) return;
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    // Frozen: requests share the object, so none may change what the next one sees.
    for (const group of caller.user.groups) Object.freeze(group);
    Object.freeze(caller.user.groups);
    this.entries.set(key, { user: Object.freeze(caller.user), token: caller.token && Object.freeze({ ...caller.token }), storedAt: this.clock() });
  }

  /** Drops the entries of `userId` (every entry when null). */
  forget(userId: string | null): void {
    this.generation++;
    if (userId === null) return this.entries.clear();
    for (const [key, entry] of this.entries) if (entry.user.id === userId) this.entries.delete(key);
  }
}
