import { loadConfig } from '../config/config';
import type { Storage } from '../storage/ports';
import { openStorage } from '../storage/storage.module';
import { LoginRateLimiter, TOO_MANY_LOGIN_ATTEMPTS, TOO_MANY_RESET_REQUESTS } from './login-rate-limiter';

/**
 * The rules of the credential rate limits over a real (in-memory PGlite) counter table, with
 * LOGIN_RATE_LIMIT_ATTEMPTS=2: 2 failures per (username, address), 20 per address, 20 per username
 * from unknown addresses.
 */
describe('LoginRateLimiter (issue #11: no lock-out switch, forgot-password limited)', () => {
  let storage: Storage;
  let limiter: LoginRateLimiter;
  const now = new Date('2026-06-01T12:00:00Z');
  let n = 0;
  const name = () => `user-${++n}`;

  beforeAll(async () => {
    storage = await openStorage(loadConfig({ DATABASE_URL: 'pglite:memory' }));
    limiter = new LoginRateLimiter(loadConfig({ DATABASE_URL: 'pglite:memory', LOGIN_RATE_LIMIT_ATTEMPTS: '2', LOGIN_RATE_LIMIT_WINDOW_SECONDS: '900' }), storage);
  }, 60_000);
  afterAll(() => storage.close());

  const blocked = (username: string | undefined, address: string, at = now) =>
    limiter.check(username, address, at).then(
      () => null,
      (error: { status: number; detail: string; headers: Record<string, string> }) => error,
    );
  const fail = async (username: string, address: string, times: number) => {
    for (let i = 0; i < times; i++) await limiter.recordFailure(username, address, now);
  };

  it('blocks the guessing address for that username only; the owner elsewhere is not locked out', async () => {
    const victim = name();
    await fail(victim, '203.0.113.66', 2);
    expect(await blocked(victim, '203.0.113.66')).toMatchObject({ status: 429, detail: TOO_MANY_LOGIN_ATTEMPTS, headers: { 'Retry-After': '900' } });
    expect(await blocked(victim, '198.51.100.7')).toBeNull();
    expect(await blocked(name(), '203.0.113.66')).toBeNull();
  });

  it('blocks an address that sprays many usernames', async () => {
    const address = '203.0.113.77';
    for (let i = 0; i < 20; i++) await fail(name(), address, 1);
    expect(await blocked(name(), address)).toMatchObject({ status: 429 });
    expect(await blocked(undefined, address)).toMatchObject({ status: 429 });
  });

  it('caps a distributed guesser per username, except from addresses the owner logged in from', async () => {
    const victim = name();
    await limiter.recordSuccess(victim, '192.0.2.10', now);
    for (let i = 0; i < 20; i++) await fail(victim, `198.18.0.${i}`, 1);
    expect(await blocked(victim, '198.18.1.1')).toMatchObject({ status: 429 });
    expect(await blocked(victim, '192.0.2.10')).toBeNull();
    // The known address still has its own per-pair limit.
    await fail(victim, '192.0.2.10', 2);
    expect(await blocked(victim, '192.0.2.10')).toMatchObject({ status: 429 });
  });

  it('clears the pair counter on success and ends every block with its window', async () => {
    const user = name();
    await fail(user, '192.0.2.20', 1);
    await limiter.recordSuccess(user, '192.0.2.20', now);
    await fail(user, '192.0.2.20', 1);
    expect(await blocked(user, '192.0.2.20')).toBeNull();
    await fail(user, '192.0.2.20', 1);
    expect(await blocked(user, '192.0.2.20')).toMatchObject({ status: 429 });
    expect(await blocked(user, '192.0.2.20', new Date(now.getTime() + 900_000))).toBeNull();
  });

  it('keeps counter keys short for absurd usernames', async () => {
    const huge = 'x'.repeat(20_000);
    await fail(huge, '192.0.2.30', 2);
    expect(await blocked(huge, '192.0.2.30')).toMatchObject({ status: 429 });
  });

  it('limits forgot-password requests per address, without counting the refused ones', async () => {
    const at = new Date('2026-06-02T00:00:00Z');
    await limiter.countResetRequest('192.0.2.40', at);
    await limiter.countResetRequest('192.0.2.40', at);
    const third = await limiter.countResetRequest('192.0.2.40', new Date(at.getTime() + 100_000)).catch((e: unknown) => e);
    expect(third).toMatchObject({ status: 429, detail: TOO_MANY_RESET_REQUESTS, headers: { 'Retry-After': '800' } });
    await expect(limiter.countResetRequest('192.0.2.41', at)).resolves.toBeUndefined();
    await expect(limiter.countResetRequest('192.0.2.40', new Date(at.getTime() + 900_000))).resolves.toBeUndefined();
  });
});
