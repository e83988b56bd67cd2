import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { createClient } from './client';
import * as errors from './errors';
import { SDK_ROUTES } from './routes';
import { FakeApi } from './fake/fake-api';
import { resultTree } from './result-tree';

const NODE_ID = '65a3982ee98651d0fe82b010';

describe('routes', () => {
  const doc = JSON.parse(readFileSync(join(__dirname, '../../openapi/openapi.json'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  const inDoc = (route: string): boolean => {
    const [method, path] = route.split(' ') as [string, string];
    return doc.paths[path]?.[method.toLowerCase()] !== undefined;
  };

  it('every route of the hand-written layer is in the committed document', () => {
    expect(SDK_ROUTES.filter((r) => !inDoc(r))).toEqual([]);
  });
});

describe('URL joining through the client', () => {
  it.each([
    ['http://h:8001', 'http://h:8001/latest'],
    ['http://h:8001/', 'http://h:8001/latest'],
    ['http://h/api', 'http://h/api/latest'],
    ['http://h/api/', 'http://h/api/latest'],
    ['http://h/api/latest', 'http://h/api/latest'],
  ])('%s → %s/node/<id>', async (baseUrl, root) => {
    const urls: string[] = [];
    const maestro = createClient({
      baseUrl,
      compat: 'kernelci',
      fetch: (async (input: Request) => {
        urls.push(input.url);
        return new Response('null', { headers: { 'content-type': 'application/json' } });
      }) as typeof fetch,
    });
    await maestro.nodes.tryGet(NODE_ID);
    expect(urls).toEqual([`${root}/node/${NODE_ID}`]);
  });
});

describe('client construction', () => {
  it('withToken shares discovery and changes only the token', async () => {
    const api = new FakeApi('maestro');
    const anonymous = createClient({ baseUrl: 'http://h', fetch: api.fetch });
    expect(await anonymous.mode()).toBe('maestro');
    const authed = anonymous.withToken('second-token-value');
    expect(await authed.mode()).toBe('maestro');
    await authed.nodes.tryGet(NODE_ID);
    expect(api.calls.filter((c) => c.path === '/openapi.json')).toHaveLength(1);
    expect(api.calls.at(-1)!.headers.get('Authorization')).toBe('Bearer second-token-value');
  });

  it('warns once on a different major version, or throws IncompatibleServerError with strictVersion', async () => {
    const api = new FakeApi('maestro');
    api.interceptors.push((call) =>
      call.path === '/openapi.json' ? new Response(JSON.stringify({ info: { version: '9.0.0' }, paths: { '/latest/user/me/tokens': {} } })) : undefined,
    );
    const warnings: string[] = [];
    const lenient = createClient({ baseUrl: 'http://h', fetch: api.fetch, logger: { warn: (m) => warnings.push(m) } });
    expect(await lenient.mode()).toBe('maestro');
    expect(warnings).toEqual([expect.stringContaining('9.0.0')]);
    const strict = createClient({ baseUrl: 'http://h', fetch: api.fetch, strictVersion: true });
    await expect(strict.mode()).rejects.toBeInstanceOf(errors.IncompatibleServerError);
  });

  it('discovery without an answer is not cached', async () => {
    const api = new FakeApi('maestro');
    let down = true;
    api.interceptors.push(() => {
      if (down) throw new TypeError('connect ECONNREFUSED');
      return undefined;
    });
    const maestro = createClient({ baseUrl: 'http://h', fetch: api.fetch, retry: false });
    await expect(maestro.mode()).rejects.toBeInstanceOf(errors.NetworkError);
    down = false;
    expect(await maestro.mode()).toBe('maestro');
  });

  it('tokens.inspect reads a JWT locally; API tokens are opaque', () => {
    const maestro = createClient({ baseUrl: 'http://h', compat: 'kernelci' });
    const payload = Buffer.from(JSON.stringify({ sub: 'bob', exp: 1_900_000_000 })).toString('base64url');
    expect(maestro.tokens.inspect(`eyJhbGciOiJIUzI1NiJ9.${payload}.sig`)).toEqual({ kind: 'jwt', sub: 'bob', exp: new Date(1_900_000_000_000) });
    expect(maestro.tokens.inspect('mst_abc')).toEqual({ kind: 'api' });
  });

  it('API tokens need Maestro mode', async () => {
    const maestro = createClient({ baseUrl: 'http://h', compat: 'kernelci' });
    await expect(maestro.tokens.list()).rejects.toBeInstanceOf(errors.UnsupportedFeatureError);
  });
});

describe('no credential in any rendering', () => {
  const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2VjcmV0LXNpZ25hdHVyZQ';
  const PLAIN = 'plain-secret-token-42';

  function renderings(error: unknown): string {
    const e = error as Error & { toJSON?: () => unknown; cause?: unknown };
    const parts = [String(e), e.message, e.stack ?? '', inspect(e, { depth: 10, showHidden: true }), JSON.stringify(e)];
    for (let c = e.cause as { message?: string; stack?: string } | undefined, i = 0; c && i < 5; c = (c as { cause?: never }).cause, i++) {
      parts.push(String(c.message), String(c.stack), inspect(c, { depth: 5 }));
    }
    return parts.join('\n');
  }

  it.each([TOKEN, PLAIN])('provokes every error class with token %#', async (token) => {
    const echo = (status: number, detail: string) =>
      new Response(JSON.stringify({ detail: `${detail} (you sent Bearer ${token}, token=${token})` }), { status, headers: { 'content-type': 'application/json' } });
    const provoked: unknown[] = [];
    const statuses = [400, 401, 403, 404, 409, 412, 413, 422, 429, 500];
    for (const status of statuses) {
      const maestro = createClient({ baseUrl: 'http://h/', token, compat: 'kernelci', retry: false, fetch: (async () => echo(status, 'nope')) as typeof fetch });
      provoked.push(await maestro.nodes.get(NODE_ID).catch((e: unknown) => e));
    }
    const failing = createClient({ baseUrl: 'http://h', token, compat: 'kernelci', retry: false, fetch: (async () => {
      throw new TypeError(`connect failed for Bearer ${token}`);
    }) as typeof fetch });
    provoked.push(await failing.nodes.create({ kind: 'checkout', name: 'c', path: ['c'] }).catch((e: unknown) => e));
    const slow = createClient({ baseUrl: 'http://h', token, compat: 'kernelci', retry: false, timeoutMs: 5, fetch: ((req: Request) =>
      new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(new Error(`aborted ${token}`))))) as typeof fetch });
    provoked.push(await slow.nodes.get(NODE_ID).catch((e: unknown) => e));
    const api = new FakeApi('maestro');
    const maestro = createClient({ baseUrl: 'http://h', token, fetch: api.fetch, compat: 'maestro' });
    const root = api.insert({ state: 'done', children: undefined });
    provoked.push(await maestro.nodes.submitResults(root.id as string, resultTree().suite('s', (s) => s.case('c', 'pass')), { state: 'available' }).catch((e: unknown) => e));
    provoked.push(await maestro.nodes.find({ name: ['a'] as never }).first().catch((e: unknown) => e));
    provoked.push(await maestro.nodes.waitFor(root.id as string, 'running', { timeoutMs: 5, via: 'poll' }).catch((e: unknown) => e));
    provoked.push((() => {
      try {
        return createClient({ baseUrl: `http://user:${token}@h/`, token });
      } catch (e) {
        return e;
      }
    })());
    const names = new Set(provoked.map((e) => (e as Error).name));
    for (const name of ['BadRequestError', 'UnauthorizedError', 'ForbiddenError', 'NotFoundError', 'ConflictError', 'PreconditionFailedError', 'OversizedBodyError', 'ValidationError', 'RateLimitError', 'ServerError', 'NetworkError', 'TimeoutError', 'InvalidTransitionError', 'FilterError', 'WaitConditionUnreachableError']) {
      expect(names).toContain(name);
    }
    for (const error of provoked) {
      expect(errors.isMaestroError(error)).toBe(true);
      expect(renderings(error)).not.toContain(token);
    }
  });
});
