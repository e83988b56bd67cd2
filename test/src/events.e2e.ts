/**
 * `GET /events` (docs/events.md#event-history-get-events) through the built API.
 */
import { startServer, type TestServer } from './support/api-server';
import { adminToken, checkout, createNode, publish } from './support/pubsub';

interface StoredEvent {
  timestamp: string;
  sequence_id: number;
  channel: string;
  owner: string | null;
  data: Record<string, unknown>;
  id: string;
  node?: Record<string, unknown>;
}

describe('GET /events (e2e)', () => {
  let server: TestServer;
  let admin: string;
  let checkoutNode: { id: string };
  let testNode: { id: string };
  let all: StoredEvent[];
  const get = async (query: string) => {
    const response = await server.http('GET', `/events${query}`);
    return { status: response.status, body: response.body as StoredEvent[] & { detail?: string } };
  };

  beforeAll(async () => {
    server = await startServer();
    admin = await adminToken(server);
    checkoutNode = await createNode(server, admin, checkout('events-checkout'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    testNode = await createNode(server, admin, { kind: 'test', name: 'baseline-x86', path: ['events-checkout', 'baseline-x86'], group: 'baseline', parent: checkoutNode.id, state: 'done', result: 'pass', data: { runtime: 'lava-collabora', flag: true } });
    await publish(server, admin, 'retry', { data: { op: 'retry', id: testNode.id } });
    await publish(server, admin, 'custom', { data: 'just a string' });
    all = (await get('')).body;
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers a bare array of events with exactly six keys and no default limit', async () => {
    expect(Array.isArray(all)).toBe(true);
    expect(all).toHaveLength(4);
    for (const event of all) expect(Object.keys(event)).toEqual(['timestamp', 'sequence_id', 'channel', 'owner', 'data', 'id']);
    expect(all[0].timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/);
    expect(all[0].id).toMatch(/^[0-9a-f]{24}$/);
    const sequence = all.map((e) => e.sequence_id);
    expect([...sequence].sort((a, b) => a - b)).toEqual(sequence);
  });

  it('filters on payload keys, channel, path, node_id, ids, from, limit, offset and other keys', async () => {
    const ids = async (query: string) => (await get(query)).body.map((e) => e.sequence_id);
    const [created1, created2, retry, custom] = all.map((e) => e.sequence_id);
    expect(await ids('?kind=test')).toEqual([created2]);
    expect(await ids('?state=done&result=pass')).toEqual([created2]);
    expect(await ids('?op=created')).toEqual([created1, created2]);
    expect(await ids('?name=baseline-x86&group=baseline&owner=admin')).toEqual([created2]);
    expect(await ids('?kind=')).toEqual([created1, created2, retry, custom]);
    expect(await ids('?channel=retry')).toEqual([retry]);
    expect(await ids('?path=^baseline')).toEqual([created2]);
    expect(await ids(`?node_id=${testNode.id}`)).toEqual([created2, retry]);
    expect(await ids(`?id=${all[3].id}`)).toEqual([custom]);
    expect(await ids(`?ids=${all[0].id},${all[2].id}`)).toEqual([created1, retry]);
    expect(await ids(`?from=${all[0].timestamp}`)).toEqual([created2, retry, custom]);
    expect(await ids(`?from=${all[0].timestamp}Z`)).toEqual([created2, retry, custom]);
    expect(await ids('?from=2000-01-01')).toHaveLength(4);
    expect(await ids('?limit=2')).toEqual([created1, created2]);
    expect(await ids('?limit=2&offset=1')).toEqual([created2, retry]);
    expect(await ids('?data.data.runtime=lava-collabora')).toEqual([created2]);
    expect(await ids('?data.data.flag=true')).toEqual([created2]);
    expect(await ids('?data.is_hierarchy=false')).toEqual([created1, created2]);
    expect(await ids('?data.is_hierarchy=False&channel=node&kind=checkout')).toEqual([created1]);
    expect(await ids('?owner=nobody')).toEqual([]);
  });

  it('answers each error with its exact text', async () => {
    const cases: [string, string][] = [
      [`?node_id=${testNode.id}&data.id=${testNode.id}`, 'Provide either node_id or data.id, not both'],
      [`?id=${all[0].id}&ids=${all[0].id}`, 'Provide either id or ids, not both'],
      ['?id=nope', 'Invalid id format'],
      [`?ids=${all[0].id},nope`, 'Invalid ids format'],
      ['?ids=,', 'ids must contain at least one id'],
      ['?from=yesterday', "Invalid 'from' parameter, must be an ISO 8601 datetime"],
      ['?from=1700000000', "Invalid 'from' parameter, must be an ISO 8601 datetime"],
    ];
    for (const [query, detail] of cases) expect(await get(query)).toEqual({ status: 400, body: { detail } });
    expect((await get('?limit=ten')).status).toBe(400);
    expect((await get('?offset=x')).status).toBe(400);
  });

  it('adds the 23-key node in recursive mode, with a limit of at most 1000', async () => {
    const tooLarge = { status: 400, body: { detail: 'Recursive limit is too large, max is 1000' } };
    expect(await get('?recursive=1')).toEqual(tooLarge);
    expect(await get('?recursive=1&limit=1001')).toEqual(tooLarge);
    const recursive = (await get('?recursive=false&limit=10')).body;
    expect(recursive).toHaveLength(4);
    expect(Object.keys(recursive[0])).toEqual(['timestamp', 'sequence_id', 'channel', 'owner', 'data', 'id', 'node']);
    expect(Object.keys(recursive[0].node!)).toHaveLength(23);
    expect(recursive[0].node).toMatchObject({ id: checkoutNode.id, kind: 'checkout' });
    expect(recursive[2].node).toMatchObject({ id: testNode.id });
    expect(recursive[3]).not.toHaveProperty('node'); // no data.id
    expect((await get('?recursive=&limit=5000')).body).toHaveLength(4); // empty value: off
  });
});
