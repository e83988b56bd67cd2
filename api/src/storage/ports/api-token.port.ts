/** An API token as stored (docs/auth.md#two-kinds-of-bearer-token, docs/deployment.md#running-on-mongodb `maestro_apitoken`): never the plaintext. */
export interface ApiTokenRecord {
  id: string;
  userId: string;
  name: string;
  /** `mst_` and the next 4 characters, shown in listings. */
  prefix: string;
  /** SHA-256 hex of the plaintext. */
  tokenHash: string;
  created: Date;
  expiresAt: Date | null;
  lastUsed: Date | null;
  revokedAt: Date | null;
}

export interface ApiTokenRepository {
  /** @throws DuplicateKeyError when the hash is taken (never in practice: 256 random bits). */
  insert(token: ApiTokenRecord): Promise<void>;
  findByHash(tokenHash: string): Promise<ApiTokenRecord | null>;
  /** The user's tokens, newest first, revoked ones included. */
  listByUser(userId: string): Promise<ApiTokenRecord[]>;
  /** Sets `revokedAt` unless already set; false when the user has no token with that id. */
  revoke(userId: string, id: string, at: Date): Promise<boolean>;
  /** Records a use unless one was recorded less than `minIntervalMs` before `at` (docs/auth.md#two-kinds-of-bearer-token: once a minute). */
  touch(id: string, at: Date, minIntervalMs: number): Promise<void>;
  deleteByUser(userId: string): Promise<void>;
  /** Removes tokens revoked or expired before `before` (docs/deployment.md#running-on-mongodb: kept 30 days). */
  purge(before: Date): Promise<number>;
}
