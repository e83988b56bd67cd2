import { createClient } from './client';
import { ConflictError, NetworkError } from './errors';
import { FakeApi } from './fake/fake-api';

type Route = (url: URL, req: Request) => unknown;

function server(routes: Record<string, Route>) {
  const calls: string[] = [];
  const fetch = (async (req: Request) => {
    const url = new URL(req.url);
    const key = `${req.method} ${url.pathname.replace(/^\/latest/, '')}`;
    calls.push(`${key}${url.search}`);
    const route = routes[key];
    if (!route) return new Response(JSON.stringify({ detail: 'Not Found' }), { status: 404 });
    const out = route(url, req);
    return out instanceof Response ? out : new Response(JSON.stringify(out), { headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const user = (i: number) => ({ id: `u${i}`, username: `user${i}`, email: `u${i}@x`, is_active: true, is_superuser: false, is_verified: true, groups: [] });

describe('users, groups and tokens', () => {
  it('users.list walks every page; whoami, get and updateMe hit their routes', async () => {
    const all = Array.from({ length: 5 }, (_, i) => user(i));
    const s = server({
      'GET /users': (url) => {
        const limit = Number(url.searchParams.get('limit'));
        const offset = Number(url.searchParams.get('offset'));
        return { items: all.slice(offset, offset + limit), total: all.length, limit, offset };
      },
      'GET /whoami': () => user(0),
      'GET /user/u3': () => user(3),
      'PATCH /user/me': () => ({ ...user(0), email: 'new@x' }),
    });
    const maestro = createClient({ baseUrl: 'http://h', fetch: s.fetch, token: 'tok-123456', compat: 'maestro' });
    const names: string[] = [];
    for await (const u of maestro.users.list({ is_superuser: 'false' }, { pageSize: 2 })) names.push(u.username);
    expect(names).toEqual(['user0', 'user1', 'user2', 'user3', 'user4']);
    expect(s.calls.filter((c) => c.startsWith('GET /users'))).toHaveLength(3);
    expect((await maestro.users.whoami()).id).toBe('u0');
    expect((await maestro.users.get('u3')).username).toBe('user3');
    expect((await maestro.users.updateMe({ email: 'new@x' })).email).toBe('new@x');
  });

  it('groups: create, get, delete (409 while assigned), list', async () => {
    const s = server({
      'POST /user-groups': () => ({ id: 'g1', name: 'node:edit:any' }),
      'GET /user-groups/g1': () => ({ id: 'g1', name: 'node:edit:any' }),
      'DELETE /user-groups/g1': () => new Response(JSON.stringify({ detail: 'User group is assigned to users and cannot be deleted. Remove it from users first.' }), { status: 409 }),
      'GET /user-groups': () => ({ items: [{ id: 'g1', name: 'node:edit:any' }], total: 1, limit: 100, offset: 0 }),
    });
    const maestro = createClient({ baseUrl: 'http://h', fetch: s.fetch, token: 'tok-123456', compat: 'maestro' });
    expect(await maestro.groups.create('node:edit:any')).toEqual({ id: 'g1', name: 'node:edit:any' });
    expect((await maestro.groups.get('g1')).name).toBe('node:edit:any');
    await expect(maestro.groups.delete('g1')).rejects.toBeInstanceOf(ConflictError);
    const names: string[] = [];
    for await (const g of maestro.groups.list()) names.push(g.name);
    expect(names).toEqual(['node:edit:any']);
  });

  it('API tokens: create sends expires_at with an offset; list and revoke use /me or the admin route', async () => {
    let body: unknown;
    const s = server({
      'POST /user/me/tokens': (_u, req) => {
        body = req;
        return { id: 't1', name: 'ci', prefix: 'mst_AbCd', created: 'x', expires_at: null, last_used: null, revoked: false, token: 'mst_secret' };
      },
      'GET /user/me/tokens': () => [],
      'GET /user/u9/tokens': () => [],
      'DELETE /user/me/tokens/t1': () => new Response(null, { status: 204 }),
      'DELETE /user/u9/tokens/t1': () => new Response(null, { status: 204 }),
    });
    const maestro = createClient({ baseUrl: 'http://h', fetch: s.fetch, token: 'tok-123456', compat: 'maestro' });
    const created = await maestro.tokens.create({ name: 'ci', expiresAt: new Date('2030-01-01T00:00:00Z') });
    expect(created.token).toBe('mst_secret');
    expect(await (body as Request).json()).toEqual({ name: 'ci', expires_at: '2030-01-01T00:00:00.000+00:00' });
    await maestro.tokens.list();
    await maestro.tokens.list({ userId: 'u9' });
    await maestro.tokens.revoke('t1');
    await maestro.tokens.revoke('t1', { userId: 'u9' });
    expect(s.calls.slice(1)).toEqual(['GET /user/me/tokens', 'GET /user/u9/tokens', 'DELETE /user/me/tokens/t1', 'DELETE /user/u9/tokens/t1']);
  });
});

describe('KernelCI-mode creation after a lost answer', () => {
  it('resends once when the lookup by key finds nothing, and never when retries are off', async () => {
    const api = new FakeApi('kernelci');
    let lose = 1;
    api.interceptors.push((call) => {
      if (call.method === 'POST' && call.path === '/node' && lose > 0) {
        lose--;
        throw new TypeError('connection reset before the server saw it');
      }
      return undefined;
    });
    const maestro = createClient({ baseUrl: 'http://h', fetch: api.fetch, token: 'tok-123456', compat: 'kernelci' });
    const node = await maestro.nodes.create({ kind: 'checkout', name: 'c', path: ['c'] });
    expect(api.nodes.size).toBe(1);
    expect(node.debug).toHaveProperty('idempotency_key');
    lose = 1;
    const strict = createClient({ baseUrl: 'http://h', fetch: api.fetch, token: 'tok-123456', compat: 'kernelci', retry: false });
    const error = await strict.nodes.create({ kind: 'checkout', name: 'd', path: ['d'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).ambiguous).toBe(true);
    expect(api.nodes.size).toBe(1);
  });
});
