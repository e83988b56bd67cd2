import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from './client';
import { isNetworkError, isTimeoutError, NetworkError, RateLimitError, ServerError, TimeoutError, UnauthorizedError } from './errors';
import { FakeApi } from './fake/fake-api';

const NODE_ID = '65a3982ee98651d0fe82b010';
const fast = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

function scripted(answers: (Response | Error | ((req: Request) => Promise<Response>))[]) {
  const seen: Request[] = [];
  const bodies: string[] = [];
  const fetch = async (input: Request): Promise<Response> => {
    seen.push(input);
    bodies.push(input.body ? await input.clone().text() : '');
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    if (typeof next === 'function') return next(input);
    return next;
  };
  return { fetch: fetch as typeof globalThis.fetch, seen, bodies };
}

const ok = (body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json', ...headers } });
const status = (code: number, detail = 'x', headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify({ detail }), { status: code, headers: { 'content-type': 'application/json', ...headers } });
const node = { id: NODE_ID, kind: 'checkout', name: 'c', path: ['c'], state: 'running' };

describe('transport: retries by operation', () => {
  it('retries GET after a network failure, 408, 429, 5xx', async () => {
    const s = scripted([new TypeError('fetch failed'), status(503), status(429), ok(node)]);
    const maestro = createClient({ baseUrl: 'http://h', fetch: s.fetch, retry: fast, compat: 'kernelci' });
    await expect(maestro.nodes.get(NODE_ID)).resolves.toMatchObject({ id: NODE_ID });
    expect(s.seen).toHaveLength(4);
  });

  it('surfaces other 4xx at once and stops after maxAttempts', async () => {
    const s = scripted([status(401, 'Unauthorized')]);
    const maestro = createClient({ baseUrl: 'http://h', fetch: s.fetch, retry: fast, compat: 'kernelci' });
    await expect(maestro.nodes.get(NODE_ID)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(s.seen).toHaveLength(1);
    const t = scripted([status(502), status(502), status(502), status(502)]);
    const again = createClient({ baseUrl: 'http://h', fetch: t.fetch, retry: fast, compat: 'kernelci' });
    await expect(again.nodes.get(NODE_ID)).rejects.toBeInstanceOf(ServerError);
    expect(t.seen).toHaveLength(4);
  });

  it('never retries POST /node in KernelCI mode; a lost answer is ambiguous', async () => {
    const s = scripted([new TypeError('socket hang up')]);
    const maestro = createClient({ baseUrl: 'http://h', fetch: s.fetch, retry: false, compat: 'kernelci', token: 't0ken-value' });
    const error = await maestro.nodes.create({ kind: 'checkout', name: 'c', path: ['c'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).ambiguous).toBe(true);
    expect(s.seen).toHaveLength(1);
  });

  it('retries POST /node with its Idempotency-Key in Maestro mode, resending the same body and key', async () => {
    const s = scripted([status(503), new TypeError('reset'), ok(node)]);
    const maestro = createClient({ baseUrl: 'http://h', fetch: s.fetch, retry: fast, compat: 'maestro', token: 't0ken-value' });
    await maestro.nodes.create({ kind: 'checkout', name: 'c', path: ['c'] });
    expect(s.seen).toHaveLength(3);
    const keys = s.seen.map((r) => r.headers.get('Idempotency-Key'));
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(s.bodies).size).toBe(1);
    expect(JSON.parse(s.bodies[0]!).debug.idempotency_key).toBe(keys[0]);
  });

  it('retries a 409 "already in progress" of an idempotent creation', async () => {
    const s = scripted([status(409, 'A request with this Idempotency-Key is already in progress'), ok(node)]);
    const maestro = createClient({ baseUrl: 'http://h', fetch: s.fetch, retry: fast, compat: 'maestro' });
    await maestro.nodes.create({ kind: 'checkout', name: 'c', path: ['c'] });
    expect(s.seen).toHaveLength(2);
  });

  it('retries PATCH only with If-Match', async () => {
    const withTag = scripted([ok(node, { ETag: '"a"' }), status(503), ok({ ...node, state: 'done' }, { ETag: '"b"' })]);
    const m1 = createClient({ baseUrl: 'http://h', fetch: withTag.fetch, retry: fast, compat: 'maestro' });
    await m1.nodes.patch(NODE_ID, { state: 'done' });
    expect(withTag.seen.map((r) => [r.method, r.headers.get('If-Match')])).toEqual([
      ['GET', null],
      ['PATCH', '"a"'],
      ['PATCH', '"a"'],
    ]);
    const noTag = scripted([status(503)]);
    const m2 = createClient({ baseUrl: 'http://h', fetch: noTag.fetch, retry: fast, compat: 'kernelci' });
    await expect(m2.nodes.patch(NODE_ID, { state: 'done' }, { merge: 'replace' })).rejects.toBeInstanceOf(ServerError);
    expect(noTag.seen).toHaveLength(1);
  });

  it('client.raw retries reads only', async () => {
    const s = scripted([status(503), ok(node), status(503)]);
    const maestro = createClient({ baseUrl: 'http://h', fetch: s.fetch, retry: fast, compat: 'kernelci' });
    expect((await maestro.raw.GET('/node/{node_id}', { params: { path: { node_id: NODE_ID } } })).data).toMatchObject({ id: NODE_ID });
    const write = await maestro.raw.POST('/node', { body: { name: 'c', path: ['c'] } });
    expect(write.response.status).toBe(503);
    expect(s.seen.map((r) => r.method)).toEqual(['GET', 'GET', 'POST']);
  });

  it('never retries /publish', async () => {
    const s = scripted([status(503)]);
    const maestro = createClient({ baseUrl: 'http://h', fetch: s.fetch, retry: fast, compat: 'maestro' });
    await expect(maestro.events.publish('test', { hello: 'world' })).rejects.toBeInstanceOf(ServerError);
    expect(s.seen).toHaveLength(1);
  });

  it('waits for Retry-After, capped at 4 × maxDelayMs', async () => {
    const s = scripted([status(429, 'slow down', { 'Retry-After': '3600' }), ok(node)]);
    const maestro = createClient({ baseUrl: 'http://h', fetch: s.fetch, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 25 }, compat: 'kernelci' });
    const started = Date.now();
    await maestro.nodes.get(NODE_ID);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(95);
    expect(waited).toBeLessThan(1000);
    const r = scripted([status(429, 'slow down', { 'Retry-After': '0' })]);
    const once = createClient({ baseUrl: 'http://h', fetch: r.fetch, retry: false, compat: 'kernelci' });
    await expect(once.nodes.get(NODE_ID)).rejects.toBeInstanceOf(RateLimitError);
  });
});

describe('transport: deadlines and aborts', () => {
  const hang = (req: Request): Promise<Response> =>
    new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason), { once: true }));

  it('an expired attempt deadline throws TimeoutError (and is retried for reads)', async () => {
    const s = scripted([hang, hang]);
    const maestro = createClient({ baseUrl: 'http://h', fetch: s.fetch, timeoutMs: 20, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 }, compat: 'kernelci' });
    const error = await maestro.nodes.get(NODE_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).phase).toBe('request');
    expect((error as TimeoutError).ambiguous).toBe(false);
    expect(s.seen).toHaveLength(2);
  });

  it("a caller abort surfaces as the signal's reason, unwrapped and never retried", async () => {
    const s = scripted([hang, hang]);
    const maestro = createClient({ baseUrl: 'http://h', fetch: s.fetch, compat: 'kernelci' });
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    setTimeout(() => controller.abort(reason), 10);
    await expect(maestro.nodes.get(NODE_ID, { signal: controller.signal })).rejects.toBe(reason);
    expect(s.seen).toHaveLength(1);
  });
});

