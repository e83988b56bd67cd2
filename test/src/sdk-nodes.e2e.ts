// The built SDK (@maestro-ci/sdk) against the real API: login, creation with idempotency keys (and
// a lost answer), keyset walks while nodes are written, patch races, result trees. It doubles as the SDK's contract test (SDK A14):
// filters go to the real query parser, errors come from the real exception filter.
import {
  createClient,
  field,
  FilterError,
  isNotFoundError,
  NotFoundError,
  nodeFilter,
  resultTree,
  ResultsAlreadySubmittedError,
  UnauthorizedError,
  ValidationError,
  type MaestroClient,
} from '@maestro-ci/sdk';
import { ADMIN_PASSWORD, startServer, type TestServer } from './support/api-server';

const revision = { tree: 'mainline', url: 'https://git.kernel.org/torvalds/linux.git', branch: 'master', commit: '052d5343' };

describe('@maestro-ci/sdk against the API (e2e)', () => {
  let server: TestServer;
  let maestro: MaestroClient;
  let anonymous: MaestroClient;

  beforeAll(async () => {
    server = await startServer();
    anonymous = createClient({ baseUrl: server.baseUrl, fetch: server.fetch });
    const { access_token } = await anonymous.tokens.login({ username: 'admin', password: ADMIN_PASSWORD });
    maestro = anonymous.withToken(access_token);
  });
  afterAll(async () => {
    await maestro?.close();
    await anonymous?.close();
    await server.close();
  });

  it('discovers the server mode from /latest/openapi.json', async () => {
    // On a server whose document lacks /user/me/tokens the SDK falls back to KernelCI mode (sdk/README.md#maestro-mode-and-kernelci-mode).
    expect(['maestro', 'kernelci']).toContain(await maestro.mode());
  });

  it('creates with an idempotency key recorded in debug, and ensure finds it again', async () => {
    const checkout = { kind: 'checkout' as const, name: 'e2e-checkout', path: ['e2e-checkout'], data: { kernel_revision: revision }, timeout: new Date(Date.now() + 3600_000) };
    const first = await maestro.nodes.ensure(checkout, { key: 'e2e:checkout:1' });
    expect(first.created).toBe(true);
    expect(first.node).toMatchObject({ owner: 'admin', debug: { idempotency_key: 'e2e:checkout:1' } });
    const again = await maestro.nodes.ensure(checkout, { key: 'e2e:checkout:1' });
    expect(again).toMatchObject({ created: false, node: { id: first.node.id } });

    const child = await maestro.nodes.createChild(first.node, { kind: 'kbuild', name: 'kbuild-gcc-12-x86', timeout: new Date(Date.now() + 3600_000), data: { arch: 'x86_64' } });
    expect(child).toMatchObject({ parent: first.node.id, path: ['e2e-checkout', 'kbuild-gcc-12-x86'], group: 'kbuild-gcc-12-x86', data: { kernel_revision: revision, arch: 'x86_64' } });
    const ancestors: string[] = [];
    for await (const a of anonymous.nodes.ancestors(child.id)) ancestors.push(a.id);
    expect(ancestors).toEqual([first.node.id]);
  });

  it('walks every match once through find, with filters the real parser reads', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const n = await maestro.nodes.create({ kind: 'job', name: `walk-${i}`, path: ['walk', `walk-${i}`], data: { kernel_revision: revision } });
      ids.push(n.id);
    }
    const seen = await anonymous.nodes.find({ kind: 'job', 'data.kernel_revision.tree': 'mainline', name: { re: '^walk-' } }, { pageSize: 3 }).toArray({ max: 100 });
    expect(seen.map((n) => n.id).sort()).toEqual([...ids].sort());
    const built = nodeFilter().eq('kind', 'job').in('name', ['walk-1', 'walk-4']).eq(field('data.kernel_revision.branch'), 'master');
    expect((await anonymous.nodes.find(built).toArray({ max: 10 })).map((n) => n.name).sort()).toEqual(['walk-1', 'walk-4']);
    expect(await anonymous.nodes.find({ name: 'nothing-like-this' }).first()).toBeNull();
    await expect(anonymous.nodes.find({ kind: 'job' }, { pageSize: 3 }).toArray({ max: 2 })).rejects.toBeInstanceOf(ValidationError);
    expect(() => anonymous.nodes.find({ name: 'true' })).not.toThrow();
    await expect(anonymous.nodes.find({ name: 'true' }).first()).rejects.toBeInstanceOf(FilterError);
  });

  it('maps the server errors to typed errors without leaking the token', async () => {
    await expect(anonymous.nodes.create({ kind: 'checkout', name: 'x', path: ['x'] })).rejects.toBeInstanceOf(UnauthorizedError);
    const missing = await anonymous.nodes.get('65a3982ee98651d0fe82b010').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(isNotFoundError(missing)).toBe(true);
    expect(await anonymous.nodes.tryGet('65a3982ee98651d0fe82b010')).toBeNull();
    const invalid = await maestro.nodes.create({ kind: 'checkout', name: 'x', path: ['x'], parent: '65a3982ee98651d0fe82b010' }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(NotFoundError);
    expect((invalid as NotFoundError).message).toMatch(/^POST \/latest\/node: 404 Parent not found with id: 65a3982ee98651d0fe82b010$/);
    const { access_token } = await anonymous.tokens.login({ username: 'admin', password: ADMIN_PASSWORD });
    const badLogin = await anonymous.tokens.login({ username: 'admin', password: 'wrong-password-123' }).catch((e: unknown) => e);
    expect(JSON.stringify(badLogin)).not.toContain('wrong-password-123');
    expect(JSON.stringify(invalid)).not.toContain(access_token);
  });

  it('retrying a create whose answer was lost never creates a second node', async () => {
    // The first POST /node reaches the server and is applied; its answer is then lost (a reset
    // connection, as far as the client can tell). The SDK retries under the same Idempotency-Key.
    const posts: string[] = [];
    let lost = 0;
    const losing: typeof fetch = async (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init);
      const response = await server.fetch(request.clone());
      if (request.method === 'POST' && new URL(request.url).pathname.endsWith('/node')) {
        posts.push(request.headers.get('Idempotency-Key') ?? '');
        if (lost === 0) {
          lost++;
          await response.arrayBuffer();
          throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
        }
      }
      return response;
    };
    const token = (await anonymous.tokens.login({ username: 'admin', password: ADMIN_PASSWORD })).access_token;
    const flaky = createClient({ baseUrl: server.baseUrl, token, fetch: losing, retry: { baseDelayMs: 10, maxDelayMs: 50 } });
    try {
      const node = await flaky.nodes.create({ kind: 'checkout', name: 'lost-answer', path: ['lost-answer'], data: { kernel_revision: revision } });
      expect(lost).toBe(1);
      expect(posts).toHaveLength(2);
      expect(posts[1]).toBe(posts[0]);
      expect(node.debug).toMatchObject({ idempotency_key: posts[0] });
      expect(await maestro.nodes.count({ name: 'lost-answer' })).toBe(1);
      expect(await maestro.nodes.count(nodeFilter().eq(field('debug.idempotency_key'), posts[0]!))).toBe(1);
    } finally {
      await flaky.close();
    }
  });

  it('a deep-merge patch that loses a race with another writer keeps both writes', async () => {
    const node = await maestro.nodes.create({ kind: 'checkout', name: 'race', path: ['race'], data: { kernel_revision: revision } });
    const token = (await anonymous.tokens.login({ username: 'admin', password: ADMIN_PASSWORD })).access_token;
    const other = createClient({ baseUrl: server.baseUrl, token });
    // The other writer lands between this writer's read and its write, every time the node is read
    // for the first time: the PATCH goes out under a stale If-Match.
    let interfered = 0;
    const statuses: number[] = [];
    const racing: typeof fetch = async (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init);
      const response = await server.fetch(request);
      if (request.method === 'PATCH') statuses.push(response.status);
      if (request.method === 'GET' && new URL(request.url).pathname.endsWith(`/node/${node.id}`) && interfered === 0) {
        interfered++;
        await other.nodes.patch(node.id, { data: { other_writer: { checked: true } } });
      }
      return response;
    };
    const writer = createClient({ baseUrl: server.baseUrl, token, fetch: racing });
    try {
      const patched = await writer.nodes.patch(node.id, { data: { this_writer: { checked: true } } });
      expect(statuses).toEqual([412, 200]);
      expect(patched.data).toEqual({ kernel_revision: revision, other_writer: { checked: true }, this_writer: { checked: true } });
      expect((await maestro.nodes.get(node.id)).data).toEqual(patched.data);
    } finally {
      await writer.close();
      await other.close();
    }
  });

  it('submitting results twice leaves one set of children', async () => {
    const job = await maestro.nodes.create({ kind: 'job', name: 'twice', path: ['twice'], state: 'running', data: { kernel_revision: revision } });
    const tree = () => resultTree().suite('boot', (s) => s.case('login', 'pass').case('dmesg', 'pass'));
    const first = await maestro.nodes.submitResults(job, tree());
    expect(first.nodes).toHaveLength(4);
    await expect(maestro.nodes.submitResults(job.id, tree().suite('extra', (s) => s.case('one', 'fail')))).rejects.toBeInstanceOf(ResultsAlreadySubmittedError);
    // A restarted submitter (a fresh client) sending the very same tree again: the derived key
    // deriveKey("results", rootId) is the same, the body (the root as now stored) is not.
    const token = (await anonymous.tokens.login({ username: 'admin', password: ADMIN_PASSWORD })).access_token;
    const restarted = createClient({ baseUrl: server.baseUrl, token });
    try {
      await expect(restarted.nodes.submitResults(job.id, tree())).rejects.toBeInstanceOf(ResultsAlreadySubmittedError);
    } finally {
      await restarted.close();
    }
    const below: string[] = [];
    for await (const n of anonymous.nodes.descendants(job.id)) below.push(n.id);
    expect(below.sort()).toEqual(first.nodes.slice(1).map((n) => n.id).sort());
    expect(await anonymous.nodes.count({ parent: job.id })).toBe(1);
  });

  it('a result tree whose answer was lost is stored once when the SDK retries it', async () => {
    const job = await maestro.nodes.create({ kind: 'job', name: 'lost-tree', path: ['lost-tree'], state: 'running', data: { kernel_revision: revision } });
    const puts: number[] = [];
    let lost = 0;
    const losing: typeof fetch = async (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init);
      const response = await server.fetch(request.clone());
      if (request.method === 'PUT' && new URL(request.url).pathname.includes('/nodes/')) {
        puts.push(response.status);
        if (lost === 0) {
          lost++;
          await response.arrayBuffer();
          throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
        }
      }
      return response;
    };
    const token = (await anonymous.tokens.login({ username: 'admin', password: ADMIN_PASSWORD })).access_token;
    const flaky = createClient({ baseUrl: server.baseUrl, token, fetch: losing, retry: { baseDelayMs: 10, maxDelayMs: 50 } });
    try {
      const { root, nodes } = await flaky.nodes.submitResults(job, resultTree().suite('boot', (s) => s.case('login', 'pass')));
      expect(puts[0]).toBe(200);
      expect(puts).toHaveLength(2);
      expect(root).toMatchObject({ id: job.id, state: 'done', result: 'pass' });
      expect(nodes.map((n) => n.name)).toEqual(['lost-tree', 'boot', 'login']);
      expect(await anonymous.nodes.count({ parent: job.id })).toBe(1);
      expect(await anonymous.nodes.count({ name: 'login', group: 'lost-tree' })).toBe(1);
    } finally {
      await flaky.close();
    }
  });

  it.each(['id', '-id', 'created', '-created'] as const)('a keyset walk (sort %s) while nodes are inserted visits each node once', async (sort) => {
    const prefix = `ks${sort.replace('-', 'd')}-`;
    const before: string[] = [];
    for (let i = 0; i < 10; i++) before.push((await maestro.nodes.create({ kind: 'checkout', name: `${prefix}${i}`, path: [`${prefix}${i}`] })).id);
    const inserted: string[] = [];
    const visited: string[] = [];
    for await (const page of anonymous.nodes.find({ name: { re: `^${prefix}` } }, { pageSize: 3, sort }).pages()) {
      visited.push(...page.map((n) => n.id));
      for (let i = 0; i < 2; i++) inserted.push((await maestro.nodes.create({ kind: 'checkout', name: `${prefix}new-${inserted.length}`, path: ['x'] })).id);
    }
    expect(new Set(visited).size).toBe(visited.length);
    expect(before.filter((id) => !visited.includes(id))).toEqual([]);
    expect(visited.filter((id) => !before.includes(id) && !inserted.includes(id))).toEqual([]);
  });
});
