/**
 * storage (docs/pipeline.md#services): read-only static HTTP over `storage.root`, bound to loopback. Artifact URLs
 * must be http (the API rejects `file://` artifacts), so this is how logs and archives reach
 * readers. GET and HEAD only; a path escaping the root is 403, a missing file 404.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import type { RunningService, ServiceContext } from '../service';

const CONTENT_TYPES: Record<string, string> = {
  '.gz': 'application/gzip',
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.json': 'application/json',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Starts the file server; resolves once it listens. `port` 0 picks a free one. */
export async function startStorageServer(root: string, port: number): Promise<{ server: Server; port: number }> {
  const base = resolve(root);
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      let pathname: string;
      try {
        // Not `new URL(...)`: it would silently normalise `/../` away, and an escape must be a 403.
        pathname = decodeURIComponent((req.url ?? '/').split('?')[0]!);
      } catch {
        res.writeHead(400).end();
        return;
      }
      const file = resolve(base, `.${pathname}`);
      if (pathname.includes('\0') || (file !== base && !file.startsWith(base + sep))) {
        res.writeHead(403).end();
        return;
      }
      const info = await stat(file).catch(() => null);
      if (!info || !info.isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
        return;
      }
      res.writeHead(200, { 'Content-Type': contentType(file), 'Content-Length': info.size });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      createReadStream(file).on('error', () => res.destroy()).pipe(res);
    })();
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** The storage service needs no API access, hence no SDK client. */
export async function startStorage(ctx: Pick<ServiceContext, 'config' | 'log'>): Promise<RunningService> {
  const url = new URL(ctx.config.storage.url);
  const { server, port } = await startStorageServer(ctx.config.storage.root, Number(url.port || 80));
  ctx.log.info('storage listening', { action: 'storage.listening', port, root: ctx.config.storage.root });
  const done = new Promise<void>((ok) => server.once('close', () => ok()));
  return {
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
    done,
  };
}
