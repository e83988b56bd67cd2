/**
 * Serves the web console (`web/`, built by Vite into `web/dist`) at KernelCI's page paths.
 *
 * - The pages (`/viewer`, `/dashboard`, `/manage`, `/analytics`, `/stats`, `/user/invite`, and `/`
 *   for a browser that asks for `text/html`) all answer the console's `index.html`; the console
 *   routes on the client. HTML is never cached: `Cache-Control: no-cache, no-store,
 *   must-revalidate`, `Pragma: no-cache`, `Expires: 0`, as KernelCI sends for its pages.
 * - Hashed bundles under `/assets/` are immutable: a new build writes new file names.
 * - JSON clients keep the root's JSON answer: `/` answers HTML only when `Accept` names `text/html`.
 * - Without a build the API still starts; the pages then answer 404 and a log line says why.
 *
 * Routes are registered on Fastify at the `/latest` form of each path: version routing rewrites
 * `/viewer` to `/latest/viewer` before routing, so `/viewer`, `/latest/viewer` and `/v0/viewer`
 * all reach them. They are not part of the OpenAPI document.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX } from '../common/http/version-routing';

/** The console's page paths (client-side routes), without the version prefix. */
export const CONSOLE_PAGES = ['/viewer', '/dashboard', '/manage', '/analytics', '/stats', '/user/invite'] as const;

/** Where `npm run build -w web` writes the console, seen from `api/dist/console/`. */
export const DEFAULT_CONSOLE_DIR = resolve(__dirname, '../../../web/dist');

const NO_CACHE = { 'cache-control': 'no-cache, no-store, must-revalidate', pragma: 'no-cache', expires: '0' };
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** True when the client names `text/html` in `Accept` (browsers do; `*\/*` and JSON clients do not). */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.trim().split(';');
    if (type.trim().toLowerCase() !== 'text/html') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

export async function registerConsole(app: NestFastifyApplication, logger: Pick<Logger, 'log' | 'warn'>, dir = DEFAULT_CONSOLE_DIR): Promise<boolean> {
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) {
    logger.warn(`Web console not built (no ${indexFile}): /viewer, /dashboard and the other pages answer 404; run "npm run build -w web"`);
    return false;
  }
  // Read once: a rebuild changes the hashed asset names, and the API is restarted with the new build.
  const indexHtml = readFileSync(indexFile);
  const fastify = app.getHttpAdapter().getInstance();
  const sendIndex = (reply: FastifyReply) => reply.status(200).headers(NO_CACHE).type('text/html; charset=utf-8').send(indexHtml);

  await app.register(fastifyStatic, {
    root: join(dir, 'assets'),
    prefix: `${API_PREFIX}/assets/`,
    decorateReply: false,
    index: false,
    // One route per built file: an unknown asset is then an unknown route (404), not a wrong method.
    wildcard: false,
    cacheControl: false,
    setHeaders: (reply: FastifyReply) => void reply.header('cache-control', IMMUTABLE),
  });
  for (const page of CONSOLE_PAGES) {
    fastify.get(`${API_PREFIX}${page}`, (_request: FastifyRequest, reply: FastifyReply) => sendIndex(reply));
  }
  // `/` (and `/latest`): HTML for browsers, the JSON greeting (answered by the root route) for others.
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    const path = request.url.split('?', 1)[0];
    if ((request.method === 'GET' || request.method === 'HEAD') && path === API_PREFIX && prefersHtml(request.headers.accept)) {
      void sendIndex(reply);
      return;
    }
    done();
  });
  logger.log(`Web console served from ${dir} at ${CONSOLE_PAGES.join(', ')} and / (for text/html)`);
  return true;
}
