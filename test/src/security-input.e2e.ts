/**
 * The reproductions of security issue #11 (defects 2 and 3), exactly as reported, against the real
 * server on PGlite and (with DATABASE_URL=postgres://…) on the PostgreSQL server: every one answers
 * a 4xx with KernelCI's `{"detail": …}` shape (or the status docs/security.md documents), nothing
 * is written, and the server keeps answering afterwards. See docs/security.md.
 */
import { startServer, type TestServer } from './support/api-server';
import { adminToken, createAccount } from './support/accounts';
import { engines } from './support/engines';

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

interface Reproduction {
  name: string;
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  auth?: boolean;
  /** Expected status; a 4xx unless docs/security.md documents otherwise. */
  status: number;
}

/** Random text that no compression brings below the database's index limit. */
function randomText(length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(0x4e00 + Math.floor(Math.random() * 20_000));
  return text;
}

function reproductions(nodeId: string): Reproduction[] {
  const huge = '99999999999999999999999';
  return [
    // Defect 2: regular expressions PGlite cannot compile.
    { name: 'regex on /count', method: 'GET', path: '/latest/count?name__re=((a{50}){50}){50}', status: 400 },
    { name: 'regex on /nodes', method: 'GET', path: '/latest/nodes?name__re=(((a{100}){100}){100})', status: 400 },
    // Defect 3: NUL characters.
    { name: 'NUL in login form', method: 'POST', path: '/latest/user/login', body: 'username=%00&password=x', headers: FORM, status: 422 },
    { name: 'NUL in /users filter', method: 'GET', path: '/latest/users?username=%00', auth: true, status: 422 },
    { name: 'NUL in /events channel', method: 'GET', path: '/latest/events?channel=%00', status: 422 },
    { name: 'NUL in subscribe channel', method: 'POST', path: '/latest/subscribe/%00', auth: true, status: 422 },
    { name: 'NUL in token name', method: 'POST', path: '/latest/user/me/tokens', body: '{"name":"\\u0000"}', auth: true, status: 422 },
    { name: 'NUL in published data', method: 'POST', path: '/latest/publish/node', body: '{"data":{"a":"\\u0000"}}', auth: true, status: 422 },
    // Built-in object names as filter fields: unknown fields, which match nothing (200, empty page).
    { name: 'constructor filter', method: 'GET', path: '/latest/users?constructor=x', auth: true, status: 200 },
    { name: '__proto__ filter', method: 'GET', path: '/latest/users?__proto__=x', auth: true, status: 200 },
    { name: 'toString filter', method: 'GET', path: '/latest/users?toString=x', auth: true, status: 200 },
    { name: 'valueOf filter', method: 'GET', path: '/latest/user-groups?valueOf=1', auth: true, status: 200 },
    // Integers beyond the database's range.
    { name: '/nodes limit', method: 'GET', path: `/latest/nodes?limit=${huge}`, status: 422 },
    { name: '/nodes offset', method: 'GET', path: `/latest/nodes?offset=${huge}`, status: 422 },
    { name: '/events limit', method: 'GET', path: `/latest/events?limit=${huge}`, status: 400 },
    { name: '/events offset', method: 'GET', path: `/latest/events?offset=${huge}`, status: 400 },
    { name: '/nodes/fast limit', method: 'GET', path: `/latest/nodes/fast?limit=${huge}`, status: 400 },
    { name: '/nodes/fast offset', method: 'GET', path: `/latest/nodes/fast?offset=${huge}`, status: 400 },
    { name: 'unsubscribe id', method: 'POST', path: '/latest/unsubscribe/99999999999999999999', auth: true, status: 422 },
    { name: 'listen id', method: 'GET', path: '/latest/listen/99999999999999999999', auth: true, status: 422 },
    // A body key named constructor outside free-form data... and inside: see the test below.
    { name: 'constructor attribute', method: 'POST', path: '/latest/publish/node', body: '{"data":{"a":1},"attributes":{"constructor":"x"}}', auth: true, status: 200 },
    // Deep nesting.
    { name: '50,000-deep array', method: 'PATCH', path: `/latest/node/${nodeId}`, body: '['.repeat(50_000) + ']'.repeat(50_000), auth: true, status: 422 },
    { name: '20,000-deep object', method: 'POST', path: '/latest/user/reset-password', body: '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000), status: 422 },
    // Text beyond the index limit.
    { name: 'long node name', method: 'POST', path: '/latest/node', body: JSON.stringify({ kind: 'checkout', name: randomText(20_000), path: ['x'] }), auth: true, status: 422 },
    { name: 'long group name', method: 'POST', path: '/latest/user-groups', body: JSON.stringify({ name: randomText(20_000) }), auth: true, status: 422 },
  ];
}

describe.each(engines())('issue #11 reproductions on $name (e2e)', (engine) => {
  let server: TestServer;
  let admin: string;
  let nodeId: string;

  beforeAll(async () => {
    server = await startServer(await engine.env());
    admin = await adminToken(server);
    const created = await server.http('POST', '/latest/node', { token: admin, body: { kind: 'checkout', name: 'seed', path: ['seed'] } });
    nodeId = (created.body as { id: string }).id;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await engine.cleanup();
  });

  /** What a refused request must leave unchanged. */
  async function snapshot(): Promise<unknown[]> {
    const parts = await Promise.all(
      ['/latest/count', '/latest/users?limit=1000', '/latest/user-groups?limit=1000', '/latest/user/me/tokens', '/latest/events?limit=0'].map((path) =>
        server.http('GET', path, { token: admin }),
      ),
    );
    return parts.map((part) => part.body);
  }

  it('answers every reproduction with its documented status and {"detail": …}, writes nothing, and keeps answering', async () => {
    const seen: string[] = [];
    for (const repro of reproductions(nodeId)) {
      const before = repro.method === 'GET' ? null : await snapshot();
      const headers: Record<string, string> = { ...(repro.body !== undefined && !repro.headers ? { 'Content-Type': 'application/json' } : {}), ...repro.headers };
      const answer = await server.http(repro.method, repro.path, { body: repro.body, headers, token: repro.auth ? admin : undefined });
      seen.push(`${repro.name}: ${answer.status}`);
      expect(`${repro.name}: ${answer.status}`).toBe(`${repro.name}: ${repro.status}`);
      if (answer.status >= 400) expect(answer.body).toHaveProperty('detail');
      if (before && answer.status >= 400) expect(await snapshot()).toEqual(before);
      const whoami = await server.http('GET', '/latest/whoami', { token: admin });
      expect(`${repro.name} then /whoami: ${whoami.status}`).toBe(`${repro.name} then /whoami: 200`);
    }
    expect(seen).toHaveLength(25);
  }, 120_000);

  it('stores a key named constructor inside data as user data', async () => {
    const created = await server.http('POST', '/latest/node', {
      token: admin,
      body: { kind: 'checkout', name: 'ctor', path: ['ctor'], data: { constructor: 1, nested: { constructor: { constructor: 'x' } } } },
    });
    expect(created.status).toBe(200);
    const read = await server.http('GET', `/latest/node/${(created.body as { id: string }).id}`);
    expect((read.body as { data: unknown }).data).toEqual({ constructor: 1, nested: { constructor: { constructor: 'x' } } });
  });
});

describe('subscription cap and refused batch updates (e2e)', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startServer({ MAX_SUBSCRIPTIONS_PER_USER: '3' });
    admin = await adminToken(server);
  }, 60_000);
  afterAll(() => server?.close());

  it('answers 429 with a detail and Retry-After past MAX_SUBSCRIPTIONS_PER_USER, and frees a slot on unsubscribe', async () => {
    const bob = await createAccount(server, admin);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await server.http('POST', `/latest/subscribe/cap-${i}`, { token: bob.token });
      expect(answer.status).toBe(200);
      ids.push((answer.body as { id: number }).id);
    }
    const refused = await server.http('POST', '/latest/subscribe/cap-x', { token: bob.token });
    expect(refused).toMatchObject({ status: 429, body: { detail: 'Too many subscriptions: at most 3 per user; unsubscribe unused ones' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another user has a quota of their own.
    expect((await server.http('POST', '/latest/subscribe/cap-x', { token: admin })).status).toBe(200);
    expect((await server.http('POST', `/latest/unsubscribe/${ids[0]}`, { token: bob.token })).status).toBe(200);
    expect((await server.http('POST', '/latest/subscribe/cap-x', { token: bob.token })).status).toBe(200);
  });

  it('keeps 200 0 for PUT /batch/nodeset on another user\'s node, and counts the refusal', async () => {
    const carol = await createAccount(server, admin);
    const node = await server.http('POST', '/latest/node', { token: admin, body: { kind: 'checkout', name: 'not-carols', path: ['not-carols'] } });
    const metric = async () => {
      const text = (await server.http('GET', '/latest/metrics')).text;
      return Number(/^batch_nodeset_refused\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
    };
    const before = await metric();
    const answer = await server.http('PUT', '/latest/batch/nodeset', { token: carol.token, body: { nodes: [(node.body as { id: string }).id], field: 'processed_by_kcidb_bridge', value: true } });
    expect(answer).toMatchObject({ status: 200, body: 0 });
    expect(await metric()).toBe(before + 1);
    const read = await server.http('GET', `/latest/node/${(node.body as { id: string }).id}`);
    expect((read.body as { processed_by_kcidb_bridge: boolean }).processed_by_kcidb_bridge).toBe(false);
  });
});
