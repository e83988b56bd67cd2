/**
 * The login rate limit over HTTP (docs/auth.md#login-rate-limit, docs/api-conventions.md#error-bodies-and-precedence precedence).
 */
import { startServer, type TestServer } from './support/api-server';
import { adminToken, type Account, createAccount, form, FORM, login } from './support/accounts';

const TOO_MANY = { detail: 'Too many login attempts, try again later' };

describe('login rate limit (e2e)', () => {
  describe('with the defaults (10 failures per username in 900 s)', () => {
    let server: TestServer;
    let alice: Account;

    beforeAll(async () => {
      server = await startServer();
      alice = await createAccount(server, await adminToken(server));
    });
    afterAll(async () => {
      await server.close();
    });

    it('35: after 10 failures the right password gets 429 with Retry-After, before any validation', async () => {
      const firstFailure = Date.now();
      for (let i = 0; i < 10; i += 1) {
        expect(await login(server, alice.username, 'wrong')).toMatchObject({ status: 400, body: { detail: 'LOGIN_BAD_CREDENTIALS' } });
      }
      const blocked = await login(server, alice.username, alice.password);
      expect([blocked.status, blocked.body]).toEqual([429, TOO_MANY]);
      const retryAfter = Number(blocked.headers.get('retry-after'));
      // The window opened at the first failure (ten argon2 checks may take a while on a busy machine).
      expect(retryAfter).toBeGreaterThanOrEqual(900 - Math.ceil((Date.now() - firstFailure) / 1000) - 1);
      expect(retryAfter).toBeLessThanOrEqual(900);
      // 429 comes before request validation (docs/api-conventions.md#error-bodies-and-precedence), and update-password shares the counter.
      const invalid = await server.http('POST', '/latest/user/login', { body: form({ username: alice.username, grant_type: 'x' }), headers: FORM });
      expect(invalid.status).toBe(429);
      const update = await server.http('POST', '/latest/user/update-password', { body: form({ username: alice.username, password: alice.password }), headers: FORM });
      expect(update).toMatchObject({ status: 429, body: TOO_MANY });
      // Other usernames from the same address are not blocked (the address limit is 100).
      expect((await login(server, 'admin', 'wrong')).status).toBe(400);
      // No other answer carries Retry-After (docs/api-conventions.md#client-retries).
      expect((await login(server, 'admin', 'wrong')).headers.get('retry-after')).toBeNull();
    });
  });

  describe('with a 3-second window and 2 attempts', () => {
    let server: TestServer;
    let admin: string;

    beforeAll(async () => {
      server = await startServer({ LOGIN_RATE_LIMIT_ATTEMPTS: '2', LOGIN_RATE_LIMIT_WINDOW_SECONDS: '3' });
      admin = await adminToken(server);
    });
    afterAll(async () => {
      await server.close();
    });

    it('35a: Retry-After is the exact wait; 429s do not prolong it; the right password then works', async () => {
      const bob = await createAccount(server, admin);
      expect((await login(server, bob.username, 'wrong')).status).toBe(400);
      expect((await login(server, bob.username, 'wrong')).status).toBe(400);
      const first = await login(server, bob.username, bob.password);
      expect(first.status).toBe(429);
      expect(Number(first.headers.get('retry-after'))).toBeLessThanOrEqual(3);
      // Hammering while blocked neither counts nor moves the end of the window.
      for (let i = 0; i < 3; i += 1) expect((await login(server, bob.username, 'wrong')).status).toBe(429);
      const again = await login(server, bob.username, bob.password);
      const wait = Number(again.headers.get('retry-after'));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(Number(first.headers.get('retry-after')));
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      expect((await login(server, bob.username, bob.password)).status).toBe(200);
    });

    it('a successful login clears the username counter', async () => {
      const carol = await createAccount(server, admin);
      expect((await login(server, carol.username, 'wrong')).status).toBe(400);
      expect((await login(server, carol.username, carol.password)).status).toBe(200);
      expect((await login(server, carol.username, 'wrong')).status).toBe(400);
      expect((await login(server, carol.username, carol.password)).status).toBe(200);
    });
  });

  describe('per client address, with 2 attempts per username, behind a trusted proxy (TRUSTED_PROXIES=loopback)', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startServer({ LOGIN_RATE_LIMIT_ATTEMPTS: '2', TRUSTED_PROXIES: 'loopback' });
    });
    afterAll(async () => {
      await server.close();
    });

    it('counts failures per client address (ten times the username limit), from the right-most untrusted X-Forwarded-For hop', async () => {
      const from = { 'X-Forwarded-For': '203.0.113.50' };
      for (let i = 0; i < 20; i += 1) {
        expect((await login(server, `ghost-${i}`, 'x', from)).status).toBe(400);
      }
      const blocked = await login(server, 'admin', 'whatever', from);
      expect([blocked.status, blocked.body]).toEqual([429, TOO_MANY]);
      // A hop the client wrote itself, left of the one the proxy appended, changes nothing.
      expect((await login(server, 'ghost-99', 'x', { 'X-Forwarded-For': '198.51.100.200, 203.0.113.50' })).status).toBe(429);
      // RFC 7239 Forwarded is not read.
      expect((await login(server, 'ghost-99', 'x', { Forwarded: 'for=198.51.100.201' })).status).toBe(400);
      expect((await login(server, 'ghost-99', 'x', { 'X-Forwarded-For': '203.0.113.51' })).status).toBe(400);
    });

    it('ten wrong passwords from one address do not lock the owner out elsewhere', async () => {
      const alice = await createAccount(server, await adminToken(server));
      for (let i = 0; i < 2; i += 1) expect((await login(server, alice.username, 'wrong', { 'X-Forwarded-For': '203.0.113.66' })).status).toBe(400);
      expect((await login(server, alice.username, alice.password, { 'X-Forwarded-For': '203.0.113.66' })).status).toBe(429);
      expect((await login(server, alice.username, alice.password, { 'X-Forwarded-For': '198.51.100.7' })).status).toBe(200);
    });
  });

  describe('without TRUSTED_PROXIES (the default)', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startServer({ LOGIN_RATE_LIMIT_ATTEMPTS: '2' });
    });
    afterAll(async () => {
      await server.close();
    });

    it('ignores X-Forwarded-For: rotating forged addresses does not escape the limit (issue #11 defect 4)', async () => {
      for (let i = 0; i < 20; i += 1) {
        expect((await login(server, `ghost-${i}`, 'x', { 'X-Forwarded-For': `198.51.100.${i}` })).status).toBe(400);
      }
      expect((await login(server, 'ghost-x', 'x', { 'X-Forwarded-For': '198.51.100.250' })).status).toBe(429);
    });

    it('limits forgot-password per address', async () => {
      const forgot = () => server.http('POST', '/latest/user/forgot-password', { body: { email: 'nobody@example.org' } });
      expect((await forgot()).status).toBe(202);
      expect((await forgot()).status).toBe(202);
      const blocked = await forgot();
      expect([blocked.status, blocked.body]).toEqual([429, { detail: 'Too many password reset requests, try again later' }]);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  });
});
