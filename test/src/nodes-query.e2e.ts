/**
 * Listing and the query language through HTTP (docs/api-conventions.md#pagination-envelope, docs/nodes.md items
 * 66–78, 10b), on PGlite.
 */
import { resolve } from 'node:path';
import { startServer, type TestServer } from './support/api-server';
import { checkoutBody, nodeFixtures, testBody } from './support/node-fixtures';

type Node = Record<string, unknown> & { id: string };
/* eslint-disable @typescript-eslint/no-require-imports */
const { STORAGE, QueryTimeoutError } = require(resolve(__dirname, '../../api/dist/storage/ports.js')) as {
  STORAGE: symbol;
  QueryTimeoutError: new () => Error;
};
/* eslint-enable @typescript-eslint/no-require-imports */
interface Page {
  items: Node[];
  total: number;
  limit: number;
  offset: number;
  next_cursor?: string | null;
}

describe('node queries (e2e)', () => {
  let server: TestServer;
  let token: string;
  const ids: Record<string, string> = {};

  const create = async (body: Record<string, unknown>): Promise<Node> => {
    const res = await server.http('POST', '/latest/node', { body, token });
    expect(res.status).toBe(200);
    return res.body as Node;
  };
  const list = async (query: string): Promise<Page> => {
    const res = await server.http('GET', `/latest/nodes?${query}`);
    expect([query, res.status]).toEqual([query, 200]);
    return res.body as Page;
  };
  const names = async (query: string): Promise<string[]> => (await list(`${query}&limit=1000`)).items.map((n) => n.name as string).sort();
  const count = async (query: string): Promise<unknown> => (await server.http('GET', `/latest/count?${query}`)).body;

  beforeAll(async () => {
    server = await startServer();
    ({ token } = await nodeFixtures(server).user());
    const root = await create(checkoutBody({ name: 'root', created: '2024-02-26T13:21:55.301Z', result: 'pass', state: 'done', processed_by_kcidb_bridge: true }));
    ids.root = root.id;
    await create(testBody({ name: 'x5s', parent: root.id, created: '2024-03-01T00:00:00', data: { x: '5' }, retry_counter: 1, holdoff: '2030-01-01T00:00:00' }));
    await create(testBody({ name: 'x5i', parent: root.id, created: '2024-06-01T00:00:00', data: { x: 5 }, result: 'fail', state: 'done' }));
    await create(testBody({ name: 'x7i', parent: root.id, created: '2024-12-01T00:00:00', data: { x: 7, v: { version: 6 } } }));
    await create(testBody({ name: 'xnull', created: '2025-01-01T00:00:00', data: { x: null } }));
    await create(testBody({ name: 'nox', created: '2025-02-01T00:00:00', data: {}, path: ['checkout', 'other'] }));
  });
  afterAll(async () => {
    await server.close();
  });

  it('pages with defaults and validates limit/offset', async () => {
    const page = await list('');
    expect(Object.keys(page)).toEqual(['items', 'total', 'limit', 'offset']);
    expect([page.limit, page.offset, page.total]).toEqual([50, 0, 6]);
    expect(page.items.map((n) => n.name)).toEqual(['root', 'x5s', 'x5i', 'x7i', 'xnull', 'nox']);
    for (const bad of ['limit=0', 'offset=-1', 'limit=x']) expect((await server.http('GET', `/latest/nodes?${bad}`)).status).toBe(422);
    expect((await list('limit=100000')).limit).toBe(100000);
    // total counts every match whether the page is full, short or past the end
    for (const q of ['limit=2', 'limit=4&offset=4', 'offset=10', 'kind=test&limit=5&offset=5']) {
      expect([q, (await list(q)).total]).toEqual([q, q.startsWith('kind') ? 5 : 6]);
    }
    const seen: string[] = [];
    for (let offset = 0; ; offset += 4) {
      const p = await list(`limit=4&offset=${offset}`);
      seen.push(...p.items.map((n) => n.id));
      if (p.items.length < 4) break;
    }
    expect(seen).toEqual(page.items.map((n) => n.id));
  });

  it('/nodes/fast answers a bare array with limit/offset, 400 texts, and paging in /nodes order', async () => {
    const all = (await list('')).items.map((n) => n.id);
    const fast = (await server.http('GET', '/latest/nodes/fast', { headers: { 'Content-Type': 'application/json; charset=utf-8' } })).body as Node[];
    expect(fast.map((n) => n.id)).toEqual(all);
    expect(((await server.http('GET', '/latest/nodes/fast?limit=0')).body as Node[]).length).toBe(6);
    const paged: string[] = [];
    for (let offset = 0; offset < 10; offset += 2) {
      paged.push(...((await server.http('GET', `/latest/nodes/fast?limit=2&offset=${offset}`)).body as Node[]).map((n) => n.id));
    }
    expect(paged).toEqual(all);
    expect(await server.http('GET', '/latest/nodes/fast?limit=x')).toMatchObject({ status: 400, body: { detail: "invalid literal for int() with base 10: 'x'" } });
    expect(await server.http('GET', '/latest/nodes/fast?offset=1.5')).toMatchObject({ status: 400, body: { detail: "invalid literal for int() with base 10: '1.5'" } });
    expect(((await server.http('GET', '/latest/nodes/fast?kind=test&sort=-created&limit=2')).body as Node[]).map((n) => n.name)).toEqual(['nox', 'xnull']);
  });

  it('/count answers a bare integer with the same filters', async () => {
    expect(await count('')).toBe(6);
    expect(await count('kind=test&limit=1&offset=3&sort=id')).toBe(5);
    expect(await count('result=null')).toBe(4);
  });

  it('matches equality, dotted paths, array elements, unknown fields and repeated keys', async () => {
    expect((await names('path=checkout')).length).toBe(6);
    expect(await names('data.x=null')).toEqual(['nox', 'root', 'xnull']);
    expect(await names('path=other')).toEqual(['nox']);
    expect((await names('foo=null')).length).toBe(6);
    expect(await names('foo=bar')).toEqual([]);
    expect(await names('name=x5s&name=x7i')).toEqual(['x7i']);
    expect(await names('created__gt=2024-12-01+00%3A00%3A00.000000')).toEqual(['nox', 'xnull']);
    expect(await names('created__lt=2024-03-01T00%3A00%3A00%2B00%3A00&kind=test')).toEqual([]);
  });

  it('converts null and booleans', async () => {
    expect(await names('result=null')).toEqual(['nox', 'x5s', 'x7i', 'xnull']);
    expect(await names('result__ne=null')).toEqual(['root', 'x5i']);
    expect(await names('processed_by_kcidb_bridge=TRUE')).toEqual(['root']);
  });

  it('applies every operator with the contract conversions', async () => {
    expect(await names('data.x__gte=5')).toEqual(['x5i', 'x7i']);
    expect(await names('data.x__lt=7')).toEqual(['x5i']);
    expect(await names('data.x__lte=7&data.x__gt=5')).toEqual(['x7i']);
    expect(await names('data.x=5')).toEqual(['x5s']);
    expect(await names('data.x__int=5')).toEqual(['x5i']);
    expect(await names('data.x__ne=5')).toEqual(['nox', 'root', 'x5s', 'x7i', 'xnull']);
    expect(await names('name__re=^x5')).toEqual(['x5i', 'x5s']);
    expect(await names('name__in=x5s,nox')).toEqual(['nox', 'x5s']);
    expect(await names('name__nin=x5s,nox,root')).toEqual(['x5i', 'x7i', 'xnull']);
    expect(await names('data.v.version__int=6')).toEqual(['x7i']);
    expect(await server.http('GET', '/latest/nodes?data.x__int=abc')).toMatchObject({ status: 400, body: { detail: "invalid literal for int() with base 10: 'abc'" } });
  });

  it('filters timestamps in every accepted form', async () => {
    expect(await names('created__gt=2024-02-26T13:21:55.301000&created__lt=2024-11-01&kind=test')).toEqual(['x5i', 'x5s']);
    expect(await names('created=2024-02-26T13:21:55.301000%2B00:00')).toEqual(['root']);
    expect(await names('created=2024-02-26T13:21:55.301Z')).toEqual(['root']);
    expect(await names('created__lt=2024-03-01')).toEqual(['root']);
    expect((await names('holdoff=null')).length).toBe(5);
    expect(await server.http('GET', '/latest/nodes?created=garbage')).toMatchObject({ status: 400, body: { detail: "Invalid isoformat string: 'garbage'" } });
  });

  it('filters parent and retry_counter with conversions', async () => {
    expect(await names(`parent=${ids.root}`)).toEqual(['x5i', 'x5s', 'x7i']);
    expect(await names('parent=null')).toEqual(['nox', 'root', 'xnull']);
    expect(await names(`parent__in=${ids.root},65a3982ee98651d0fe82b010`)).toEqual(['x5i', 'x5s', 'x7i']);
    expect(await names('parent__ne=null')).toEqual(['x5i', 'x5s', 'x7i']);
    expect((await server.http('GET', '/latest/nodes?parent=zz')).status).toBe(400);
    expect(await names('retry_counter=1')).toEqual(['x5s']);
    expect(await names('retry_counter__gt=0')).toEqual(['x5s']);
    expect((await names('retry_counter__in=0,1')).length).toBe(6);
    expect(await server.http('GET', '/latest/nodes?retry_counter=x')).toMatchObject({ status: 400, body: { detail: "invalid literal for int() with base 10: 'x'" } });
  });

  it('matches "5", 5, null and missing with data.x__in=5,null', async () => {
    expect(await names('data.x__in=5,null')).toEqual(['nox', 'root', 'x5i', 'x5s', 'xnull']);
    expect(await names('data.x__nin=5,null')).toEqual(['x7i']);
  });

  it('handles unknown operators, literal keys, bad regexes and $ fields', async () => {
    expect(await names('name__exists=true')).toEqual([]);
    expect(await names('name__re=x&name__exists=true')).toEqual(['nox', 'x5i', 'x5s', 'x7i', 'xnull']);
    expect(await names('data__x__y=1')).toEqual([]);
    expect((await server.http('GET', '/latest/nodes?name__re=(')).status).toBe(400);
    expect((await server.http('GET', '/latest/count?name__re=[z-a]')).status).toBe(400);
    expect((await server.http('GET', '/latest/nodes/fast?name__re=(?<=x')).status).toBe(400);
    expect(await names('$where=1')).toEqual([]);
    expect(await names('name__$where=1')).toEqual([]);
  });

  it('answers 400, never 5xx, for patterns the database refuses', async () => {
    // Valid in JavaScript, refused by PostgreSQL's regex engine: mapped from SQLSTATE 2201B.
    for (const pattern of ['\\p{L}', '(?<n>x)\\k<n>', 'a{,3}x{1000000}']) {
      const res = await server.http('GET', `/latest/nodes?name__re=${encodeURIComponent(pattern)}`);
      expect([pattern, res.status < 500]).toEqual([pattern, true]);
    }
  });

  it('answers a time-out with 504 on /nodes/fast and 400 for a pattern query elsewhere', async () => {
    // The database side (statement_timeout → QueryTimeoutError) is covered by
    // node-replicas.server.spec.ts; here the adapter's time-out is injected to check the answers.
    const nodes = server.app.get<symbol, { nodes: { list: () => Promise<unknown>; count: () => Promise<unknown> } }>(STORAGE).nodes;
    const list = jest.spyOn(nodes, 'list').mockRejectedValue(new QueryTimeoutError());
    const count = jest.spyOn(nodes, 'count').mockRejectedValue(new QueryTimeoutError());
    try {
      expect(await server.http('GET', '/latest/nodes/fast?kind=test')).toMatchObject({ status: 504, body: { detail: 'Timeout while fetching nodes: ' } });
      const slow = { status: 400, body: { detail: 'Invalid regular expression: the query took too long to evaluate' } };
      expect(await server.http('GET', '/latest/nodes?name__re=(a%2B)%2Bb')).toMatchObject(slow);
      expect(await server.http('GET', '/latest/count?name__re=(a%2B)%2Bb')).toMatchObject(slow);
    } finally {
      list.mockRestore();
      count.mockRestore();
    }
  });

  it('orders with sort and walks a keyset cursor while nodes are inserted', async () => {
    const desc = await list('sort=-created&limit=3');
    expect(desc.items.map((n) => n.name)).toEqual(['nox', 'xnull', 'x7i']);
    expect(typeof desc.next_cursor).toBe('string');
    expect(await server.http('GET', '/latest/nodes?sort=foo')).toMatchObject({ status: 400, body: { detail: 'Invalid sort field: foo' } });
    const seen: string[] = [];
    let page = await list('kind=test&sort=id&limit=2');
    const expected = (await list('kind=test&limit=100')).items.map((n) => n.id);
    for (;;) {
      seen.push(...page.items.map((n) => n.id));
      expect(page.offset).toBe(0);
      if (page.next_cursor === null) break;
      await create(testBody({ name: 'late' })); // inserted during the walk: appears at the end, never twice
      page = await list(`kind=test&limit=2&cursor=${page.next_cursor}`);
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, expected.length)).toEqual(expected);
    const cursor = (await list('kind=test&sort=id&limit=1')).next_cursor!;
    expect(await server.http('GET', `/latest/nodes?kind=checkout&cursor=${cursor}`)).toMatchObject({ status: 400, body: { detail: 'Invalid cursor' } });
    expect(await server.http('GET', `/latest/nodes?kind=test&sort=-id&cursor=${cursor}`)).toMatchObject({ status: 400, body: { detail: 'Invalid cursor' } });
    expect(await server.http('GET', '/latest/nodes?cursor=garbage')).toMatchObject({ status: 400, body: { detail: 'Invalid cursor' } });
    expect(await server.http('GET', `/latest/nodes?kind=test&offset=5&cursor=${cursor}`)).toMatchObject({ status: 400, body: { detail: 'offset cannot be used with cursor' } });
    expect(Object.keys(await list('kind=test'))).toEqual(['items', 'total', 'limit', 'offset']);
  });
});
