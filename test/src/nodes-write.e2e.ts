/**
 * Node writes through HTTP (docs/nodes.md), on PGlite.
 */
import { resolve } from 'node:path';
import { startServer, type TestServer } from './support/api-server';
import { checkoutBody, nodeFixtures, revision, testBody, type NodeFixtures } from './support/node-fixtures';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { STORAGE } = require(resolve(__dirname, '../../api/dist/storage/ports.js')) as { STORAGE: symbol };

type Node = Record<string, unknown> & { id: string };
const NODE_KEYS = [
  'id', 'kind', 'name', 'path', 'group', 'parent', 'state', 'result', 'artifacts', 'data', 'debug', 'jobfilter',
  'platform_filter', 'created', 'updated', 'timeout', 'holdoff', 'owner', 'submitter', 'treeid', 'user_groups',
  'processed_by_kcidb_bridge', 'retry_counter',
];
const WIRE_DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/;

describe('node writes (e2e)', () => {
  let server: TestServer;
  let fx: NodeFixtures;
  let alice: { token: string; username: string };
  let bob: { token: string; username: string };

  beforeAll(async () => {
    server = await startServer();
    fx = nodeFixtures(server);
    alice = await fx.user();
    bob = await fx.user();
  });
  afterAll(async () => {
    await server.close();
  });

  const post = async (body: unknown, token = alice.token) => server.http('POST', '/latest/node', { body, token });
  const create = async (body: unknown, token = alice.token): Promise<Node> => {
    const res = await post(body, token);
    expect(res.status).toBe(200);
    return res.body as Node;
  };
  const get = async (id: string): Promise<Node> => (await server.http('GET', `/latest/node/${id}`)).body as Node;

  it('creates a node with the 23 keys, defaults, owner = caller, an ETag and one created event', async () => {
    fx.clearEvents();
    const res = await post(checkoutBody({ owner: 'mallory', created: '2024-02-01T09:58:28.479+02:00' }));
    expect(res.status).toBe(200);
    const node = res.body as Node;
    expect(Object.keys(node)).toEqual(NODE_KEYS);
    expect(node).toMatchObject({
      owner: alice.username, state: 'running', result: null, artifacts: {}, debug: {}, jobfilter: null, platform_filter: [],
      user_groups: [], processed_by_kcidb_bridge: false, retry_counter: 0, created: '2024-02-01T07:58:28.479000',
    });
    for (const key of ['created', 'updated', 'timeout']) expect(node[key]).toMatch(WIRE_DATETIME);
    const timeoutMs = Date.parse(`${node.timeout as string}Z`) - Date.now();
    expect(Math.abs(timeoutMs - 6 * 3600_000)).toBeLessThan(60_000);
    expect(res.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(fx.events).toEqual([expect.objectContaining({ op: 'created', id: node.id })]);
  });

  it('refuses missing and unknown kinds, bad kind data and data null with 400', async () => {
    const { kind: _kind, ...noKind } = checkoutBody();
    expect(await post(noKind)).toMatchObject({ status: 400, body: { detail: 'Unsupported node kind: node' } });
    expect(await post(checkoutBody({ kind: 'foo' }))).toMatchObject({ status: 400, body: { detail: 'Unsupported node kind: foo' } });
    const { url: _url, ...noUrl } = revision;
    const bad = await post(checkoutBody({ data: { kernel_revision: noUrl } }));
    expect(bad.status).toBe(400);
    expect((bad.body as { detail: string }).detail).toMatch(/^1 validation error for Checkout\n/);
    expect((bad.body as { detail: string }).detail).toContain('data.kernel_revision.url');
    expect((await post(checkoutBody({ data: null }))).status).toBe(400);
  });

  it('answers 422 for shape errors', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ state: 'bogus' }, 'state'],
      [{ artifacts: { log: 'ftp://x.org/log' } }, 'artifacts'],
      [{ artifacts: { log: 'not a url' } }, 'artifacts'],
      [{ parent: 'x' }, 'parent'],
      [{ user_groups: ['a', 'a'] }, 'user_groups'],
      [{ retry_counter: '1' }, 'retry_counter'],
      [{ retry_counter: 1.5 }, 'retry_counter'],
    ];
    for (const [overrides, field] of cases) {
      const res = await post(checkoutBody(overrides));
      expect(res.status).toBe(422);
      expect((res.body as { detail: { loc: string[] }[] }).detail.map((i) => i.loc.join('.'))).toContain(`body.${field}`);
    }
    const parent = await post(checkoutBody({ parent: 'x' }));
    expect(JSON.stringify(parent.body)).toContain('Invalid ObjectId: x');
    const { name: _n, ...noName } = checkoutBody();
    expect((await post(noName)).status).toBe(422);
    const { path: _p, ...noPath } = checkoutBody();
    expect((await post(noPath)).status).toBe(422);
  });

  it('coerces a string kernel version and refuses a non-number', async () => {
    const node = await create(checkoutBody({ data: { kernel_revision: { ...revision, version: { version: '6', patchlevel: 7 } } } }));
    expect((node.data as { kernel_revision: { version: unknown } }).kernel_revision.version).toEqual({ version: 6, patchlevel: 7 });
    const bad = await post(checkoutBody({ data: { kernel_revision: { ...revision, version: { version: 'abc', patchlevel: 7 } } } }));
    expect(bad).toMatchObject({ status: 400, body: { detail: "invalid literal for int() with base 10: 'abc'" } });
  });

  it('checks parent, groups and id on create', async () => {
    expect(await post(checkoutBody({ parent: '65a3982ee98651d0fe82b010' }))).toMatchObject({
      status: 404, body: { detail: 'Parent not found with id: 65a3982ee98651d0fe82b010' },
    });
    expect(await post(checkoutBody({ user_groups: ['nope'] }))).toMatchObject({ status: 400, body: { detail: 'User group does not exist with name: nope' } });
    expect(await post(checkoutBody({ id: '65a3982ee98651d0fe82b010' }))).toMatchObject({
      status: 400, body: { detail: 'Object cannot be created with id: 65a3982ee98651d0fe82b010' },
    });
  });

  it('keeps unknown data keys on POST, PUT and PATCH and drops unknown top-level keys', async () => {
    const node = await create(checkoutBody({ data: { kernel_revision: revision, extra: { a: 1 } }, bogus: 1 }));
    expect(node.data).toEqual({ kernel_revision: revision, extra: { a: 1 } });
    expect(node).not.toHaveProperty('bogus');
    const put = await server.http('PUT', `/latest/node/${node.id}`, { token: alice.token, body: checkoutBody({ data: { kernel_revision: revision, more: [1] } }) });
    expect((put.body as Node).data).toEqual({ kernel_revision: revision, more: [1] });
    const patch = await server.http('PATCH', `/latest/node/${node.id}`, { token: alice.token, body: { data: { kernel_revision: revision, x: 'y' } } });
    expect((patch.body as Node).data).toEqual({ kernel_revision: revision, x: 'y' });
  });

  it('reads unknown ids as null and refuses malformed ids', async () => {
    expect(await server.http('GET', '/latest/node/65a3982ee98651d0fe82b010')).toMatchObject({ status: 200, body: null });
    expect(await server.http('GET', '/latest/node/xyz')).toMatchObject({
      status: 400, body: { detail: "'xyz' is not a valid ObjectId, it must be a 12-byte input or a 24-character hex string" },
    });
    expect(await server.http('PUT', '/latest/node/xyz', { token: alice.token, body: checkoutBody() })).toMatchObject({ status: 400 });
  });

  it('PUT replaces the node, resetting omitted fields and keeping ownership fields', async () => {
    await fx.group('lab');
    const node = await create(checkoutBody({ submitter: 'ci', user_groups: ['lab'], holdoff: '2030-01-01T00:00:00', data: { kernel_revision: revision, k: 1 } }));
    await new Promise((r) => setTimeout(r, 5));
    const body = checkoutBody({ owner: 'x', submitter: 'y', user_groups: [], holdoff: '2026-08-21 10:10:00.123456+00:00' });
    delete body.data;
    const res = await server.http('PUT', `/latest/node/${node.id}`, { token: alice.token, body });
    expect(res.status).toBe(200);
    const put = res.body as Node;
    expect(put).toMatchObject({ owner: alice.username, submitter: 'ci', user_groups: ['lab'], data: {}, holdoff: '2026-08-21T10:10:00.123000' });
    expect((put.updated as string) > (node.updated as string)).toBe(true);
    expect(await get(node.id)).toEqual(put);
    expect(res.headers.get('etag')).not.toBe(null);
    const naive = await server.http('PUT', `/latest/node/${node.id}`, { token: alice.token, body: checkoutBody({ holdoff: '2026-08-21 10:10:00.123456' }) });
    expect((naive.body as Node).holdoff).toBe('2026-08-21T10:10:00.123000');
    expect(await server.http('PUT', `/latest/node/${node.id}`, { token: alice.token, body: checkoutBody({ parent: node.id }) })).toMatchObject({
      status: 400, body: { detail: 'Parent cannot be the same as the object' },
    });
    expect(await server.http('PUT', '/latest/node/65a3982ee98651d0fe82b010', { token: alice.token, body: checkoutBody() })).toMatchObject({
      status: 404, body: { detail: 'Node not found with id: 65a3982ee98651d0fe82b010' },
    });
  });

  describe('state machine', () => {
    const states = ['running', 'available', 'closing', 'done'] as const;
    const allowed = new Set(['running>available', 'running>closing', 'running>done', 'available>closing', 'available>done', 'closing>done']);
    for (const method of ['PUT', 'PATCH'] as const) {
      it(`${method}: every allowed, same-state and forbidden move`, async () => {
        for (const from of states) {
          for (const to of states) {
            const node = await create(checkoutBody({ state: from }));
            const body = method === 'PUT' ? checkoutBody({ state: to }) : { state: to };
            const res = await server.http(method, `/latest/node/${node.id}`, { token: alice.token, body });
            if (from === to || allowed.has(`${from}>${to}`)) expect([from, to, res.status]).toEqual([from, to, 200]);
            else expect([from, to, res.status, res.body]).toEqual([from, to, 400, { detail: `Transition not allowed with state: ${to}` }]);
          }
        }
      });
    }
  });

  it('applies the KCIDB flag rules on PUT and PATCH', async () => {
    const put = async (id: string, body: Record<string, unknown>) =>
      ((await server.http('PUT', `/latest/node/${id}`, { token: alice.token, body: checkoutBody(body) })).body as Node).processed_by_kcidb_bridge;
    const patch = async (id: string, body: Record<string, unknown>) =>
      ((await server.http('PATCH', `/latest/node/${id}`, { token: alice.token, body })).body as Node).processed_by_kcidb_bridge;
    const a = await create(checkoutBody({ processed_by_kcidb_bridge: true }));
    expect(await put(a.id, { state: 'done', processed_by_kcidb_bridge: true })).toBe(false); // state change
    const b = await create(checkoutBody());
    expect(await put(b.id, { processed_by_kcidb_bridge: true })).toBe(true); // false → true
    expect(await put(b.id, { processed_by_kcidb_bridge: true })).toBe(false); // same value
    const c = await create(checkoutBody({ processed_by_kcidb_bridge: true }));
    expect(await put(c.id, {})).toBe(false); // omitted
    const d = await create(checkoutBody({ processed_by_kcidb_bridge: true }));
    expect(await patch(d.id, { state: 'done', processed_by_kcidb_bridge: true })).toBe(false);
    expect(await patch(d.id, { result: 'pass' })).toBe(false);
    expect(await patch(d.id, { processed_by_kcidb_bridge: true })).toBe(true);
  });

  it('publishes updated events with the previous state, unless noevent', async () => {
    const node = await create(checkoutBody({ result: 'fail' }));
    fx.clearEvents();
    await server.http('PUT', `/latest/node/${node.id}`, { token: alice.token, body: checkoutBody({ state: 'available', result: 'pass' }) });
    expect(fx.events).toEqual([expect.objectContaining({ op: 'updated', id: node.id, previous: { state: 'running', result: 'fail' } })]);
    fx.clearEvents();
    await server.http('PATCH', `/latest/node/${node.id}`, { token: alice.token, body: { state: 'done' } });
    expect(fx.events).toEqual([expect.objectContaining({ op: 'updated', previous: { state: 'available', result: 'pass' } })]);
    fx.clearEvents();
    for (const value of ['true', 'YES', '1', 'On']) {
      expect((await server.http('PATCH', `/latest/node/${node.id}?noevent=${value}`, { token: alice.token, body: { result: 'fail' } })).status).toBe(200);
    }
    expect((await server.http('PUT', `/latest/node/${node.id}?noevent=True`, { token: alice.token, body: checkoutBody({ state: 'done' }) })).status).toBe(200);
    expect(fx.events).toEqual([]);
    expect((await server.http('PATCH', `/latest/node/${node.id}?noevent=no`, { token: alice.token, body: { result: 'pass' } })).status).toBe(200);
    expect(fx.events).toHaveLength(1);
    expect((await server.http('PATCH', `/latest/node/${node.id}?noevent=maybe`, { token: alice.token, body: { result: 'pass' } })).status).toBe(422);
  });

  it('PATCH applies exactly the fields present', async () => {
    const node = await create(checkoutBody({ result: 'pass', debug: { a: 1 }, data: { kernel_revision: revision, keep: 1 } }));
    for (const body of [{}, { name: 'x', owner: 'y' }]) {
      expect(await server.http('PATCH', `/latest/node/${node.id}`, { token: alice.token, body })).toMatchObject({ status: 400, body: { detail: 'No fields to update' } });
    }
    const res = await server.http('PATCH', `/latest/node/${node.id}`, { token: alice.token, body: { result: null, data: { kernel_revision: revision } } });
    expect(res.body).toMatchObject({ result: null, data: { kernel_revision: revision }, debug: { a: 1 }, name: 'checkout' });
    expect((await server.http('PATCH', `/latest/node/${node.id}`, { token: alice.token, body: { state: null } })).status).toBe(422);
    expect((await server.http('PATCH', `/latest/node/${node.id}`, { token: alice.token, body: { artifacts: { a: 'not a url' } } })).status).toBe(400);
  });

  it('grants editing by each rule and refuses others with 401', async () => {
    const node = await create(testBody({ user_groups: [] }));
    await fx.group('shared');
    const shared = await create(testBody({ user_groups: ['shared'] }));
    const editors = [
      [await fx.user({ superuser: true }), node],
      [await fx.user({ groups: ['node:edit:any'] }), node],
      [await fx.user({ groups: ['shared'] }), shared],
      [await fx.user({ groups: ['runtime:lava-x:node-editor'] }), node],
      [await fx.user({ groups: ['runtime:lava-x:node-admin'] }), node],
    ] as const;
    for (const [editor, target] of editors) {
      expect((await server.http('PATCH', `/latest/node/${target.id}`, { token: editor.token, body: { result: 'pass' } })).status).toBe(200);
    }
    const denied = { status: 401, body: { detail: 'Unauthorized to complete the operation' } };
    expect(await server.http('PATCH', `/latest/node/${node.id}`, { token: bob.token, body: { result: 'pass' } })).toMatchObject(denied);
    expect(await server.http('PUT', `/latest/node/${node.id}`, { token: bob.token, body: testBody() })).toMatchObject(denied);
    expect(await server.http('PUT', `/latest/nodes/${node.id}`, { token: bob.token, body: { node: testBody(), child_nodes: [] } })).toMatchObject(denied);
  });

  describe('hierarchy submission', () => {
    it('writes the tree in pre-order with parents, copied submitter/treeid, owners and one event', async () => {
      const root = await create(checkoutBody({ submitter: 'lab-a', treeid: 'tree-1', state: 'done' }));
      const existing = await create(testBody({ parent: root.id, name: 'old' }));
      fx.clearEvents();
      const tree = {
        node: checkoutBody({ state: 'available', result: 'pass' }),
        child_nodes: [
          { node: testBody({ name: 'a', owner: 'someone' }), child_nodes: [{ node: testBody({ name: 'a1' }), child_nodes: [] }] },
          { node: testBody({ id: existing.id, name: 'b', state: 'done', result: 'fail' }), child_nodes: [] },
        ],
      };
      const res = await server.http('PUT', `/latest/nodes/${root.id}`, { token: alice.token, body: tree });
      expect(res.status).toBe(200);
      const nodes = res.body as Node[];
      expect(nodes.map((n) => n.name)).toEqual(['checkout', 'a', 'a1', 'b']);
      expect(nodes[0]).toMatchObject({ id: root.id, state: 'available' }); // no transition check (done → available)
      expect(nodes[1]).toMatchObject({ parent: root.id, owner: 'someone', submitter: 'lab-a', treeid: 'tree-1' });
      expect(nodes[2]).toMatchObject({ parent: nodes[1].id, owner: alice.username });
      expect(nodes[3]).toMatchObject({ id: existing.id, parent: root.id, state: 'done', result: 'fail' });
      expect(res.headers.get('etag')).toBe((await server.http('GET', `/latest/node/${root.id}`)).headers.get('etag'));
      expect(fx.events).toEqual([{ op: 'updated', id: root.id, state: 'available', previous: { state: 'done', result: null }, isHierarchy: true }]);
      for (const n of nodes) expect(await get(n.id)).toEqual(n);
    });

    it('stores kind-normalised data and refuses string version numbers', async () => {
      const root = await create(checkoutBody());
      const tree = {
        node: checkoutBody({ data: { kernel_revision: revision, unknown: 1 } }),
        child_nodes: [{ node: { kind: 'regression', name: 'r', path: ['r'], data: { fail_node: root.id } }, child_nodes: [] }],
      };
      const nodes = (await server.http('PUT', `/latest/nodes/${root.id}`, { token: alice.token, body: tree })).body as Node[];
      const rootData = nodes[0].data as Record<string, unknown>;
      expect(rootData).not.toHaveProperty('unknown');
      expect(rootData).toMatchObject({ error_code: null, error_msg: null });
      expect(nodes[1].data).toMatchObject({ fail_node: root.id, pass_node: null, node_sequence: [] });
      const bad = { node: checkoutBody({ data: { kernel_revision: { ...revision, version: { version: '6', patchlevel: 1 } } } }), child_nodes: [] };
      expect((await server.http('PUT', `/latest/nodes/${root.id}`, { token: alice.token, body: bad })).status).toBe(400);
    });

    it('leaves the database unchanged on every failure', async () => {
      const root = await create(checkoutBody());
      const other = await create(testBody(), bob.token);
      const before = await server.http('GET', '/latest/count');
      const child = (node: Record<string, unknown>, children: unknown[] = []) => ({ node, child_nodes: children });
      const attempts: [unknown, number, string | undefined][] = [
        [child(checkoutBody(), [child(testBody()), child(testBody({ id: '65a3982ee98651d0fe82b010' }))]), 400, 'No object found with id: 65a3982ee98651d0fe82b010'],
        [child(checkoutBody(), [child(testBody()), child(testBody({ kind: 'test', data: { error_code: 'nope' } }))]), 400, undefined],
        [child(checkoutBody(), [child(testBody()), { node: testBody() }]), 422, undefined],
        [child(checkoutBody(), [child(testBody()), child(testBody({ id: other.id }))]), 401, 'Unauthorized to complete the operation'],
      ];
      for (const [body, status, detail] of attempts) {
        const res = await server.http('PUT', `/latest/nodes/${root.id}`, { token: alice.token, body });
        expect(res.status).toBe(status);
        if (detail) expect(res.body).toEqual({ detail });
      }
      expect((await server.http('GET', '/latest/count')).body).toBe(before.body);
      expect(await get(root.id)).toEqual(root);
      expect(await server.http('PUT', '/latest/nodes/65a3982ee98651d0fe82b010', { token: alice.token, body: child(checkoutBody()) })).toMatchObject({
        status: 404, body: { detail: 'Node not found with id: 65a3982ee98651d0fe82b010' },
      });
    });
  });

  it('PUT /batch/nodeset sets the flag on editable nodes only, without events', async () => {
    const mine = await create(checkoutBody());
    const mine2 = await create(checkoutBody());
    const theirs = await create(checkoutBody(), bob.token);
    fx.clearEvents();
    const etag = (await server.http('GET', `/latest/node/${mine.id}`)).headers.get('etag');
    const res = await server.http('PUT', '/latest/batch/nodeset', { token: alice.token, body: { nodes: [mine.id, theirs.id, mine2.id], field: 'processed_by_kcidb_bridge', value: 'True' } });
    expect(res).toMatchObject({ status: 200, body: 2 });
    expect((await get(mine.id)).processed_by_kcidb_bridge).toBe(true);
    expect(((await get(mine.id)).updated as string) > (mine.updated as string)).toBe(true);
    expect((await get(theirs.id)).processed_by_kcidb_bridge).toBe(false);
    expect((await server.http('GET', `/latest/node/${mine.id}`)).headers.get('etag')).not.toBe(etag);
    expect(fx.events).toEqual([]);
    expect((await server.http('PUT', '/latest/batch/nodeset', { token: alice.token, body: { nodes: [mine.id], field: 'processed_by_kcidb_bridge', value: false } })).body).toBe(1);
    expect(await server.http('PUT', '/latest/batch/nodeset', { token: alice.token, body: { nodes: [mine2.id, '65a3982ee98651d0fe82b010'], field: 'processed_by_kcidb_bridge', value: 'false' } })).toMatchObject({
      status: 404, body: { detail: 'Node not found with id: 65a3982ee98651d0fe82b010' },
    });
    expect((await get(mine2.id)).processed_by_kcidb_bridge).toBe(false); // earlier id stayed applied
    expect(await server.http('PUT', '/latest/batch/nodeset', { token: alice.token, body: { nodes: [mine.id], field: 'state', value: 'true' } })).toMatchObject({ status: 400, body: { detail: 'Field not supported' } });
    expect(await server.http('PUT', '/latest/batch/nodeset', { token: alice.token, body: { nodes: [mine.id], field: 'processed_by_kcidb_bridge', value: 'maybe' } })).toMatchObject({ status: 400, body: { detail: 'Value not supported' } });
    expect(await server.http('PUT', '/latest/batch/nodeset', { token: alice.token, body: { nodes: ['zz'], field: 'processed_by_kcidb_bridge', value: true } })).toMatchObject({ status: 400 });
  });

  it('refuses bodies the database cannot keep faithfully with 422', async () => {
    expect(await post(checkoutBody({ name: 'a\u0000b' }))).toMatchObject({ status: 422, body: { detail: 'NUL characters are not allowed in strings' } });
    const big = await post('{"kind":"checkout","name":"c","path":["c"],"data":{"kernel_revision":' + JSON.stringify(revision) + ',"n":9007199254740993}}');
    expect(big).toMatchObject({ status: 422, body: { detail: 'Integer out of range in data.n' } });
    let deep: unknown = 1;
    for (let i = 0; i < 64; i++) deep = { d: deep };
    expect((await post(checkoutBody({ data: { kernel_revision: revision, deep } }))).status).toBe(422);
    let ok: unknown = 1;
    for (let i = 0; i < 62; i++) ok = { d: ok };
    expect((await post(checkoutBody({ data: { kernel_revision: revision, ok } }))).status).toBe(200);
    // Depth is measured within each node of a hierarchy, not from the body root.
    const root = await create(checkoutBody());
    let tree: Record<string, unknown> = { node: testBody({ data: { ok } }), child_nodes: [] };
    for (let i = 0; i < 40; i++) tree = { node: testBody(), child_nodes: [tree] };
    expect((await server.http('PUT', `/latest/nodes/${root.id}`, { token: alice.token, body: { node: checkoutBody(), child_nodes: [tree] } })).status).toBe(200);
    const badTree = { node: checkoutBody(), child_nodes: [{ node: testBody({ data: { deep } }), child_nodes: [] }] };
    expect((await server.http('PUT', `/latest/nodes/${root.id}`, { token: alice.token, body: badTree })).status).toBe(422);
  });
});

