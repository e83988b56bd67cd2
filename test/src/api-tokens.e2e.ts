/**
 * Revocable API tokens over HTTP (docs/auth.md#two-kinds-of-bearer-token).
 */
import { startServer, type TestServer } from './support/api-server';
import { adminToken, type Account, createAccount } from './support/accounts';

interface TokenBody {
  id: string;
  name: string;
  prefix: string;
  created: string;
  expires_at: string | null;
  last_used: string | null;
  revoked: boolean;
  token?: string;
}

describe('API tokens (e2e)', () => {
  let server: TestServer;
  let admin: string;
  let alice: Account;
  let bob: Account;

  beforeAll(async () => {
    server = await startServer();
    admin = await adminToken(server);
    alice = await createAccount(server, admin);
    bob = await createAccount(server, admin);
  });
  afterAll(async () => {
    await server.close();
  });

  const create = (token: string, body: unknown) => server.http('POST', '/latest/user/me/tokens', { token, body });

  it('42: creates a token shown once, lists it without the secret, and authenticates with it like a JWT', async () => {
    const created = await create(alice.token, { name: 'ci-bot' });
    expect(created.status).toBe(201);
    const body = created.body as TokenBody;
    expect(Object.keys(body)).toEqual(['id', 'name', 'prefix', 'created', 'expires_at', 'last_used', 'revoked', 'token']);
    expect(body.token).toMatch(/^mst_[A-Za-z0-9_-]{43}$/);
    expect(body).toMatchObject({ name: 'ci-bot', prefix: body.token!.slice(0, 8), expires_at: null, last_used: null, revoked: false });
    expect(body.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/);

    const me = await server.http('GET', '/latest/whoami', { token: body.token });
    expect(me).toMatchObject({ status: 200, body: { id: alice.id } });
    const second = await create(body.token!, { name: 'made-with-a-token', expires_at: '2099-01-01T00:00:00+02:00' });
    expect(second).toMatchObject({ status: 201, body: { expires_at: '2098-12-31T22:00:00' } });

    const list = await server.http('GET', '/latest/user/me/tokens', { token: alice.token });
    expect(list.status).toBe(200);
    const items = list.body as TokenBody[];
    expect(items.map((t) => t.name)).toEqual(['made-with-a-token', 'ci-bot']);
    expect(items.every((t) => !('token' in t))).toBe(true);
    expect(list.text).not.toContain(body.token!);
    expect(items[1].last_used).not.toBeNull();
  });

  it('42: a revoked token fails on the very next request; revoking twice is 204', async () => {
    const { id, token } = (await create(alice.token, { name: 'short' })).body as TokenBody;
    expect((await server.http('GET', '/latest/users', { token })).status).toBe(200);
    const revoked = await server.http('DELETE', `/latest/user/me/tokens/${id}`, { token: alice.token });
    expect([revoked.status, revoked.text]).toEqual([204, '']);
    expect(await server.http('GET', '/latest/users', { token })).toMatchObject({ status: 401, body: { detail: 'Unauthorized' } });
    expect((await server.http('DELETE', `/latest/user/me/tokens/${id}`, { token: alice.token })).status).toBe(204);
    const listed = ((await server.http('GET', '/latest/user/me/tokens', { token: alice.token })).body as TokenBody[]).find((t) => t.id === id);
    expect(listed).toMatchObject({ revoked: true });
  });

  it('42: a token past expires_at fails; a past expires_at is refused at creation', async () => {
    expect(await create(alice.token, { name: 'x', expires_at: '2020-01-01T00:00:00' })).toMatchObject({
      status: 400,
      body: { detail: 'expires_at must be in the future' },
    });
    const soon = new Date(Date.now() + 1500).toISOString();
    const { token } = (await create(alice.token, { name: 'soon', expires_at: soon })).body as TokenBody;
    expect((await server.http('GET', '/latest/users', { token })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(await server.http('GET', '/latest/users', { token })).toMatchObject({ status: 401, body: { detail: 'Unauthorized' } });
  });

  it('42: an inactive owner\'s token fails', async () => {
    const carol = await createAccount(server, admin);
    const { token } = (await create(carol.token, { name: 'c' })).body as TokenBody;
    await server.http('PATCH', `/latest/user/${carol.id}`, { token: admin, body: { is_active: false } });
    expect(await server.http('GET', '/latest/users', { token })).toMatchObject({ status: 401, body: { detail: 'Unauthorized' } });
  });

  it('42: another user\'s token on the /me route → 404; an admin lists and revokes any user\'s tokens', async () => {
    const { id, token } = (await create(bob.token, { name: 'bob-bot' })).body as TokenBody;
    expect(await server.http('DELETE', `/latest/user/me/tokens/${id}`, { token: alice.token })).toMatchObject({
      status: 404,
      body: { detail: `Token not found with id: ${id}` },
    });
    expect(await server.http('DELETE', '/latest/user/me/tokens/zz', { token: alice.token })).toMatchObject({
      status: 404,
      body: { detail: 'Token not found with id: zz' },
    });
    const listed = await server.http('GET', `/latest/user/${bob.id}/tokens`, { token: admin });
    expect(listed.status).toBe(200);
    expect((listed.body as TokenBody[]).map((t) => t.id)).toContain(id);
    expect(listed.text).not.toContain(token!);
    expect(await server.http('DELETE', `/latest/user/${alice.id}/tokens/${id}`, { token: admin })).toMatchObject({
      status: 404,
      body: { detail: `Token not found with id: ${id}` },
    });
    expect((await server.http('DELETE', `/latest/user/${bob.id}/tokens/${id}`, { token: admin })).status).toBe(204);
    expect((await server.http('GET', '/latest/users', { token })).status).toBe(401);
    expect(await server.http('GET', '/latest/user/65a3982ee98651d0fe82b010/tokens', { token: admin })).toMatchObject({
      status: 404,
      body: { detail: 'User not found with id: 65a3982ee98651d0fe82b010' },
    });
    expect((await server.http('GET', '/latest/user/zz/tokens', { token: admin })).status).toBe(400);
  });

  it('validates the create body (422)', async () => {
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(101) }, { name: 'x', expires_at: 'tomorrow' }]) {
      expect((await create(alice.token, body)).status).toBe(422);
    }
    expect((await create(alice.token, { name: 'x'.repeat(100), expires_at: null })).status).toBe(201);
  });
});
