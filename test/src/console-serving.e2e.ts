// The web console's pages and bundles as the built API serves them (raw HTTP; the pages are not
// part of the OpenAPI document, so the contract-checked fetch is not used).
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startServer, type TestServer } from './support/api-server';

const assets = resolve(__dirname, '../../web/dist/assets');

describe('console serving (e2e)', () => {
  let server: TestServer;
  beforeAll(async () => {
    if (!existsSync(assets)) throw new Error('web/dist is missing: run npm run build first');
    server = await startServer();
  });
  afterAll(() => server?.close());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.baseUrl}${path}`, { headers, redirect: 'manual' });

  it.each(['/viewer', '/dashboard', '/manage', '/analytics', '/stats', '/user/invite', '/latest/viewer', '/v0/dashboard', '//viewer?node_id=65a3982ee98651d0fe82b010'])(
    'serves %s as uncached HTML',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');
      expect(response.headers.get('pragma')).toBe('no-cache');
      expect(response.headers.get('expires')).toBe('0');
      expect(await response.text()).toContain('<div id="root"></div>');
    },
  );

  it('answers / with HTML to browsers and with JSON to everyone else', async () => {
    const html = await get('/', { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(html.headers.get('content-type')).toContain('text/html');
    for (const accept of ['application/json', '*/*', '']) {
      const json = await get('/', accept ? { Accept: accept } : {});
      expect(json.headers.get('content-type')).toContain('application/json');
      expect(await json.json()).toEqual({ message: 'KernelCI API' });
    }
  });

  it('serves hashed bundles as immutable with their content type, and 404 for unknown ones', async () => {
    const files = readdirSync(assets);
    const js = files.find((f) => f.endsWith('.js'))!;
    const css = files.find((f) => f.endsWith('.css'))!;
    const script = await get(`/assets/${js}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await get(`/assets/${css}`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    const missing = await get('/assets/missing-0000.js');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: 'Not Found' });
  });

  it('keeps the accept-invite page, the API routes and KernelCI answers for wrong methods', async () => {
    const invite = await get('/user/accept-invite?token=x');
    expect(invite.status).toBe(200);
    expect(await invite.text()).toContain('Accept your invitation');
    expect((await get('/latest/nodes?limit=1')).status).toBe(200);
    const post = await fetch(`${server.baseUrl}/viewer`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect((await get('/viewer/')).status).toBe(307);
    expect((await get('/viewerx')).status).toBe(404);
  });
});
