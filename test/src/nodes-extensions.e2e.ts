/**
 * Idempotency-Key, ETag/If-Match, lifecycle and purge through HTTP (docs/nodes.md;
 *), on PGlite.
 */
import { resolve } from 'node:path';
import { startServer, type TestServer } from './support/api-server';
import { checkoutBody, nodeFixtures, testBody, type NodeFixtures } from './support/node-fixtures';

type Node = Record<string, unknown> & { id: string };
const dist = resolve(__dirname, '../../api/dist');
/* eslint-disable @typescript-eslint/no-require-imports */
const { LifecycleService } = require(`${dist}/nodes/lifecycle.service.js`);
const { NodePurgeService } = require(`${dist}/nodes/node-purge.service.js`);
/* eslint-enable @typescript-eslint/no-require-imports */

describe('node extensions (e2e)', () => {
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

  const create = async (body: Record<string, unknown>, token = alice.token): Promise<Node> => {
    const res = await server.http('POST', '/latest/node', { body, token });
    expect(res.status).toBe(200);
    return res.body as Node;
  };
  const etagOf = async (id: string): Promise<string> => (await server.http('GET', `/latest/node/${id}`)).headers.get('etag')!;

  describe('Idempotency-Key', () => {
    it('replays a retried POST /node: same body, one node, one event', async () => {
      fx.clearEvents();
      const before = (await server.http('GET', '/latest/count')).body as number;
      const headers = { 'Idempotency-Key': 'post-1' };
      const first = await server.http('POST', '/latest/node', { body: checkoutBody(), token: alice.token, headers });
      const second = await server.http('POST', '/latest/node', { body: checkoutBody(), token: alice.token, headers });
      expect(second.status).toBe(first.status);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(first.headers.get('idempotent-replayed')).toBe(null);
      expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
      expect((await server.http('GET', '/latest/count')).body).toBe(before + 1);
      expect(fx.events.filter((e) => e.op === 'created')).toHaveLength(1);
    });

    it('runs concurrent retries with one key once', async () => {
      const before = (await server.http('GET', '/latest/count')).body as number;
      const headers = { 'Idempotency-Key': 'post-concurrent' };
      const answers = await Promise.all([1, 2, 3].map(() => server.http('POST', '/latest/node', { body: checkoutBody(), token: alice.token, headers })));
      const ok = answers.filter((a) => a.status === 200);
      expect(ok.length).toBeGreaterThanOrEqual(1);
      for (const a of answers) expect([200, 409]).toContain(a.status);
      for (const a of answers.filter((x) => x.status === 409)) expect(a.body).toEqual({ detail: 'A request with this Idempotency-Key is already in progress' });
      expect(new Set(ok.map((a) => (a.body as Node).id)).size).toBe(1);
      expect((await server.http('GET', '/latest/count')).body).toBe(before + 1);
    });

    it('refuses reuse with another body, isolates users, re-executes failures and checks the header', async () => {
      const headers = { 'Idempotency-Key': 'post-2' };
      expect((await server.http('POST', '/latest/node', { body: checkoutBody(), token: alice.token, headers })).status).toBe(200);
      expect(await server.http('POST', '/latest/node', { body: checkoutBody({ name: 'other' }), token: alice.token, headers })).toMatchObject({
        status: 422, body: { detail: 'Idempotency-Key has already been used with a different request' },
      });
      const bobs = await server.http('POST', '/latest/node', { body: checkoutBody(), token: bob.token, headers });
      expect(bobs.status).toBe(200);
      expect(bobs.headers.get('idempotent-replayed')).toBe(null);
      const failing = { 'Idempotency-Key': 'post-3' };
      expect((await server.http('POST', '/latest/node', { body: checkoutBody({ kind: 'foo' }), token: alice.token, headers: failing })).status).toBe(400);
      expect((await server.http('POST', '/latest/node', { body: checkoutBody({ kind: 'foo' }), token: alice.token, headers: failing })).status).toBe(400);
      expect((await server.http('POST', '/latest/node', { body: checkoutBody(), token: alice.token, headers: failing })).headers.get('idempotent-replayed')).toBe(null);
      for (const key of ['', 'x'.repeat(300), 'has space']) {
        expect(await server.http('POST', '/latest/node', { body: checkoutBody(), token: alice.token, headers: { 'Idempotency-Key': key } })).toMatchObject({
          status: 400, body: { detail: 'Invalid Idempotency-Key header' },
        });
      }
    });

    it('replays a hierarchy submission without writing or publishing', async () => {
      const root = await create(checkoutBody());
      const tree = { node: checkoutBody(), child_nodes: [{ node: testBody(), child_nodes: [] }] };
      const headers = { 'Idempotency-Key': 'tree-1' };
      const first = await server.http('PUT', `/latest/nodes/${root.id}`, { body: tree, token: alice.token, headers });
      expect(first.status).toBe(200);
      const count = (await server.http('GET', '/latest/count')).body;
      fx.clearEvents();
      const second = await server.http('PUT', `/latest/nodes/${root.id}`, { body: tree, token: alice.token, headers });
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.body).toEqual(first.body);
      expect((await server.http('GET', '/latest/count')).body).toBe(count);
      expect(fx.events).toEqual([]);
    });
  });

  describe('ETag and If-Match', () => {
    it('changes the ETag on every update and refuses stale, weak or unknown tags with 412', async () => {
      const node = await create(checkoutBody());
      const v1 = await etagOf(node.id);
      const patched = await server.http('PATCH', `/latest/node/${node.id}`, { body: { result: 'pass' }, token: alice.token, headers: { 'If-Match': v1 } });
      expect(patched.status).toBe(200);
      const v2 = patched.headers.get('etag')!;
      expect(v2).not.toBe(v1);
      expect(await etagOf(node.id)).toBe(v2);
      const stale = { status: 412, body: { detail: 'Precondition failed: node has been modified' } };
      expect(await server.http('PATCH', `/latest/node/${node.id}`, { body: { result: 'fail' }, token: alice.token, headers: { 'If-Match': v1 } })).toMatchObject(stale);
      expect(await server.http('PUT', `/latest/node/${node.id}`, { body: checkoutBody(), token: alice.token, headers: { 'If-Match': v1 } })).toMatchObject(stale);
      expect(await server.http('PUT', `/latest/nodes/${node.id}`, { body: { node: checkoutBody(), child_nodes: [] }, token: alice.token, headers: { 'If-Match': v1 } })).toMatchObject(stale);
      expect(await server.http('PATCH', `/latest/node/${node.id}`, { body: { result: 'fail' }, token: alice.token, headers: { 'If-Match': `W/${v2}` } })).toMatchObject(stale);
      expect((await server.http('GET', `/latest/node/${node.id}`)).body).toMatchObject({ result: 'pass' });
      expect((await server.http('PATCH', `/latest/node/${node.id}`, { body: { result: 'fail' }, token: alice.token, headers: { 'If-Match': `"nope", ${v2}` } })).status).toBe(200);
      expect((await server.http('PUT', `/latest/node/${node.id}`, { body: checkoutBody(), token: alice.token, headers: { 'If-Match': '*' } })).status).toBe(200);
      const tree = await server.http('PUT', `/latest/nodes/${node.id}`, { body: { node: checkoutBody(), child_nodes: [] }, token: alice.token, headers: { 'If-Match': await etagOf(node.id) } });
      expect(tree.status).toBe(200);
    });

    it('lets exactly one of two concurrent PATCHes with the same If-Match win', async () => {
      const node = await create(checkoutBody());
      const tag = await etagOf(node.id);
      const answers = await Promise.all(
        ['pass', 'fail'].map((result) => server.http('PATCH', `/latest/node/${node.id}`, { body: { result }, token: alice.token, headers: { 'If-Match': tag } })),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
      const winner = answers.find((a) => a.status === 200)!.body as Node;
      expect((await server.http('GET', `/latest/node/${node.id}`)).body).toEqual(winner);
    });
  });

  describe('lifecycle', () => {
    const past = '2020-01-01T00:00:00';
    it('times out nodes, holds off and closes them as the contract says', async () => {
      const lifecycle = server.app.get(LifecycleService);
      const timedOut = await create(testBody({ timeout: past, data: { keep: 1 }, processed_by_kcidb_bridge: true }));
      const withResult = await create(testBody({ timeout: past, result: 'pass', data: { keep: 2 } }));
      const parentPending = await create(checkoutBody({ state: 'available', holdoff: past }));
      const child = await create(testBody({ parent: parentPending.id, state: 'done' }));
      await create(testBody({ parent: child.id, state: 'running' })); // grandchild pending
      const parentDone = await create(checkoutBody({ state: 'available', holdoff: past }));
      await create(testBody({ parent: parentDone.id, state: 'done' }));
      fx.clearEvents();
      await lifecycle.runOnce();
      const get = async (id: string) => (await server.http('GET', `/latest/node/${id}`)).body as Node;
      expect(await get(timedOut.id)).toMatchObject({
        state: 'done', result: 'incomplete', processed_by_kcidb_bridge: false, data: { keep: 1, error_code: 'node_timeout', error_msg: 'Node timed-out' },
      });
      expect(await get(withResult.id)).toMatchObject({ state: 'done', result: 'pass', data: { keep: 2 } });
      expect((await get(parentPending.id)).state).toBe('closing');
      expect((await get(parentDone.id)).state).toBe('done');
      expect(fx.events).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ op: 'updated', id: timedOut.id, previous: { state: 'running', result: null } }),
          expect.objectContaining({ op: 'updated', id: parentPending.id, state: 'closing', previous: { state: 'available', result: null } }),
        ]),
      );
      expect(fx.events.filter((e) => e.id === timedOut.id)).toHaveLength(1);
      // Second pass: nothing new happens while the grandchild is pending.
      fx.clearEvents();
      await lifecycle.runOnce();
      expect(fx.events.filter((e) => [timedOut.id, parentPending.id].includes(e.id))).toEqual([]);
      // Once every descendant is done, the closing node is done.
      const pending = ((await server.http('GET', `/latest/nodes?parent=${child.id}`)).body as { items: Node[] }).items[0];
      await server.http('PATCH', `/latest/node/${pending.id}`, { body: { state: 'done' }, token: alice.token });
      await lifecycle.runOnce();
      expect((await get(parentPending.id)).state).toBe('done');
    });

    it('changes nothing by itself with LIFECYCLE_ENABLED=false (the harness default)', async () => {
      const node = await create(testBody({ timeout: past }));
      await new Promise((r) => setTimeout(r, 1500));
      expect((await server.http('GET', `/latest/node/${node.id}`)).body).toMatchObject({ state: 'running' });
    });
  });

  it('purges old non-checkout nodes, keeps checkouts and publishes nothing', async () => {
    const purge = server.app.get(NodePurgeService);
    const oldCheckout = await create(checkoutBody({ created: '2020-01-01T00:00:00' }));
    const oldTest = await create(testBody({ created: '2020-01-01T00:00:00', parent: oldCheckout.id }));
    const fresh = await create(testBody());
    fx.clearEvents();
    expect(await purge.runOnce()).toBeGreaterThanOrEqual(1);
    expect(fx.events).toEqual([]);
    expect((await server.http('GET', `/latest/node/${oldTest.id}`)).body).toBe(null);
    expect((await server.http('GET', `/latest/node/${oldCheckout.id}`)).body).toMatchObject({ id: oldCheckout.id });
    expect((await server.http('GET', `/latest/node/${fresh.id}`)).body).toMatchObject({ id: fresh.id });
    expect((await server.http('GET', '/latest/metrics')).text).toMatch(/nodes_purged\{instance="api"\} [1-9]/);
  });
});
