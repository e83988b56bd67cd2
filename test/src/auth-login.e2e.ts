/**
 * Login, access tokens and authentication levels over HTTP (docs/api-conventions.md#authentication-levels, docs/auth.md;
 * and 19a).
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hash as bcryptHash } from 'bcryptjs';
import { startServer, type TestServer } from './support/api-server';
import { adminToken, type Account, createAccount, form, FORM, login } from './support/accounts';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PostgresStorage } = require(resolve(__dirname, '../../api/dist/storage/postgres/postgres.storage.js')) as {
  PostgresStorage: { open(target: unknown): Promise<{ users: { findById(id: string): Promise<{ hashedPassword: string } | null>; update(u: unknown): Promise<void> }; close(): Promise<void> }> };
};

const SECRET = 'e2e-secret';
const UNIFIED = 'e2e-unified-secret';

/** An HS256 JWT built by hand, as another KernelCI service would. */
function jwt(claims: Record<string, unknown>, secret: string, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const encode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${encode(header)}.${encode(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('login and access tokens (e2e)', () => {
  let server: TestServer;
  let admin: string;
  let alice: Account;

  beforeAll(async () => {
    server = await startServer({ UNIFIED_SECRET: UNIFIED });
    admin = await adminToken(server);
    alice = await createAccount(server, admin);
  });
  afterAll(async () => {
    await server.close();
  });

  it('15: logs in by username, not by email', async () => {
    const ok = await login(server, alice.username, alice.password);
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body as object)).toEqual(['access_token', 'token_type']);
    expect(ok.body).toMatchObject({ token_type: 'bearer' });
    expect(await login(server, alice.email, alice.password)).toMatchObject({ status: 400, body: { detail: 'LOGIN_BAD_CREDENTIALS' } });
  });

  it('16: bad credentials, inactive and unverified users, and malformed forms', async () => {
    expect(await login(server, alice.username, 'wrong')).toMatchObject({ status: 400, body: { detail: 'LOGIN_BAD_CREDENTIALS' } });
    expect(await login(server, 'nobody-at-all', 'x')).toMatchObject({ status: 400, body: { detail: 'LOGIN_BAD_CREDENTIALS' } });
    const inactive = await createAccount(server, admin);
    await server.http('PATCH', `/latest/user/${inactive.id}`, { token: admin, body: { is_active: false } });
    expect(await login(server, inactive.username, inactive.password)).toMatchObject({ status: 400, body: { detail: 'LOGIN_BAD_CREDENTIALS' } });
    const unverified = await createAccount(server, admin, { verified: false });
    expect(await login(server, unverified.username, unverified.password)).toMatchObject({ status: 400, body: { detail: 'LOGIN_USER_NOT_VERIFIED' } });
    const missing = await server.http('POST', '/latest/user/login', { body: form({ username: 'x' }), headers: FORM });
    expect(missing.status).toBe(422);
    expect((missing.body as { detail: { loc: string[] }[] }).detail[0].loc).toEqual(['body', 'password']);
    const grant = await server.http('POST', '/latest/user/login', { body: form({ username: 'x', password: 'y', grant_type: 'x' }), headers: FORM });
    expect(grant.status).toBe(422);
    expect(await server.http('POST', '/latest/user/login', { body: form({ username: alice.username, password: alice.password, grant_type: 'password' }), headers: FORM })).toMatchObject({ status: 200 });
  });

  it('17: issues HS256 tokens with exactly sub, aud and exp (ten years)', async () => {
    const before = Math.floor(Date.now() / 1000);
    const token = ((await login(server, alice.username, alice.password)).body as { access_token: string }).access_token;
    const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'sub']);
    expect(payload.sub).toBe(alice.id);
    expect(payload.aud).toEqual(['fastapi-users:auth']);
    expect(payload.exp - before).toBeGreaterThanOrEqual(315_360_000);
    expect(payload.exp - before).toBeLessThanOrEqual(315_360_002);
  });

  it('18: accepts hand-built tokens signed with SECRET_KEY or UNIFIED_SECRET, with extra claims', async () => {
    const claims = { sub: alice.id, aud: ['fastapi-users:auth'], exp: inAnHour(), email: alice.email, origin: 'kcidb', permissions: ['x'] };
    expect(await server.http('GET', '/latest/whoami', { token: jwt(claims, SECRET) })).toMatchObject({ status: 200, body: { id: alice.id } });
    expect(await server.http('GET', '/latest/whoami', { token: jwt(claims, UNIFIED) })).toMatchObject({ status: 200, body: { id: alice.id } });
    expect(await server.http('GET', '/latest/whoami', { token: jwt({ ...claims, aud: 'fastapi-users:auth' }, SECRET) })).toMatchObject({ status: 200 });
    expect(await server.http('GET', '/latest/whoami', { token: jwt(claims, 'another-key') })).toMatchObject({ status: 401, body: { detail: 'Unauthorized' } });
  });

  it('18: rejects UNIFIED_SECRET tokens when UNIFIED_SECRET is not configured', async () => {
    const other = await startServer();
    try {
      const adminId = ((await other.http('GET', '/latest/users?username=admin', { token: await adminToken(other) })).body as { items: { id: string }[] }).items[0].id;
      const claims = { sub: adminId, aud: ['fastapi-users:auth'], exp: inAnHour() };
      expect(await other.http('GET', '/latest/whoami', { token: jwt(claims, SECRET) })).toMatchObject({ status: 200 });
      expect(await other.http('GET', '/latest/whoami', { token: jwt(claims, UNIFIED) })).toMatchObject({ status: 401, body: { detail: 'Unauthorized' } });
    } finally {
      await other.close();
    }
  });

  it('19: expired, wrong audience, no sub, unknown or inactive user, garbage and non-Bearer → 401 Unauthorized', async () => {
    const base = { sub: alice.id, aud: ['fastapi-users:auth'], exp: inAnHour() };
    const inactive = await createAccount(server, admin);
    await server.http('PATCH', `/latest/user/${inactive.id}`, { token: admin, body: { is_active: false } });
    const cases: Record<string, string>[] = [
      { Authorization: `Bearer ${jwt({ ...base, exp: Math.floor(Date.now() / 1000) - 10 }, SECRET)}` },
      { Authorization: `Bearer ${jwt({ ...base, aud: ['fastapi-users:reset'] }, SECRET)}` },
      { Authorization: `Bearer ${jwt({ aud: base.aud, exp: base.exp }, SECRET)}` },
      { Authorization: `Bearer ${jwt({ ...base, sub: '65a3982ee98651d0fe82b010' }, SECRET)}` },
      { Authorization: `Bearer ${jwt({ ...base, sub: 'not-an-id' }, SECRET)}` },
      { Authorization: `Bearer ${inactive.token}` },
      { Authorization: 'Bearer garbage' },
      { Authorization: alice.token },
      { Authorization: `Basic ${alice.token}` },
      { Authorization: `Bearer ${jwt(base, SECRET, { alg: 'none', typ: 'JWT' })}` },
      {},
    ];
    for (const headers of cases) {
      const response = await server.http('GET', '/latest/users', { headers });
      expect([response.status, response.body, response.headers.get('www-authenticate')]).toEqual([401, { detail: 'Unauthorized' }, 'Bearer']);
    }
    expect((await server.http('GET', '/latest/users', { headers: { Authorization: `bEaReR ${alice.token}` } })).status).toBe(200);
  });

  it('19a: public routes answer exactly as without a token whatever Authorization carries', async () => {
    const expired = jwt({ sub: alice.id, aud: ['fastapi-users:auth'], exp: 1 }, SECRET);
    const created = await server.http('POST', '/latest/user/me/tokens', { token: alice.token, body: { name: 'to-revoke' } });
    const revoked = (created.body as { id: string; token: string });
    await server.http('DELETE', `/latest/user/me/tokens/${revoked.id}`, { token: alice.token });
    const headerSets = [{ Authorization: `Bearer ${expired}` }, { Authorization: `Bearer ${revoked.token}` }, { Authorization: 'Bearer garbage' }, { Authorization: alice.token }];
    for (const path of ['/latest/node/65a3982ee98651d0fe82b010', '/latest/nodes?kind=checkout']) {
      const plain = await server.http('GET', path);
      for (const headers of headerSets) {
        const answer = await server.http('GET', path, { headers });
        expect([answer.status, answer.body]).toEqual([plain.status, plain.body]);
      }
    }
    for (const headers of headerSets) {
      const answer = await server.http('POST', '/latest/user/login', { body: form({ username: alice.username, password: alice.password }), headers: { ...FORM, ...headers } });
      expect(answer.status).toBe(200);
    }
  });

  it('20: an unverified user may use user-level routes but not /whoami or /user/logout', async () => {
    const unverified = await createAccount(server, admin, { verified: false });
    expect((await server.http('GET', '/latest/users', { token: unverified.token })).status).toBe(200);
    expect((await server.http('PATCH', '/latest/user/me', { token: unverified.token, body: {} })).status).toBe(200);
    const node = { kind: 'checkout', name: 'c', path: ['c'], data: { kernel_revision: { tree: 't', url: 'https://example.org/l.git', branch: 'b', commit: 'c' } } };
    expect((await server.http('POST', '/latest/node', { token: unverified.token, body: node })).status).toBe(200);
    expect(await server.http('GET', '/latest/whoami', { token: unverified.token })).toMatchObject({ status: 403, body: { detail: 'Forbidden' } });
    expect(await server.http('POST', '/latest/user/logout', { token: unverified.token })).toMatchObject({ status: 403, body: { detail: 'Forbidden' } });
  });

  it('21: every admin route → 401 without a token and 403 Forbidden for a non-admin', async () => {
    const id = alice.id;
    const routes: [string, string, unknown?][] = [
      ['POST', '/latest/user/register', {}],
      ['POST', '/latest/user/invite', { username: 'x', email: 'x@example.org' }],
      ['GET', '/latest/user/invite/url'],
      ['PATCH', `/latest/user/${id}`, {}],
      ['DELETE', `/latest/user/${id}`],
      ['GET', `/latest/user/${id}/tokens`],
      ['DELETE', `/latest/user/${id}/tokens/65a3982ee98651d0fe82b010`],
      ['GET', '/latest/user-groups'],
      ['POST', '/latest/user-groups', { name: 'x' }],
      ['GET', '/latest/user-groups/65a3982ee98651d0fe82b010'],
      ['DELETE', '/latest/user-groups/65a3982ee98651d0fe82b010'],
    ];
    for (const [method, path, body] of routes) {
      expect([method, path, await server.http(method, path, { body })]).toMatchObject([method, path, { status: 401, body: { detail: 'Unauthorized' } }]);
      expect([method, path, await server.http(method, path, { body, token: alice.token })]).toMatchObject([method, path, { status: 403, body: { detail: 'Forbidden' } }]);
    }
  });

  it('22: the service does not start with SECRET_KEY missing or blank next to a database server', async () => {
    for (const secret of ['', '   ']) {
      await expect(startServer({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', SECRET_KEY: secret })).rejects.toThrow(/SECRET_KEY/);
    }
  });

  it('24: POST /user/logout → 204 and the token still works', async () => {
    const out = await server.http('POST', '/latest/user/logout', { token: alice.token });
    expect([out.status, out.text]).toEqual([204, '']);
    expect((await server.http('GET', '/latest/whoami', { token: alice.token })).status).toBe(200);
  });

  it('25: POST /user/register as admin → 404 with the invite hint', async () => {
    expect(await server.http('POST', '/latest/user/register', { token: admin, body: { username: 'x' } })).toMatchObject({
      status: 404,
      body: { detail: 'User registration is disabled; use /user/invite instead.' },
    });
  });

  it('36: /whoami answers UserRead with exactly seven keys and no hash', async () => {
    const me = await server.http('GET', '/latest/whoami', { token: admin });
    expect(me.status).toBe(200);
    expect(Object.keys(me.body as object)).toEqual(['id', 'email', 'is_active', 'is_superuser', 'is_verified', 'username', 'groups']);
    expect(me.body).toMatchObject({ username: 'admin', is_superuser: true, is_verified: true, is_active: true });
    expect(me.text).not.toContain('hashed_password');
    expect(me.text).not.toContain('$argon2');
    // Unprefixed and /v0 forms reach the same route (docs/api-conventions.md#version-prefixes-and-routing).
    expect((await server.http('GET', '/whoami', { token: admin })).status).toBe(200);
    expect((await server.http('GET', '/latest//whoami', { token: admin })).status).toBe(200);
  });
});

describe('OpenAPI security (e2e)', () => {
  it('declares one bearer scheme (JWT or API token) and requires it on every authenticated operation', async () => {
    const server = await startServer();
    try {
      const doc = (await server.http('GET', '/latest/openapi.json')).body as {
        components: { securitySchemes: Record<string, { type: string; scheme: string }> };
        paths: Record<string, Record<string, { security?: Record<string, string[]>[]; responses: Record<string, unknown> }>>;
      };
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      const operations = Object.values(doc.paths).flatMap((item) => Object.values(item));
      const secured = operations.filter((op) => op.responses['401']);
      expect(secured.length).toBeGreaterThan(15);
      for (const op of secured) expect(op.security).toEqual([{ bearer: [] }]);
    } finally {
      await server.close();
    }
  });
});

describe('legacy bcrypt hashes (e2e)', () => {
  it('logs in a user stored with a bcrypt hash and replaces the hash with argon2id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maestro-bcrypt-'));
    const database = { kind: 'pglite', dataDir: dir };
    try {
      const first = await startServer({ DATABASE_URL: `pglite:${dir}` });
      let userId: string;
      try {
        userId = (await createAccount(first, await adminToken(first), { username: 'legacy' })).id;
      } finally {
        await first.close();
      }
      // The only step outside HTTP: write a hash as an older deployment would have stored it.
      let storage = await PostgresStorage.open(database);
      const user = (await storage.users.findById(userId))!;
      await storage.users.update({ ...user, hashedPassword: await bcryptHash('legacy-password', 10) });
      await storage.close();

      const second = await startServer({ DATABASE_URL: `pglite:${dir}` });
      try {
        expect((await login(second, 'legacy', 'wrong')).status).toBe(400);
        expect((await login(second, 'legacy', 'legacy-password')).status).toBe(200);
      } finally {
        await second.close();
      }
      storage = await PostgresStorage.open(database);
      expect((await storage.users.findById(userId))!.hashedPassword).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=4\$/);
      await storage.close();
      const third = await startServer({ DATABASE_URL: `pglite:${dir}` });
      try {
        expect((await login(third, 'legacy', 'legacy-password')).status).toBe(200);
      } finally {
        await third.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
