import { request as httpRequest } from 'node:http';
import { createClient, NotFoundError, UnauthorizedError, type NodeInput } from '@maestro-ci/sdk';
import { ADMIN_PASSWORD, startServer, type TestServer } from './support/api-server';

const checkout: NodeInput = {
  kind: 'checkout',
  name: 'checkout',
  path: ['checkout'],
  data: {
    kernel_revision: { tree: 'mainline', url: 'https://git.kernel.org/torvalds/linux.git', branch: 'master', commit: '052d5343' },
  },
};

describe('walking skeleton (e2e)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('logs in as the bootstrap admin, creates a node and reads it back through the SDK', async () => {
    const anonymous = createClient({ baseUrl: server.baseUrl, fetch: server.fetch });
    const { access_token } = await anonymous.tokens.login({ username: 'admin', password: ADMIN_PASSWORD });
    const maestro = createClient({ baseUrl: server.baseUrl, token: access_token, fetch: server.fetch });

    const created = await maestro.nodes.create(checkout);
    expect(created).toMatchObject({ kind: 'checkout', owner: 'admin', state: 'running', parent: null });
    expect(created.id).toMatch(/^[0-9a-f]{24}$/);

    const read = await anonymous.nodes.get(created.id);
    expect(read).toEqual(created);

    const page = await anonymous.nodes.list({ kind: 'checkout', 'data.kernel_revision.tree': 'mainline' });
    expect(page.items.map((n) => n.id)).toContain(created.id);
    expect(Object.keys(page)).toEqual(['items', 'total', 'limit', 'offset']);
  });

  it('maps errors to typed SDK errors', async () => {
    const anonymous = createClient({ baseUrl: server.baseUrl, fetch: server.fetch });
    await expect(anonymous.nodes.create(checkout)).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(anonymous.nodes.get('65a3982ee98651d0fe82b010')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('routes version prefixes and answers KernelCI error shapes over raw HTTP', async () => {
    expect((await server.http('GET', '/')).body).toEqual({ message: 'KernelCI API' });
    expect((await server.http('GET', '/latest/', { headers: { Accept: '*/*' } })).body).toEqual({ message: 'KernelCI API' });
    expect((await server.http('GET', '/v0/', { headers: { Accept: '*/*' } })).status).toBe(200);
    const v1 = await server.http('GET', '/v1/nodes');
    expect([v1.status, v1.headers.get('content-type'), v1.text]).toEqual([400, 'text/plain', 'Unsupported API version: v1']);
    expect((await server.http('GET', '/v0.1/nodes')).text).toBe('Unsupported API version: v0.1');
    const slash = await server.http('GET', '/latest/nodes/?kind=x');
    expect([slash.status, slash.headers.get('location')]).toEqual([307, '/latest/nodes?kind=x']);
    expect(await server.http('GET', '/nope')).toMatchObject({ status: 404, body: { detail: 'Not Found' } });
    expect(await server.http('DELETE', '/nodes')).toMatchObject({ status: 405, body: { detail: 'Method Not Allowed' } });
    expect((await server.http('GET', '//latest/nodes')).status).toBe(200);
    expect(await server.http('GET', '/node/zz')).toMatchObject({
      status: 400,
      body: { detail: "'zz' is not a valid ObjectId, it must be a 12-byte input or a 24-character hex string" },
    });
    expect(await server.http('GET', '/node/65a3982ee98651d0fe82b010')).toMatchObject({ status: 200, body: null });
    expect(await server.http('POST', '/node', { body: checkout })).toMatchObject({ status: 401, body: { detail: 'Unauthorized' } });
  });

  it('answers bad input with 4xx in the contract shapes', async () => {
    const login = await server.http('POST', '/user/login', {
      body: `username=admin&password=${ADMIN_PASSWORD}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    const token = (login.body as { access_token: string }).access_token;
    const malformed = await server.http('POST', '/node', { body: '{bad', token });
    expect(malformed.status).toBe(422);
    expect((malformed.body as { detail: unknown[] }).detail[0]).toMatchObject({ type: 'json_invalid', loc: ['body'] });
    const missing = await server.http('POST', '/node', { body: { kind: 'checkout' }, token });
    expect(missing.status).toBe(422);
    expect((missing.body as { detail: { loc: string[] }[] }).detail.map((i) => i.loc.join('.'))).toEqual(['body.name', 'body.path']);
    const badLimit = await server.http('GET', '/nodes?limit=0');
    expect(badLimit.status).toBe(422);
    const badLogin = await server.http('POST', '/user/login', {
      body: 'username=admin&password=wrong',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(badLogin).toMatchObject({ status: 400, body: { detail: 'LOGIN_BAD_CREDENTIALS' } });
    // kernelci-core posts JSON without a Content-Type header (fetch would add text/plain, so use node:http).
    const noContentType = await new Promise<number>((resolve, reject) => {
      const body = JSON.stringify(checkout);
      const request = httpRequest(`${server.baseUrl}/latest/node`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Length': Buffer.byteLength(body) },
      });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end(body);
    });
    expect(noContentType).toBe(200);
    const metrics = await server.http('GET', '/metrics');
    expect(metrics.text).toMatch(/^http_requests_total\{instance="api"\} \d+$/m);
  });
});