describe('transport: headers', () => {
  it('sends Authorization only with a token, calls a token function per request, and always X-Maestro-Client', async () => {
    const api = new FakeApi('kernelci');
    const anonymous = createClient({ baseUrl: 'http://h', fetch: api.fetch, compat: 'kernelci', userAgent: 'lab-x/1.0' });
    await anonymous.nodes.tryGet(NODE_ID);
    expect(api.calls[0]!.headers.has('Authorization')).toBe(false);
    expect(api.calls[0]!.headers.get('X-Maestro-Client')).toMatch(/^lab-x\/1\.0 @maestro-ci\/sdk\/\d+\.\d+\.\d+ \(node\/[\d.]+\)$/);
    expect(api.calls[0]!.headers.get('User-Agent')).toBe(api.calls[0]!.headers.get('X-Maestro-Client'));
    let n = 0;
    const rotating = createClient({ baseUrl: 'http://h', fetch: api.fetch, compat: 'kernelci', token: () => `token-number-${++n}` });
    await rotating.nodes.tryGet(NODE_ID);
    await rotating.nodes.tryGet(NODE_ID);
    expect(api.calls.slice(1).map((c) => c.headers.get('Authorization'))).toEqual(['Bearer token-number-1', 'Bearer token-number-2']);
  });
});

describe('transport: connection reuse', () => {
  it('20 sequential calls open at most 2 TCP connections', async () => {
    let connections = 0;
    const server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('null');
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const maestro = createClient({ baseUrl: `http://127.0.0.1:${port}`, compat: 'kernelci' });
      for (let i = 0; i < 20; i++) expect(await maestro.nodes.tryGet(NODE_ID)).toBeNull();
      expect(connections).toBeLessThanOrEqual(2);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a refused connection is a NetworkError with status 0', async () => {
    const maestro = createClient({ baseUrl: 'http://127.0.0.1:9', compat: 'kernelci', retry: false });
    const error = await maestro.nodes.get(NODE_ID).catch((e: unknown) => e);
    expect(isNetworkError(error) || isTimeoutError(error)).toBe(true);
    expect((error as NetworkError).status ?? 0).toBe(0);
  });
});
