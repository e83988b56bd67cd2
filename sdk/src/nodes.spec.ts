import { createClient } from './client';
import {
  InvalidTransitionError,
  NotFoundError,
  PreconditionFailedError,
  ResultsAlreadySubmittedError,
  UnsupportedFeatureError,
  ValidationError,
  WaitConditionUnreachableError,
  WaitTimeoutError,
} from './errors';
import { etagOf } from './nodes';
import { resultTree } from './result-tree';
import { FakeApi, type Mode } from './fake/fake-api';
import { unset, type Node } from './types';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

function setup(mode: Mode, extra: Parameters<typeof createClient>[0] extends infer O ? Partial<O> : never = {}) {
  const api = new FakeApi(mode);
  const maestro = createClient({ baseUrl: 'http://h', fetch: api.fetch, token: 'secret-token-abc', retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 }, ...extra });
  return { api, maestro };
}

const timeout = new Date(Date.now() + 3600_000);

describe('nodes reads (SDK A6)', () => {
  it.each(['maestro', 'kernelci'] as const)('get/tryGet in %s mode: 200 null is NotFoundError / null; ETag recorded', async (mode) => {
    const { api, maestro } = setup(mode);
    const n = api.insert({ name: 'a' });
    const got = await maestro.nodes.get(n.id as string);
    expect(got.id).toBe(n.id);
    expect(etagOf(got)).toBe(mode === 'maestro' ? api.etag(n) : undefined);
    expect(Object.keys(got)).not.toContain('etag');
    expect(await maestro.nodes.tryGet('65ffffffffffffffffffffff')).toBeNull();
    await expect(maestro.nodes.get('65ffffffffffffffffffffff')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('discovers the mode once with GET /latest/openapi.json', async () => {
    const { api, maestro } = setup('maestro', { compat: 'auto' });
    expect(await maestro.mode()).toBe('maestro');
    await maestro.nodes.count({ kind: 'checkout' });
    await maestro.nodes.count({ kind: 'kbuild' });
    expect(api.calls.filter((c) => c.path === '/openapi.json')).toHaveLength(1);
    const k = setup('kernelci', { compat: 'auto' });
    expect(await k.maestro.mode()).toBe('kernelci');
  });

  it('count sends the compiled filter; in: [] sends nothing', async () => {
    const { api, maestro } = setup('maestro', { compat: 'maestro' });
    api.insert({ name: 'a', kind: 'kbuild' });
    api.insert({ name: 'b', kind: 'checkout' });
    expect(await maestro.nodes.count({ kind: 'kbuild' })).toBe(1);
    const before = api.calls.length;
    expect(await maestro.nodes.count({ state: { in: [] } })).toBe(0);
    expect(await maestro.nodes.find({ state: { in: [] } }).toArray({ max: 10 })).toEqual([]);
    expect(api.calls.length).toBe(before);
  });

  it('keyset iteration sees every node exactly once while rows are inserted mid-walk; offset mode de-duplicates', async () => {
    for (const mode of ['maestro', 'kernelci'] as const) {
      const { api, maestro } = setup(mode, { compat: mode });
      const originals = Array.from({ length: 25 }, (_, i) => api.insert({ name: `n${i}`, kind: 'job' }).id as string);
      const seen: string[] = [];
      let inserted = 0;
      for await (const node of maestro.nodes.find({ kind: 'job' }, { pageSize: 10 })) {
        seen.push(node.id);
        // Another writer inserts a node sorting before the walk's position, shifting every offset.
        if (seen.length % 10 === 5) api.insert({ id: `65${String(inserted++).padStart(22, '0')}`, name: `early${inserted}`, kind: 'job' });
      }
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of originals) expect(seen.filter((s) => s === id)).toHaveLength(1);
      const pages = api.calls.filter((c) => c.path === '/nodes');
      if (mode === 'maestro') {
        expect(pages[0]!.query.get('sort')).toBe('id');
        expect(pages.slice(1).every((c) => c.query.has('cursor') && !c.query.has('offset'))).toBe(true);
      } else {
        expect(pages.every((c) => c.query.has('offset') && !c.query.has('sort'))).toBe(true);
      }
    }
  });

  it('toArray requires max and throws when more match; first() reads one page; sort needs Maestro', async () => {
    const { api, maestro } = setup('kernelci', { compat: 'kernelci' });
    for (let i = 0; i < 5; i++) api.insert({ name: `n${i}` });
    await expect(maestro.nodes.find({}, { pageSize: 2 }).toArray({ max: 4 })).rejects.toBeInstanceOf(ValidationError);
    expect(await maestro.nodes.find({}, { pageSize: 2 }).toArray({ max: 5 })).toHaveLength(5);
    expect((await maestro.nodes.find({ name: 'n3' }).first())?.name).toBe('n3');
    await expect(maestro.nodes.find({}, { sort: '-created' }).first()).rejects.toBeInstanceOf(UnsupportedFeatureError);
  });

  it('concurrent next() calls never skip a page', async () => {
    const { api, maestro } = setup('maestro', { compat: 'maestro' });
    for (let i = 0; i < 6; i++) api.insert({ name: `n${i}` });
    const it = maestro.nodes.find({}, { pageSize: 2 })[Symbol.asyncIterator]();
    const results = await Promise.all(Array.from({ length: 7 }, () => it.next()));
    expect(results.filter((r) => !r.done).map((r) => (r.value as Node).name)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5']);
  });
});

describe('nodes writes (SDK A7)', () => {
  it('create records the key in debug.idempotency_key and never mutates its input', async () => {
    const { api, maestro } = setup('maestro', { compat: 'maestro' });
    const input = deepFreeze({ kind: 'checkout' as const, name: 'c', path: ['c'], timeout, debug: { mine: 1 } });
    const node = await maestro.nodes.create(input, { idempotencyKey: 'my-key' });
    expect(node.debug).toEqual({ mine: 1, idempotency_key: 'my-key' });
    expect(api.calls.at(-1)!.headers.get('Idempotency-Key')).toBe('my-key');
    expect((api.calls.at(-1)!.body as { timeout: string }).timeout).toMatch(/\+00:00$/);
  });

  it.each(['maestro', 'kernelci'] as const)('ensure across a crash between POST and response (%s mode)', async (mode) => {
    const { api, maestro } = setup(mode, { compat: mode });
    let crashes = 1;
    api.interceptors.push(async (call, next) => {
      if (call.method === 'POST' && call.path === '/node' && crashes > 0) {
        crashes--;
        await next(); // the server commits...
        throw new TypeError('socket hang up'); // ...and the answer is lost
      }
      return undefined;
    });
    const input = deepFreeze({ kind: 'checkout' as const, name: 'c', path: ['c'], timeout });
    const first = await maestro.nodes.ensure(input, { key: 'checkout:abc' });
    expect([...api.nodes.values()]).toHaveLength(1);
    expect(first.node.debug).toMatchObject({ idempotency_key: 'checkout:abc' });
    // A restart with the same key finds it.
    const second = await maestro.nodes.ensure(input, { key: 'checkout:abc' });
    expect(second).toMatchObject({ created: false, node: { id: first.node.id } });
    expect([...api.nodes.values()]).toHaveLength(1);
  });

  it('createChild copies the parent fields KernelCI copies and requires a timeout', async () => {
    const { api, maestro } = setup('maestro', { compat: 'maestro' });
    const parent = api.insert({ kind: 'kbuild', name: 'kbuild-gcc', path: ['checkout', 'kbuild-gcc'], treeid: 't1', submitter: 's', jobfilter: ['x'], data: { kernel_revision: { tree: 'mainline' }, arch: 'x86_64' } });
    const child = await maestro.nodes.createChild(parent.id as string, { kind: 'job', name: 'smoke', timeout });
    expect(child).toMatchObject({ parent: parent.id, path: ['checkout', 'kbuild-gcc', 'smoke'], group: 'smoke', treeid: 't1', submitter: 's', jobfilter: ['x'], data: { kernel_revision: { tree: 'mainline' } } });
    const again = await maestro.nodes.createChild(parent as unknown as Node, { kind: 'job', name: 'smoke', timeout }, { key: `smoke:${parent.id}` });
    const same = await maestro.nodes.createChild(parent as unknown as Node, { kind: 'job', name: 'smoke', timeout }, { key: `smoke:${parent.id}` });
    expect(same.id).toBe(again.id);
  });

  it('a deep-merge patch racing another writer: 412, re-read, retry, both keys kept', async () => {
    const { api, maestro } = setup('maestro', { compat: 'maestro' });
    const n = api.insert({ data: { a: 1 } });
    let raced = false;
    api.interceptors.push((call) => {
      if (call.method === 'PATCH' && !raced) {
        raced = true;
        const stored = api.nodes.get(n.id as string)!;
        api.nodes.set(n.id as string, { ...stored, data: { ...(stored.data as object), other: 'writer' }, updated: 'x' });
      }
      return undefined;
    });
    const changes = deepFreeze({ data: { mine: true, a: unset } });
    const patched = await maestro.nodes.patch(n.id as string, changes);
    expect(patched.data).toEqual({ other: 'writer', mine: true });
    const patches = api.calls.filter((c) => c.method === 'PATCH');
    expect(patches).toHaveLength(2);
    expect(patches.every((c) => c.headers.has('If-Match'))).toBe(true);
  });

  it('expect guards the write; ifMatch with a stale copy throws without retrying', async () => {
    const { api, maestro } = setup('maestro', { compat: 'maestro' });
    const n = api.insert({ state: 'available' });
    const error = await maestro.nodes.patch(n.id as string, { state: 'done' }, { expect: { state: 'running' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect(error).toMatchObject({ expected: { state: 'running' }, actual: { state: 'available' } });
    expect(api.calls.some((c) => c.method === 'PATCH')).toBe(false);
    const stale = await maestro.nodes.get(n.id as string);
    await maestro.nodes.patch(n.id as string, { data: { x: 1 } });
    await expect(maestro.nodes.patch(n.id as string, { data: { y: 1 } }, { ifMatch: stale })).rejects.toBeInstanceOf(PreconditionFailedError);
  });

  it('a lost PATCH whose retry gets 412 succeeds when the node already shows the change', async () => {
    const { api, maestro } = setup('maestro', { compat: 'maestro' });
    const n = api.insert({ state: 'running' });
    let lose = true;
    api.interceptors.push(async (call, next) => {
      if (call.method === 'PATCH' && lose) {
        lose = false;
        await next();
        throw new TypeError('reset');
      }
      return undefined;
    });
    const done = await maestro.nodes.patch(n.id as string, { state: 'available' });
    expect(done.state).toBe('available');
  });

  it('setState: a no-op writes nothing; an illegal move is refused locally; setResult clears node_timeout', async () => {
    const { api, maestro } = setup('maestro', { compat: 'maestro' });
    const n = api.insert({ state: 'available', data: { error_code: 'node_timeout', error_msg: 'timed out' } });
    const same = await maestro.nodes.setState(n.id as string, 'available');
    expect(same.state).toBe('available');
    expect(api.calls.some((c) => c.method === 'PATCH')).toBe(false);
    expect(api.events).toHaveLength(0);
    await expect(maestro.nodes.setState(n.id as string, 'running')).rejects.toBeInstanceOf(InvalidTransitionError);
    expect(api.calls.some((c) => c.method === 'PATCH')).toBe(false);
    const finished = await maestro.nodes.setResult(n.id as string, 'pass');
    expect(finished).toMatchObject({ state: 'done', result: 'pass', data: { error_code: null, error_msg: null } });
    const again = await maestro.nodes.setResult(n.id as string, 'pass');
    expect(again.updated).toBe(finished.updated);
  });

  it('update is a full replacement under If-Match', async () => {
    const { api, maestro } = setup('maestro', { compat: 'maestro' });
    const n = await maestro.nodes.get(api.insert({ name: 'u' }).id as string);
    const replaced = await maestro.nodes.update({ ...n, state: 'available' }, { ifMatch: n, noEvent: true });
    expect(replaced.state).toBe('available');
    const put = api.calls.at(-1)!;
    expect([put.method, put.headers.get('If-Match'), put.query.get('noevent')]).toEqual(['PUT', etagOf(n), 'true']);
    expect(api.events).toHaveLength(0);
  });
});

describe('result trees (SDK A8)', () => {
  const tree = () =>
    resultTree()
      .suite('boot', (s) => s.case('login', 'pass').case('dmesg', 'pass'))
      .suite('ltp', (s) => s.case('mmap01', 'fail', { data: { arch: 'arm64' } }));

  it.each(['maestro', 'kernelci'] as const)('submits one PUT, fills path/group/inherit, and a second submission adds nothing (%s)', async (mode) => {
    const { api, maestro } = setup(mode, { compat: mode });
    const root = api.insert({ kind: 'job', name: 'baseline', path: ['checkout', 'baseline'], state: 'running', data: { arch: 'x86_64', platform: 'qemu', kernel_type: null } });
    const { root: stored, nodes } = await maestro.nodes.submitResults(root.id as string, tree(), { data: { extra: 1 } });
    expect(stored).toMatchObject({ state: 'done', result: 'fail', data: { arch: 'x86_64', extra: 1 } });
    expect(nodes.map((n) => n.name)).toEqual(['baseline', 'boot', 'login', 'dmesg', 'ltp', 'mmap01']);
    const login = nodes[2]!;
    expect(login).toMatchObject({ path: ['checkout', 'baseline', 'boot', 'login'], group: 'baseline', state: 'done', data: { arch: 'x86_64', platform: 'qemu' } });
    expect(login.data).not.toHaveProperty('kernel_type');
    expect(nodes[5]!.data).toMatchObject({ arch: 'arm64' });
    expect(api.calls.filter((c) => c.method === 'PUT')).toHaveLength(1);
    const count = api.nodes.size;
    const again = await maestro.nodes.submitResults(root.id as string, tree(), { data: { extra: 1 }, force: mode === 'maestro' }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ResultsAlreadySubmittedError);
    expect(api.nodes.size).toBe(count);
  });

  it('refuses an illegal root transition locally unless forced', async () => {
    const { api, maestro } = setup('maestro', { compat: 'maestro' });
    const root = api.insert({ kind: 'job', name: 'j', state: 'done' });
    await expect(maestro.nodes.submitResults(root.id as string, tree(), { state: 'available' })).rejects.toBeInstanceOf(InvalidTransitionError);
    expect(api.calls.some((c) => c.method === 'PUT')).toBe(false);
  });
});

describe('navigation and waiting (SDK A9, A10)', () => {
  it('ancestors, descendants, tree and findArtifact', async () => {
    for (const mode of ['maestro', 'kernelci'] as const) {
      const { api, maestro } = setup(mode, { compat: mode });
      const a = api.insert({ name: 'a', treeid: 't', artifacts: { tarball: 'http://x/t.tgz' } });
      const b = api.insert({ name: 'b', parent: a.id, path: ['a', 'b'], treeid: 't' });
      const c = api.insert({ name: 'c', parent: b.id, path: ['a', 'b', 'c'], treeid: 't' });
      const d = api.insert({ name: 'd', parent: b.id, path: ['a', 'b', 'd'], treeid: 't' });
      const up: string[] = [];
      for await (const n of maestro.nodes.ancestors(c.id as string)) up.push(n.name);
      expect(up).toEqual(['b', 'a']);
      const down: string[] = [];
      for await (const n of maestro.nodes.descendants(a.id as string)) down.push(n.name);
      expect(down).toEqual(['b', 'c', 'd']);
      const t = await maestro.nodes.tree(a.id as string);
      expect(t.children[0]!.children.map((x) => x.node.name)).toEqual(['c', 'd']);
      expect(await maestro.nodes.findArtifact(d.id as string, 'tarball')).toMatchObject({ url: 'http://x/t.tgz', node: { id: a.id } });
      expect(await maestro.nodes.findArtifact(d.id as string, 'nothing')).toBeNull();
    }
  });

  it('waitFor polls without a token, rejects when unreachable, times out with lastNode', async () => {
    const api = new FakeApi('maestro');
    const maestro = createClient({ baseUrl: 'http://h', fetch: api.fetch, compat: 'maestro' });
    const n = api.insert({ state: 'running' });
    setTimeout(() => api.nodes.set(n.id as string, { ...api.nodes.get(n.id as string)!, state: 'available' }), 30);
    await expect(maestro.nodes.waitFor(n.id as string, 'available', { timeoutMs: 2000, pollIntervalMs: 10 })).resolves.toMatchObject({ state: 'available' });
    api.nodes.set(n.id as string, { ...api.nodes.get(n.id as string)!, state: 'done', result: 'fail' });
    await expect(maestro.nodes.waitFor(n.id as string, { result: 'pass' }, { timeoutMs: 2000, pollIntervalMs: 10 })).rejects.toBeInstanceOf(WaitConditionUnreachableError);
    const m = api.insert({ state: 'running' });
    const error = await maestro.nodes.waitFor(m.id as string, () => false, { timeoutMs: 50, pollIntervalMs: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as WaitTimeoutError).lastNode).toMatchObject({ id: m.id });
  });
});
