/**
 * Schema-driven fuzzing (security issue #11, "make the class impossible"): requests derived from
 * openapi/openapi.json for every operation (see support/fuzz-requests.ts) are sent over HTTP to the
 * real built server on PGlite and, when DATABASE_URL is a postgres:// URL, on the PostgreSQL
 * server. The run fails on any 5xx, any answer slower than FUZZ_MAX_MS, a server that stops
 * answering `/whoami`, or a refused write (4xx) that changed what the store shows.
 *
 * Seeded and bounded: FUZZ_RUNS requests per engine (default 700, about a minute), FUZZ_SEED the
 * seed (default fixed, printed). A longer run: `FUZZ_RUNS=20000 npx jest -c test/jest.config.js
 * test/src/fuzz.e2e.ts` (docs/development.md).
 */
import fc from 'fast-check';
import { adminToken, createAccount } from './support/accounts';
import { startServer, type TestServer } from './support/api-server';
import { engines } from './support/engines';
import { type FuzzRequest, type KnownIds, operations, requestsFor } from './support/fuzz-requests';

const RUNS = Number(process.env.FUZZ_RUNS ?? 700);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_203);
const MAX_MS = Number(process.env.FUZZ_MAX_MS ?? 5_000);
const BATCH = 25;

describe.each(engines())('schema-driven fuzzing on $name (e2e)', (engine) => {
  let server: TestServer;
  let admin: string;
  const tokens: Record<'user' | 'admin', string> = { user: '', admin: '' };
  let ids: KnownIds;
  let eventsSeen = 0;

  /**
   * Fuzz identities (a user and a second administrator), renewed when a fuzzed request logged one
   * out, renamed or deactivated it. The main administrator never sends fuzzed requests.
   */
  async function identities(): Promise<void> {
    for (const role of ['user', 'admin'] as const) {
      const alive = tokens[role] !== '' && (await fetch(`${server.baseUrl}/latest/whoami`, { headers: { Authorization: `Bearer ${tokens[role]}` } })).status === 200;
      if (!alive) tokens[role] = (await createAccount(server, admin, { superuser: role === 'admin' })).token;
    }
  }

  beforeAll(async () => {
    server = await startServer({ ...(await engine.env()), KEEP_ALIVE_PERIOD: '1', POP_TIMEOUT_SECONDS: '1' });
    admin = await adminToken(server);
    await identities();
    const node = await server.http('POST', '/latest/node', { token: admin, body: { kind: 'checkout', name: 'fuzz-seed', path: ['fuzz-seed'] } });
    const group = await server.http('POST', '/latest/user-groups', { token: admin, body: { name: 'fuzz-group' } });
    const me = await server.http('GET', '/latest/whoami', { token: tokens.user });
    ids = { node: (node.body as { id: string }).id, group: (group.body as { id: string }).id, user: (me.body as { id: string }).id };
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await engine.cleanup();
  });

  async function get(path: string): Promise<unknown> {
    const answer = await fetch(`${server.baseUrl}${path}`, { headers: { Authorization: `Bearer ${admin}` }, signal: AbortSignal.timeout(MAX_MS) });
    if (answer.status !== 200) throw new Error(`store check ${path}: ${answer.status} ${await answer.text()}`);
    return answer.json();
  }

  /** What the store shows; a refused write must leave it unchanged. */
  async function snapshot(): Promise<string> {
    const [count, users, groups, events] = await Promise.all([
      get('/latest/count'),
      get('/latest/users?limit=1000'),
      get('/latest/user-groups?limit=1000'),
      get(`/latest/events?offset=${eventsSeen}&limit=0`),
    ]);
    eventsSeen += (events as unknown[]).length;
    return JSON.stringify({ count, users, groups, events: eventsSeen });
  }

  async function send(request: FuzzRequest): Promise<{ status: number; ms: number; text: string }> {
    const headers = { ...request.headers };
    if (request.identity === 'user' || request.identity === 'admin') headers.Authorization = `Bearer ${tokens[request.identity]}`;
    if (request.identity === 'garbage') headers.Authorization = 'Bearer \u00ff.garbage';
    const started = Date.now();
    const answer = await fetch(`${server.baseUrl}/latest${request.url}`, { method: request.method, headers, body: request.method === 'GET' ? undefined : request.body, redirect: 'manual', signal: AbortSignal.timeout(MAX_MS) });
    const text = await answer.text();
    return { status: answer.status, ms: Date.now() - started, text };
  }

  it(`answers every generated request below 500 within ${MAX_MS} ms and keeps the store intact`, async () => {
    const all = operations();
    const perOperation = Math.max(1, Math.ceil(RUNS / all.length));
    const requests = all.flatMap((operation, i) => fc.sample(requestsFor(operation, ids), { seed: SEED + i, numRuns: perOperation }));
    // Interleave operations so that each batch mixes routes.
    const order = fc.sample(fc.shuffledSubarray(requests.map((_, i) => i), { minLength: requests.length }), { seed: SEED, numRuns: 1 })[0];
    const statuses = new Map<number, number>();
    const covered = new Set<string>();
    const failures: string[] = [];
    let state: string | null = null;
    for (let n = 0; n < order.length; n++) {
      const request = requests[order[n]];
      const writes = request.method !== 'GET';
      if (writes) state ??= await snapshot();
      let answer;
      try {
        answer = await send(request);
      } catch (error) {
        failures.push(`${request.operation} ${request.method} ${request.url.slice(0, 200)}: no answer (${(error as Error).name}: ${(error as Error).message})`);
        break;
      }
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      covered.add(request.operation);
      const where = `${request.method} ${request.url.slice(0, 200)} [${request.identity}] body=${JSON.stringify(typeof request.body === 'string' ? request.body.slice(0, 200) : request.body ? 'bytes' : null)}`;
      if (answer.status >= 500) failures.push(`${where}: ${answer.status} ${answer.text.slice(0, 200)}`);
      if (answer.ms > MAX_MS) failures.push(`${where}: answered after ${answer.ms} ms`);
      if (writes) {
        const after = await snapshot();
        if (answer.status >= 400 && after !== state) failures.push(`${where}: refused with ${answer.status} but the store changed`);
        state = after;
      }
      if (failures.length > 0) break;
      if ((n + 1) % BATCH === 0 || n === order.length - 1) {
        // After each batch: the server and the store still answer.
        await get('/latest/whoami');
        await get('/latest/nodes?limit=1');
        await identities();
        state = null;
      }
    }
    console.log(
      `fuzz on ${engine.name}: ${order.length} requests over ${covered.size} of ${all.length} operations (seed ${SEED}); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    );
    expect(failures).toEqual([]);
    expect(covered.size).toBe(all.length);
  }, 600_000);
});
