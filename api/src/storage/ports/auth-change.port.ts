/**
 * Committed changes to users and API tokens, which the caller cache of the auth module follows
 * (docs/adr/0018-write-path.md): a cached caller is only as fresh as this feed is complete.
 */
export interface AuthChangeFeed {
  /**
   * True while every committed change to a user or an API token, made by this process or any other
   * on the same database, reaches the listeners. While false, nothing may be served from a cache.
   */
  readonly live: boolean;
  /**
   * `listener(userId)` after a committed change to that user or to one of its tokens (this
   * process's own changes before the write's caller continues); `listener(null)` whenever changes
   * may have been missed (the feed went down or came back).
   */
  onChange(listener: (userId: string | null) => void): void;
}

/** The feed of a store that cannot tell other processes' changes: never live, so nothing is cached. */
export const UNFOLLOWED_AUTH_CHANGES: AuthChangeFeed = { live: false, onChange: () => undefined };
