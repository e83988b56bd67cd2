/**
 * The permission matrix (issue #11): every role × every write and admin route, generated from ONE
 * table of routes and ONE table of roles. Each case asserts the status (and detail) that the levels
 * of docs/auth.md give, and, when the request is refused, that the target reads back unchanged.
 *
 * The roles include the two takeover scenarios of issue #11 (docs/adr/0012-account-ownership.md):
 * hank renames himself hank2 and bob then asks for `hank` (refused); gina is deleted and carol then
 * asks for `gina` (refused). hank2 keeps everything hank had; bob and carol get none of it.
 *
 * Phases: accounts are created through the storage port (no password hashing, so the matrix stays
 * fast); every case's target is prepared as its owner BEFORE the renames and deletions; then the
 * account events happen over HTTP; then every case runs. A last check proves the table covers every
 * authenticated non-GET operation of openapi.json.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startServer, type TestServer } from './support/api-server';
import { checkoutBody, nodeFixtures, testBody } from './support/node-fixtures';

type Subject = 'owner' | 'hank' | 'gina';
type Level = 'user' | 'admin' | 'editor' | 'verified' | 'holder';

interface Role {
  name: string;
  token?: string;
  /** Authenticates as an active user. */
  active: boolean;
  superuser: boolean;
  /** Whose nodes, tokens and subscriptions this role's cases aim at. */
  subject: Subject;
  /** Acts as the subject's account (same account, any name or token). */
  holds: boolean;
  /** May edit the subject's nodes (owner, group member, superuser). */
  edits: boolean;
  /** The account id behind the token, when there is one. */
  id?: string;
}

interface Target {
  [key: string]: string;
}

interface Request {
  method: string;
  path: string;
  body?: unknown;
}

interface RouteCase {
  /** `METHOD /path` exactly as in openapi.json. */
  route: string;
  level: Level;
  ok: number;
  /** `holder` routes: what another active user gets. */
  other?: (t: Target) => { status: number; detail?: string | RegExp };
  /** Creates the target, as the subject's account, before any account event. */
  prepare?: (c: Ctx, subject: Subject, willSucceed: boolean) => Promise<Target>;
  request: (t: Target, role: Role) => Request;
  /** What must not change when the request is refused (read as admin). */
  state?: (c: Ctx, t: Target, role: Role) => Promise<unknown>;
  /** Extra check of a successful answer. */
  body?: (role: Role) => unknown;
}

interface Ctx {
  server: TestServer;
  admin: string;
  tokens: Record<Subject, string>;
  ids: Record<Subject, string>;
  sharedVictim: string;
  sharedGroup: string;
}

