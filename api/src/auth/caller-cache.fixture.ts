/**
 * The caller cache's invalidation cases (docs/adr/0018-write-path.md), run by the PostgreSQL
 * adapter's auth-change-feed.spec.ts in one process on PGlite and by auth-change-feed.server.spec.ts
 * across two storages on a server:
 * a caller authenticates (and is remembered), its authority changes through `writer`, and its next
 * request through `reader` sees the change — at once when both are one process, once the
 * notification arrived otherwise (`settle`).
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../config/config';
import { makeUser } from '../storage/contract/fixtures';
import type { Storage, UserRecord } from '../storage/ports';
import { generateApiToken } from './api-tokens';
import { AuthService } from './auth.service';
import { issueAccessToken } from './jwt-tokens';
import type { LoginRateLimiter } from './login-rate-limiter';

const SECRET = 'caller-cache-secret';

export interface CacheSetting {
  reader: () => Storage;
  /** A storage whose SQL can also be sent as is (a change made outside the API). */
  writer: () => Storage & { sql: { query(sql: string, params?: unknown[]): Promise<unknown> } };
  /** Resolves once `check` passes: immediately in one process, after the notification across two. */
  settle: (check: () => Promise<boolean>) => Promise<void>;
}

export function callerCacheCases(setting: CacheSetting): void {
  let auth: AuthService;
  let reads: jest.SpyInstance;

  beforeAll(() => {
    const config = loadConfig({ SECRET_KEY: SECRET, DATABASE_URL: 'pglite:memory' });
    auth = new AuthService(config, setting.reader(), {} as LoginRateLimiter);
  });
  beforeEach(() => {
    reads = jest.spyOn(setting.reader().users, 'findById');
  });
  afterEach(() => reads.mockRestore());

  async function signedUp(overrides: Partial<UserRecord> = {}): Promise<{ user: UserRecord; jwt: string; apiToken: string }> {
    const user = makeUser(overrides);
    await setting.writer().users.insert(user);
    const generated = generateApiToken();
    await setting.writer().apiTokens.insert({
      id: randomUUID(), userId: user.id, name: 'ci', prefix: generated.prefix, tokenHash: generated.hash,
      created: new Date(), expiresAt: null, lastUsed: null, revokedAt: null,
    });
    return { user, jwt: `Bearer ${issueAccessToken(user.id, SECRET, 3600)}`, apiToken: `Bearer ${generated.token}` };
  }

  /** Authenticates twice: the second answer must come from the cache (no user read). */
  async function remembered(header: string): Promise<UserRecord | null> {
    const first = await auth.authenticate(header);
    const before = reads.mock.calls.length;
    const second = await auth.authenticate(header);
    expect(reads.mock.calls.length).toBe(before);
    expect(second).toEqual(first);
    return second;
  }

  const sees = async (header: string, expected: (user: UserRecord | null) => boolean) =>
    setting.settle(async () => expected(await auth.authenticate(header)));

  it('remembers the caller of a JWT and of an API token', async () => {
    const { user, jwt, apiToken } = await signedUp();
    expect((await remembered(jwt))?.id).toBe(user.id);
    expect((await remembered(apiToken))?.id).toBe(user.id);
  });

  it('deactivation: the next request is refused, by JWT and by API token', async () => {
    const { user, jwt, apiToken } = await signedUp();
    await remembered(jwt);
    await remembered(apiToken);
    await setting.writer().users.update({ ...user, isActive: false });
    await sees(jwt, (u) => u === null);
    await sees(apiToken, (u) => u === null);
  });

  it('deletion: the next request is refused', async () => {
    const { user, jwt, apiToken } = await signedUp();
    await remembered(jwt);
    await remembered(apiToken);
    await setting.writer().apiTokens.deleteByUser(user.id);
    await setting.writer().users.delete(user.id);
    await sees(jwt, (u) => u === null);
    await sees(apiToken, (u) => u === null);
  });

  it('rename: the next request carries the new username', async () => {
    const { user, jwt, apiToken } = await signedUp();
    await remembered(jwt);
    await remembered(apiToken);
    await setting.writer().users.update({ ...user, username: `renamed-${user.id}` });
    await sees(jwt, (u) => u?.username === `renamed-${user.id}`);
    await sees(apiToken, (u) => u?.username === `renamed-${user.id}`);
  });

  it('group change: the next request carries the new groups, and the loss of superuser', async () => {
    const { user, jwt } = await signedUp({ isSuperuser: true, groups: [{ id: 'g1', name: 'lab-a' }] });
    await remembered(jwt);
    await setting.writer().users.update({ ...user, isSuperuser: false, groups: [{ id: 'g2', name: 'lab-b' }] });
    await sees(jwt, (u) => u?.isSuperuser === false && u.groups.length === 1 && u.groups[0].name === 'lab-b');
  });

  it('token revocation: the next request with that token is refused, other credentials still work', async () => {
    const { user, jwt, apiToken } = await signedUp();
    await remembered(jwt);
    await remembered(apiToken);
    const [token] = await setting.writer().apiTokens.listByUser(user.id);
    await setting.writer().apiTokens.revoke(user.id, token.id, new Date());
    await sees(apiToken, (u) => u === null);
    expect((await auth.authenticate(jwt))?.id).toBe(user.id);
  });

  it('a change made in SQL outside the API (a tool, an operator) reaches the cache too', async () => {
    const { user, jwt } = await signedUp();
    await remembered(jwt);
    await setting.writer().sql.query('UPDATE "user" SET is_active = false WHERE id = $1', [user.id]);
    // Only the trigger's notification tells: even in one process this one arrives asynchronously.
    await eventually(async () => (await auth.authenticate(jwt)) === null);
  });

  it('the cached caller cannot be changed by the request that holds it', async () => {
    const { jwt } = await signedUp();
    const user = await remembered(jwt);
    expect(() => {
      (user as UserRecord).username = 'mallory';
    }).toThrow(TypeError);
  });
}

/** Polls `check` until it passes, for at most 5 s. */
export async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the change did not reach the caller cache within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
