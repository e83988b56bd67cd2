/**
 * Boots the compiled API (api/dist, where the Swagger plugin ran) in process on a random port
 * with embedded in-memory PostgreSQL, and offers raw HTTP helpers that check every answer
 * against openapi.json.
 */
import { resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { contractCheckedFetch } from './openapi-contract';

const dist = resolve(__dirname, '../../../api/dist');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createApp } = require(`${dist}/app.factory.js`) as {
  createApp: (config: unknown, options?: { logger?: boolean; logDestination?: { write(line: string): void } }) => Promise<INestApplication>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadConfig } = require(`${dist}/config/config.js`) as { loadConfig: (env: Record<string, string>) => unknown };

export const ADMIN_PASSWORD = 'e2e-admin-password';

export interface TestServer {
  baseUrl: string;
  /** fetch that validates responses against openapi.json. */
  fetch: typeof fetch;
  /** Raw HTTP with JSON parsing; paths are joined to the origin as given (no prefix added). */
  http(method: string, path: string, init?: { body?: unknown; token?: string; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: unknown; text: string }>;
  /**
   * The JSON log lines written so far (only with `captureLogs`; empty otherwise). Nest's Logger is
   * process-wide and follows the app created last: start no other server while reading these.
   */
  logs(): string[];
  close(): Promise<void>;
  /** The Nest application, for fixtures that need providers (e.g. the storage port). */
  app: INestApplication;
}

export async function startServer(env: Record<string, string> = {}, options: { captureLogs?: boolean } = {}): Promise<TestServer> {
  const config = loadConfig({
    DATABASE_URL: 'pglite:memory',
    SECRET_KEY: 'e2e-secret',
    KCI_INITIAL_PASSWORD: ADMIN_PASSWORD,
    LOG_LEVEL: options.captureLogs ? 'debug' : 'silent',
    LIFECYCLE_ENABLED: 'false',
    ...env,
  });
  const lines: string[] = [];
  const app = await createApp(
    config,
    options.captureLogs ? { logDestination: { write: (line: string) => void lines.push(line) } } : { logger: false },
  );
  try {
    await app.listen({ port: 0, host: '127.0.0.1' } as never);
  } catch (error) {
    // A failed start-up (e.g. bootstrap refusing to run) must not leave the database pool open.
    await app.close().catch(() => undefined);
    throw error;
  }
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const checked = contractCheckedFetch();
  return {
    baseUrl,
    fetch: checked,
    async http(method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.token) headers.Authorization = `Bearer ${init.token}`;
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
        headers['Content-Type'] ??= 'application/json';
      }
      const response = await checked(`${baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
      const text = await response.text();
      const isJson = (response.headers.get('content-type') ?? '').includes('application/json');
      return { status: response.status, headers: response.headers, text, body: isJson && text !== '' ? JSON.parse(text) : text };
    },
    logs: () => [...lines],
    close: () => app.close(),
    app,
  };
}