let seq = 0;
const tag = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++seq}`;

async function ok(response: Promise<{ status: number; body: unknown; text: string }>, expected: number, what: string): Promise<unknown> {
  const r = await response;
  if (r.status !== expected) throw new Error(`${what}: expected ${expected}, got ${r.status} ${r.text}`);
  return r.body;
}

const read = async (c: Ctx, path: string) => {
  const r = await c.server.http('GET', path, { token: c.admin });
  return { status: r.status, body: r.body };
};

async function makeNode(c: Ctx, subject: Subject): Promise<Target> {
  const node = (await ok(c.server.http('POST', '/latest/node', { token: c.tokens[subject], body: checkoutBody({ name: tag('n'), user_groups: ['team-a'] }) }), 200, 'create node')) as {
    id: string;
    name: string;
  };
  return { id: node.id, name: node.name };
}

async function makeApiToken(c: Ctx, subject: Subject): Promise<Target> {
  const token = (await ok(c.server.http('POST', '/latest/user/me/tokens', { token: c.tokens[subject], body: { name: tag('t') } }), 201, 'create token')) as { id: string };
  return { id: token.id, user: c.ids[subject] };
}

async function makeVictim(c: Ctx): Promise<string> {
  const name = tag('victim');
  const invited = (await ok(c.server.http('POST', '/latest/user/invite', { token: c.admin, body: { username: name, email: `${name}@example.org`, send_email: false } }), 200, 'invite')) as {
    user: { id: string };
  };
  return invited.user.id;
}

/** The target token only: authenticating with an API token updates its own `last_used`. */
const tokensOf = async (c: Ctx, t: Target) => {
  const listed = await read(c, `/latest/user/${t.user}/tokens`);
  return Array.isArray(listed.body) ? (listed.body as { id: string }[]).filter((token) => token.id === t.id) : listed;
};
const subscriptionOf = async (c: Ctx, t: Target) =>
  ((await read(c, '/latest/stats/subscriptions')).body as { id: number }[]).filter((s) => String(s.id) === t.id);

/** THE table of routes: every authenticated write route and every admin route. */
const ROUTES: RouteCase[] = [
  {
    route: 'POST /node',
    level: 'user',
    ok: 200,
    prepare: async () => ({ name: tag('created') }),
    request: (t) => ({ method: 'POST', path: '/latest/node', body: checkoutBody({ name: t.name }) }),
    state: async (c, t) => (await read(c, `/latest/count?name=${t.name}`)).body,
  },
  {
    route: 'PUT /node/{node_id}',
    level: 'editor',
    ok: 200,
    prepare: (c, s) => makeNode(c, s),
    request: (t) => ({ method: 'PUT', path: `/latest/node/${t.id}`, body: checkoutBody({ name: t.name, state: 'available', user_groups: ['team-a'] }) }),
    state: (c, t) => read(c, `/latest/node/${t.id}`),
  },
  {
    route: 'PATCH /node/{node_id}',
    level: 'editor',
    ok: 200,
    prepare: (c, s) => makeNode(c, s),
    request: (t) => ({ method: 'PATCH', path: `/latest/node/${t.id}`, body: { state: 'available' } }),
    state: (c, t) => read(c, `/latest/node/${t.id}`),
  },
  {
    route: 'PUT /nodes/{node_id}',
    level: 'editor',
    ok: 200,
    prepare: (c, s) => makeNode(c, s),
    request: (t) => ({
      method: 'PUT',
      path: `/latest/nodes/${t.id}`,
      body: { node: checkoutBody({ name: t.name, state: 'available', user_groups: ['team-a'] }), child_nodes: [{ node: testBody({ name: `${t.name}-child` }), child_nodes: [] }] },
    }),
    state: async (c, t) => [await read(c, `/latest/node/${t.id}`), (await read(c, `/latest/count?name=${t.name}-child`)).body],
  },
  {
    route: 'PUT /batch/nodeset',
    level: 'user',
    ok: 200,
    prepare: (c, s) => makeNode(c, s),
    request: (t) => ({ method: 'PUT', path: '/latest/batch/nodeset', body: { nodes: [t.id], field: 'processed_by_kcidb_bridge', value: true } }),
    state: (c, t) => read(c, `/latest/node/${t.id}`),
    // Nodes the caller may not edit are left alone and not counted (contract keeps KernelCI's 200).
    body: (role) => (role.edits ? 1 : 0),
  },
  {
    route: 'PATCH /user/me',
    level: 'user',
    ok: 200,
    // Privilege flags are ignored even when the request succeeds: nothing may change.
    request: () => ({ method: 'PATCH', path: '/latest/user/me', body: { is_superuser: true, is_active: false, is_verified: false } }),
    state: async (c, _t, role) => (role.id ? read(c, `/latest/user/${role.id}`) : null),
  },
  {
    route: 'PATCH /user/{user_id}',
    level: 'admin',
    ok: 200,
    prepare: async (c, _s, succeed) => ({ id: succeed ? await makeVictim(c) : c.sharedVictim }),
    request: (t) => ({ method: 'PATCH', path: `/latest/user/${t.id}`, body: { is_superuser: true } }),
    state: (c, t) => read(c, `/latest/user/${t.id}`),
  },
  {
    route: 'DELETE /user/{user_id}',
    level: 'admin',
    ok: 200,
    prepare: async (c, _s, succeed) => ({ id: succeed ? await makeVictim(c) : c.sharedVictim }),
    request: (t) => ({ method: 'DELETE', path: `/latest/user/${t.id}` }),
    state: (c, t) => read(c, `/latest/user/${t.id}`),
  },
  {
    route: 'POST /user/invite',
    level: 'admin',
    ok: 200,
    prepare: async () => ({ name: tag('invitee') }),
    request: (t) => ({ method: 'POST', path: '/latest/user/invite', body: { username: t.name, email: `${t.name}@example.org`, send_email: false } }),
    state: async (c, t) => (await read(c, `/latest/users?username=${t.name}`)).body,
  },
  {
    route: 'POST /user/register',
    level: 'admin',
    ok: 404, // disabled: invites replace it
    prepare: async () => ({ name: tag('registrant') }),
    request: (t) => ({ method: 'POST', path: '/latest/user/register', body: { username: t.name, email: `${t.name}@example.org`, password: 'x' } }),
    state: async (c, t) => (await read(c, `/latest/users?username=${t.name}`)).body,
  },
  { route: 'GET /user/invite/url', level: 'admin', ok: 200, request: () => ({ method: 'GET', path: '/latest/user/invite/url' }) },
  {
    route: 'POST /user-groups',
    level: 'admin',
    ok: 200,
    prepare: async () => ({ name: tag('group') }),
    request: (t) => ({ method: 'POST', path: '/latest/user-groups', body: { name: t.name } }),
    state: async (c, t) => (await read(c, `/latest/user-groups?name=${t.name}`)).body,
  },
  { route: 'GET /user-groups', level: 'admin', ok: 200, request: () => ({ method: 'GET', path: '/latest/user-groups' }) },
  {
    route: 'GET /user-groups/{group_id}',
    level: 'admin',
    ok: 200,
    prepare: async (c) => ({ id: c.sharedGroup }),
    request: (t) => ({ method: 'GET', path: `/latest/user-groups/${t.id}` }),
  },
  {
    route: 'DELETE /user-groups/{group_id}',
    level: 'admin',
    ok: 204,
    prepare: async (c, _s, succeed) => {
      if (!succeed) return { id: c.sharedGroup };
      const group = (await ok(c.server.http('POST', '/latest/user-groups', { token: c.admin, body: { name: tag('doomed') } }), 200, 'group')) as { id: string };
      return { id: group.id };
    },
    request: (t) => ({ method: 'DELETE', path: `/latest/user-groups/${t.id}` }),
    state: (c, t) => read(c, `/latest/user-groups/${t.id}`),
  },
  { route: 'POST /user/me/tokens', level: 'user', ok: 201, request: () => ({ method: 'POST', path: '/latest/user/me/tokens', body: { name: 'matrix' } }) },
  {
    route: 'DELETE /user/me/tokens/{token_id}',
    level: 'holder',
    ok: 204,
    other: (t) => ({ status: 404, detail: `Token not found with id: ${t.id}` }),
    prepare: (c, s) => makeApiToken(c, s),
    request: (t) => ({ method: 'DELETE', path: `/latest/user/me/tokens/${t.id}` }),
    state: tokensOf,
  },
  {
    route: 'GET /user/{user_id}/tokens',
    level: 'admin',
    ok: 200,
    prepare: async (c) => ({ id: c.ids.owner }),
    request: (t) => ({ method: 'GET', path: `/latest/user/${t.id}/tokens` }),
  },
  {
    route: 'DELETE /user/{user_id}/tokens/{token_id}',
    level: 'admin',
    ok: 204,
    prepare: (c) => makeApiToken(c, 'owner'),
    request: (t) => ({ method: 'DELETE', path: `/latest/user/${t.user}/tokens/${t.id}` }),
    state: tokensOf,
  },
  {
    route: 'POST /subscribe/{channel}',
    level: 'user',
    ok: 200,
    prepare: async () => ({ channel: tag('matrix-sub') }),
    request: (t) => ({ method: 'POST', path: `/latest/subscribe/${t.channel}` }),
    state: async (c, t) => ((await read(c, '/latest/stats/subscriptions')).body as { channel: string }[]).filter((s) => s.channel === t.channel),
  },
  {
    route: 'POST /unsubscribe/{sub_id}',
    level: 'holder',
    ok: 200,
    other: (t) => ({ status: 403, detail: new RegExp(`^Subscription ${t.id} not owned by `) }),
    prepare: async (c, s) => {
      const sub = (await ok(c.server.http('POST', `/latest/subscribe/${tag('matrix-unsub')}`, { token: c.tokens[s] }), 200, 'subscribe')) as { id: number };
      return { id: String(sub.id) };
    },
    request: (t) => ({ method: 'POST', path: `/latest/unsubscribe/${t.id}` }),
    state: subscriptionOf,
  },
  {
    route: 'POST /publish/{channel}',
    level: 'user',
    ok: 200,
    prepare: async () => ({ channel: tag('matrix-pub') }),
    request: (t) => ({ method: 'POST', path: `/latest/publish/${t.channel}`, body: { data: { matrix: true } } }),
    state: async (c, t) => (await read(c, `/latest/events?channel=${t.channel}`)).body,
  },
  {
    route: 'POST /telemetry',
    level: 'user',
    ok: 200,
    prepare: async () => ({ runtime: tag('matrix-lab') }),
    request: (t) => ({ method: 'POST', path: '/latest/telemetry', body: [{ kind: 'job_result', runtime: t.runtime, result: 'pass' }] }),
    state: async (c, t) => (await read(c, `/latest/telemetry?runtime=${t.runtime}`)).body,
  },
  {
    route: 'POST /kv/{namespace}/{key}',
    level: 'user',
    ok: 200,
    prepare: async () => ({ namespace: tag('matrix-ns') }),
    request: (t) => ({ method: 'POST', path: `/latest/kv/${t.namespace}/k`, body: 'v' }),
    state: async (c, t) => (await read(c, `/latest/kv/${t.namespace}/k`)).body,
  },
  {
    route: 'DELETE /kv/{namespace}/{key}',
    level: 'user',
    ok: 200,
    prepare: async (c) => {
      const namespace = tag('matrix-ns');
      await ok(c.server.http('POST', `/latest/kv/${namespace}/k`, { token: c.admin, body: 'kept' }), 200, 'set kv');
      return { namespace };
    },
    request: (t) => ({ method: 'DELETE', path: `/latest/kv/${t.namespace}/k` }),
    state: async (c, t) => (await read(c, `/latest/kv/${t.namespace}/k`)).body,
  },
  // Refusals are not checked for "nothing changed": reading a queue takes its item (and an empty
  // one waits POP_TIMEOUT_SECONDS); the queue suites prove what a push stores.
  {
    route: 'POST /push/{list_name}',
    level: 'user',
    ok: 200,
    prepare: async () => ({ list: tag('matrix-list') }),
    request: (t) => ({ method: 'POST', path: `/latest/push/${t.list}`, body: { data: { matrix: true } } }),
  },
  { route: 'GET /stats/subscriptions', level: 'admin', ok: 200, request: () => ({ method: 'GET', path: '/latest/stats/subscriptions' }) },
  { route: 'POST /user/logout', level: 'verified', ok: 204, request: () => ({ method: 'POST', path: '/latest/user/logout' }) },
];

/** Operations that need no token, or are reads that no role changes anything with: why each is outside the matrix. */
const OUTSIDE = new Map([
  ['GET /listen/{sub_id}', 'a read (long poll); its ownership rule is the one POST /unsubscribe/{sub_id} shows'],
]);

function expected(route: RouteCase, role: Role, target: Target): { status: number; detail?: string | RegExp } {
  if (!role.active) return { status: 401, detail: 'Unauthorized' };
  switch (route.level) {
    case 'user':
    case 'verified':
      return { status: route.ok };
    case 'admin':
      return role.superuser ? { status: route.ok } : { status: 403, detail: 'Forbidden' };
    case 'editor':
      return role.edits ? { status: route.ok } : { status: 401, detail: 'Unauthorized to complete the operation' };
    case 'holder':
      return role.holds ? { status: route.ok } : route.other!(target);
  }
}

describe('permission matrix (e2e, PGlite)', () => {
  let server: TestServer;
  let c: Ctx;
  let roles: Role[];
  const names: Record<string, string> = {};
  const events: Record<string, { status: number; body: unknown }> = {};
  const cases: { route: RouteCase; role: Role; target: Target }[] = [];

  beforeAll(async () => {
    server = await startServer();
    const fx = nodeFixtures(server);
    const admin = await fx.user({ superuser: true });
    const [owner, user, member, other, deactivated, hank, bob, gina, carol] = await Promise.all([
      fx.user(),
      fx.user(),
      fx.user({ groups: ['team-a'] }),
      fx.user({ groups: ['team-b'] }),
      fx.user(),
      fx.user(),
      fx.user(),
      fx.user(),
      fx.user(),
    ]);
    Object.assign(names, { hank: hank.username, gina: gina.username, bob: bob.username, carol: carol.username });
    const group = (await ok(server.http('POST', '/latest/user-groups', { token: admin.token, body: { name: tag('shared') } }), 200, 'group')) as { id: string };
    c = { server, admin: admin.token, tokens: { owner: owner.token, hank: hank.token, gina: gina.token }, ids: { owner: owner.id, hank: hank.id, gina: gina.id }, sharedVictim: '', sharedGroup: group.id };
    c.sharedVictim = await makeVictim(c);
    const apiToken = (await ok(server.http('POST', '/latest/user/me/tokens', { token: owner.token, body: { name: 'matrix-api' } }), 201, 'api token')) as { id: string; token: string };
    const revoked = (await ok(server.http('POST', '/latest/user/me/tokens', { token: owner.token, body: { name: 'matrix-revoked' } }), 201, 'api token')) as { id: string; token: string };

    const base = { superuser: false, subject: 'owner' as Subject, holds: false, edits: false };
    roles = [
      { ...base, name: 'anonymous', active: false },
      { ...base, name: 'user', token: user.token, id: user.id, active: true },
      { ...base, name: 'owner', token: owner.token, id: owner.id, active: true, holds: true, edits: true },
      { ...base, name: 'group member', token: member.token, id: member.id, active: true, edits: true },
      { ...base, name: 'other group', token: other.token, id: other.id, active: true },
      { ...base, name: 'admin', token: admin.token, id: admin.id, active: true, superuser: true, edits: true },
      { ...base, name: 'deactivated', token: deactivated.token, active: false },
      { ...base, name: 'deleted', token: gina.token, active: false },
      { ...base, name: 'renamed (hank → hank2)', token: hank.token, id: hank.id, active: true, subject: 'hank', holds: true, edits: true },
      { ...base, name: 'name taker (bob asked for hank)', token: bob.token, id: bob.id, active: true, subject: 'hank' },
      { ...base, name: 'name reuser (carol asked for gina)', token: carol.token, id: carol.id, active: true, subject: 'gina' },
      { ...base, name: 'API token', token: apiToken.token, id: owner.id, active: true, holds: true, edits: true },
      { ...base, name: 'revoked API token', token: revoked.token, active: false },
    ];

    // Phase 2: every case's target, prepared by its owner under the owner's first name.
    for (const route of ROUTES) {
      for (const role of roles) {
        const target = route.prepare ? await route.prepare(c, role.subject, expected(route, role, {}).status === route.ok) : {};
        cases.push({ route, role, target });
      }
    }
    const subscription = (await ok(server.http('POST', '/latest/subscribe/matrix-hank', { token: hank.token }), 200, 'subscribe')) as { id: number };
    names.hankSubscription = String(subscription.id);
    names.hankNode = (await makeNode(c, 'hank')).id;
    names.ginaNode = (await makeNode(c, 'gina')).id;

    // Phase 3: the account events, over HTTP.
    const patchMe = (token: string, username: string) => server.http('PATCH', '/latest/user/me', { token, body: { username } });
    events.hankRenames = await patchMe(hank.token, `${hank.username}-2`);
    events.bobTakes = await patchMe(bob.token, hank.username);
    events.ginaDeleted = await server.http('DELETE', `/latest/user/${gina.id}`, { token: admin.token });
    events.carolTakes = await patchMe(carol.token, gina.username);
    events.inviteGina = await server.http('POST', '/latest/user/invite', { token: admin.token, body: { username: gina.username, email: 'new-gina@example.org', send_email: false } });
    events.deactivated = await server.http('PATCH', `/latest/user/${deactivated.id}`, { token: admin.token, body: { is_active: false } });
    events.revoked = await server.http('DELETE', `/latest/user/me/tokens/${revoked.id}`, { token: owner.token });
  }, 240_000);

  afterAll(async () => {
    await server?.close();
  });

  it('rename swap: hank renames to hank2; bob cannot take `hank`; hank2 keeps the node, bob gets 401', async () => {
    expect(events.hankRenames.status).toBe(200);
    expect([events.bobTakes.status, events.bobTakes.body]).toEqual([400, { detail: `Username already exists: ${names.hank}` }]);
    const bob = roles.find((r) => r.name.startsWith('name taker'))!;
    const hank = roles.find((r) => r.name.startsWith('renamed'))!;
    expect(await server.http('PATCH', `/latest/node/${names.hankNode}`, { token: bob.token, body: { result: 'fail' } })).toMatchObject({
      status: 401,
      body: { detail: 'Unauthorized to complete the operation' },
    });
    const patched = await server.http('PATCH', `/latest/node/${names.hankNode}`, { token: hank.token, body: { result: 'pass' } });
    // The wire is unchanged: the node still names its owner by the name it was created under.
    expect(patched).toMatchObject({ status: 200, body: { owner: names.hank, result: 'pass' } });
    // The subscription made under the old name still belongs to the account.
    expect(await server.http('POST', `/latest/unsubscribe/${names.hankSubscription}`, { token: bob.token })).toMatchObject({ status: 403 });
    expect(await server.http('POST', `/latest/unsubscribe/${names.hankSubscription}`, { token: hank.token })).toMatchObject({ status: 200, body: null });
  });

  it('reused name: gina is deleted; neither carol nor a new invite can take `gina`; carol gets 401 on her node', async () => {
    expect(events.ginaDeleted.status).toBe(200);
    expect([events.carolTakes.status, events.carolTakes.body]).toEqual([400, { detail: `Username already exists: ${names.gina}` }]);
    expect(events.inviteGina.status).toBe(400);
    const carol = roles.find((r) => r.name.startsWith('name reuser'))!;
    expect(await server.http('PATCH', `/latest/node/${names.ginaNode}`, { token: carol.token, body: { result: 'fail' } })).toMatchObject({
      status: 401,
      body: { detail: 'Unauthorized to complete the operation' },
    });
    expect(((await server.http('GET', `/latest/node/${names.ginaNode}`)).body as { result: unknown }).result).toBeNull();
    expect(events.deactivated.status).toBe(200);
    expect(events.revoked.status).toBe(204);
  });

  it('every role × every write and admin route: expected status, and nothing changed when refused', async () => {
    const failures: string[] = [];
    let unchangedChecks = 0;
    for (const { route, role, target } of cases) {
      const want = expected(route, role, target);
      const req = route.request(target, role);
      const before = route.state ? await route.state(c, target, role) : undefined;
      const res = await server.http(req.method, req.path, { token: role.token, body: req.body });
      const label = `${route.route} as ${role.name}`;
      if (res.status !== want.status) failures.push(`${label}: expected ${want.status}, got ${res.status} ${res.text.slice(0, 200)}`);
      const detail = (res.body as { detail?: unknown } | null)?.detail;
      if (want.detail instanceof RegExp ? !want.detail.test(String(detail)) : want.detail !== undefined && detail !== want.detail) {
        failures.push(`${label}: expected detail ${String(want.detail)}, got ${JSON.stringify(detail)}`);
      }
      if (route.body && res.status === route.ok && JSON.stringify(res.body) !== JSON.stringify(route.body(role))) {
        failures.push(`${label}: expected body ${JSON.stringify(route.body(role))}, got ${res.text}`);
      }
      const refused = want.status !== route.ok || (route.body && route.body(role) === 0) || route.route === 'PATCH /user/me';
      if (route.state && refused) {
        unchangedChecks += 1;
        const after = await route.state(c, target, role);
        if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${label}: refused, but changed: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
      }
    }
    console.log(`permission matrix: ${cases.length} cases over ${ROUTES.length} routes and ${roles.length} roles (${unchangedChecks} refusals checked unchanged)`);
    expect(failures).toEqual([]);
    expect(cases.length).toBe(ROUTES.length * roles.length);
  }, 240_000);

  it('covers every authenticated write operation of openapi.json', () => {
    const document = JSON.parse(readFileSync(resolve(__dirname, '../../openapi/openapi.json'), 'utf8')) as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    const covered = new Set(ROUTES.map((r) => r.route));
    const missing: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const key = `${method.toUpperCase()} ${path}`;
        if (!operation.security || method === 'get' || covered.has(key) || OUTSIDE.has(key)) continue;
        missing.push(key);
      }
    }
    expect(missing).toEqual([]);
    for (const route of covered) expect(Object.keys(document.paths)).toContain(route.slice(route.indexOf(' ') + 1));
  });
});
