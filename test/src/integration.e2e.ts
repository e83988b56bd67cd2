/**
 * Cross-area checks that only hold once nodes, events and auth run together: node writes reach
 * subscribers as CloudEvents with the contract's payloads,
 * API tokens open socket.io connections, and public routes ignore bad tokens.
 */
import { io, type Socket } from 'socket.io-client';
import { startServer, type TestServer } from './support/api-server';
import { adminToken, checkout, createNode, createUser, listenFor, subscribe } from './support/pubsub';

const CREATED_KEYS = ['op', 'id', 'kind', 'name', 'path', 'group', 'state', 'result', 'owner', 'data', 'is_hierarchy'];
const UPDATED_KEYS = [...CREATED_KEYS, 'previous_state', 'previous_result'];

describe('nodes, events and auth together (e2e)', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startServer({ LIFECYCLE_ENABLED: 'true', LIFECYCLE_INTERVAL_SECONDS: '1' });
    admin = await adminToken(server);
  });
  afterAll(async () => {
    await server.close();
  });

  it('announces POST, PUT, PATCH and hierarchy writes with the contract payloads; noevent suppresses', async () => {
    const alice = await createUser(server, 'alice');
    const sub = await subscribe(server, alice.token, 'node');
    const node = await createNode(server, alice.token);

    const stored = (await server.http('GET', `/node/${node.id}`)).body as Record<string, unknown>;
    const put = await server.http('PUT', `/node/${node.id}`, { token: alice.token, body: { ...stored, state: 'available' } });
    expect(put.status).toBe(200);
    const patch = await server.http('PATCH', `/node/${node.id}`, { token: alice.token, body: { result: 'pass' } });
    expect(patch.status).toBe(200);
    const silent = await server.http('PATCH', `/node/${node.id}?noevent=YES`, { token: alice.token, body: { debug: { x: 1 } } });
    expect(silent.status).toBe(200);
    const hierarchy = await server.http('PUT', `/nodes/${node.id}`, {
      token: alice.token,
      body: { node: { ...stored, state: 'done', result: 'pass' }, child_nodes: [{ node: { kind: 'test', name: 't1', path: ['checkout', 't1'], result: 'pass', state: 'done' }, child_nodes: [] }] },
    });
    expect(hierarchy.status).toBe(200);

    const events = await listenFor(server, sub, alice.token, 4);
    const payloads = events.map((e) => e.data as Record<string, unknown>);
    expect(payloads.map((p) => [p.op, p.state, p.previous_state, p.previous_result, p.is_hierarchy])).toEqual([
      ['created', 'running', undefined, undefined, false],
      ['updated', 'available', 'running', null, false],
      ['updated', 'available', 'available', null, false],
      ['updated', 'done', 'available', 'pass', true],
    ]);
    expect(Object.keys(payloads[0])).toEqual(CREATED_KEYS);
    for (const payload of payloads.slice(1)) expect(Object.keys(payload)).toEqual(UPDATED_KEYS);
    expect(events.every((e) => e.owner === alice.username)).toBe(true);
    const sequences = events.map((e) => e._sequence_id as number);
    expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
  });

  it("names the node's owner in the CloudEvent even when an admin makes the change", async () => {
    const bob = await createUser(server, 'bob');
    const node = await createNode(server, bob.token, checkout('bob-checkout'));
    const sub = await subscribe(server, admin, 'node', '?promisc=true');
    const patch = await server.http('PATCH', `/node/${node.id}`, { token: admin, body: { state: 'done', result: 'fail' } });
    expect(patch.status).toBe(200);
    const [event] = await listenFor(server, sub, admin, 1);
    expect(event.owner).toBe(bob.username);
    expect(event.data).toMatchObject({ op: 'updated', id: node.id, previous_state: 'running', state: 'done' });
  });

  it('announces a lifecycle timeout as an updated event', async () => {
    const carol = await createUser(server, 'carol');
    const sub = await subscribe(server, carol.token, 'node');
    const node = await createNode(server, carol.token, { ...checkout('short-lived'), timeout: new Date(Date.now() - 1000).toISOString() });
    const [created, timedOut] = await listenFor(server, sub, carol.token, 2);
    expect(created.data).toMatchObject({ op: 'created', id: node.id });
    expect(timedOut.data).toMatchObject({
      op: 'updated',
      id: node.id,
      state: 'done',
      result: 'incomplete',
      previous_state: 'running',
      data: expect.objectContaining({ error_code: 'node_timeout', error_msg: 'Node timed-out' }),
    });
  });

  it('accepts an API token on the socket.io interface', async () => {
    const created = await server.http('POST', '/user/me/tokens', { token: admin, body: { name: 'socket' } });
    expect(created.status).toBe(201);
    const apiToken = (created.body as { token: string }).token;
    const socket: Socket = io(`${server.baseUrl}/pubsub`, { path: '/latest/socket.io/', auth: { token: apiToken }, transports: ['websocket'] });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const ack = await socket.timeout(5000).emitWithAck('subscribe', { channel: 'node' });
      expect(ack).toMatchObject({ ok: true, channel: 'node' });
    } finally {
      socket.disconnect();
    }
  });

  it('answers public routes exactly as without a token when Authorization is bad', async () => {
    for (const path of ['/nodes/fast?limit=1', '/count', '/events?limit=1', '/nodes?limit=1']) {
      const clean = await server.http('GET', path);
      for (const header of ['Bearer garbage', 'not-a-bearer-token', 'Bearer mst_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
        const noisy = await server.http('GET', path, { headers: { Authorization: header } });
        expect(noisy.status).toBe(clean.status);
      }
    }
  });
});