describe('node bodies at the size limit (e2e)', () => {
  let server: TestServer;
  let token: string;
  const LIMIT = 32 * 1024 * 1024;

  beforeAll(async () => {
    server = await startServer();
    ({ token } = await nodeFixtures(server).user());
  });
  afterAll(async () => {
    await server.close();
  });

  /** A hierarchy body of exactly `size` bytes: 1,600 children carrying ~20 KiB logs, padded. */
  function hierarchyOfSize(size: number): string {
    const log = 'x'.repeat(20_000);
    const tree = { node: checkoutBody(), child_nodes: Array.from({ length: 1600 }, (_, i) => ({ node: testBody({ name: `case-${i}`, debug: { log } }), child_nodes: [] })) };
    const text = JSON.stringify(tree);
    const padding = size - text.length - ',"pad":""'.length;
    if (padding < 0) throw new Error('tree too large for the requested size');
    return `${text.slice(0, -1)},"pad":"${'p'.repeat(padding)}"}`;
  }

  it('accepts a 32 MiB hierarchy within 60 s and refuses one byte more with 413, without Retry-After', async () => {
    const root = (await server.http('POST', '/latest/node', { body: checkoutBody(), token })).body as Node;
    const body = hierarchyOfSize(LIMIT);
    expect(Buffer.byteLength(body)).toBe(LIMIT);
    const started = Date.now();
    const ok = await server.http('PUT', `/latest/nodes/${root.id}`, { body, token });
    expect(ok.status).toBe(200);
    expect((ok.body as Node[]).length).toBe(1601);
    expect(Date.now() - started).toBeLessThan(60_000);
    const tooLarge = await server.http('PUT', `/latest/nodes/${root.id}`, { body: hierarchyOfSize(LIMIT + 1), token });
    expect(tooLarge).toMatchObject({ status: 413, body: { detail: 'Request body too large' } });
    expect(tooLarge.headers.get('retry-after')).toBe(null);
  }, 120_000);

  it('reads a POST /node body without Content-Type as JSON', async () => {
    const res = await server.fetch(`${server.baseUrl}/latest/node`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: new Blob([JSON.stringify(checkoutBody())]),
    });
    expect(res.status).toBe(200);
  });

  it('answers an unhandled failure with the 500 body', async () => {
    const node = (await server.http('POST', '/latest/node', { body: checkoutBody(), token })).body as Node;
    const storage = server.app.get<symbol, { nodes: { findById: (id: string) => Promise<unknown> } }>(STORAGE);
    const spy = jest.spyOn(storage.nodes, 'findById').mockRejectedValueOnce(new Error('injected'));
    try {
      expect(await server.http('GET', `/latest/node/${node.id}`)).toMatchObject({ status: 500, body: { message: 'Internal server error, check container logs' } });
    } finally {
      spy.mockRestore();
    }
  });
});
