import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStorageServer } from './storage';

/** A raw request, so paths like `/../x` reach the server unnormalised. */
function raw(port: number, method: string, path: string): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('storage', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'storage-'));
    mkdirSync(join(root, 'jobs', 'n1'), { recursive: true });
    for (const [name, text] of Object.entries({ 'a.tar.gz': 'gz', 'jobs/n1/log.txt': 'log', 'r.md': '# r', 'x.json': '{}', 'y.log': 'l', 'blob': 'b', 'with space.txt': 's' })) {
      writeFileSync(join(root, name), text);
    }
    writeFileSync(join(root, '..', 'outside-secret.txt'), 'secret');
    ({ server, port } = await startStorageServer(root, 0));
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it.each([
    ['/a.tar.gz', 'application/gzip'],
    ['/jobs/n1/log.txt', 'text/plain; charset=utf-8'],
    ['/y.log', 'text/plain; charset=utf-8'],
    ['/r.md', 'text/markdown; charset=utf-8'],
    ['/x.json', 'application/json'],
    ['/blob', 'application/octet-stream'],
    ['/with%20space.txt', 'text/plain; charset=utf-8'],
  ])('serves %s as %s', async (path, type) => {
    const res = await raw(port, 'GET', path);
    expect([res.status, res.type]).toEqual([200, type]);
  });

  it('answers HEAD without a body, 404 for missing files and directories, 405 for writes', async () => {
    expect(await raw(port, 'HEAD', '/a.tar.gz')).toMatchObject({ status: 200, body: '' });
    expect((await raw(port, 'GET', '/missing.txt')).status).toBe(404);
    expect((await raw(port, 'GET', '/jobs')).status).toBe(404);
    expect((await raw(port, 'PUT', '/a.tar.gz')).status).toBe(405);
    expect((await raw(port, 'DELETE', '/a.tar.gz')).status).toBe(405);
  });

  it('refuses paths escaping the root with 403', async () => {
    expect((await raw(port, 'GET', '/../outside-secret.txt')).status).toBe(403);
    expect((await raw(port, 'GET', '/..%2foutside-secret.txt')).status).toBe(403);
    expect((await raw(port, 'GET', '/jobs/%2e%2e/%2e%2e/%2e%2e/outside-secret.txt')).status).toBe(403);
  });

  it('listens on loopback only', () => {
    expect(server.address()).toMatchObject({ address: '127.0.0.1' });
  });
});
