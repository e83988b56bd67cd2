/**
 * Probes and start-up checks of the built API: /healthz and /readyz answer outside the version
 * prefix without a token, as the OpenAPI document says, and write no log line; a database
 * migrated by a newer release stops the process with exit status 3 and one clear line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer, type TestServer } from './support/api-server';

const dist = resolve(__dirname, '../../api/dist');
// The API's own SQL client (PGlite on a folder), as the e2e suites load the built API.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { openSqlClient } = require(`${dist}/storage/postgres/sql-client.js`) as {
  openSqlClient: (target: { kind: 'pglite'; dataDir: string }) => Promise<{ exec(sql: string): Promise<void>; close(): Promise<void> }>;
};

describe('health probes (e2e)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({}, { captureLogs: true });
  });
  afterAll(() => server?.close());

  it.each(['/healthz', '/latest/healthz', '/v0/healthz'])('GET %s answers 200 without a token', async (path) => {
    const response = await server.http('GET', path);
    expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('GET /readyz reports the database and the notifier ready', async () => {
    const response = await server.http('GET', '/readyz');
    expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'ok', notifier: 'ok' } } });
  });

  it('logs no line for probes, while other requests are logged', async () => {
    const before = server.logs().length;
    for (let i = 0; i < 5; i++) {
      await server.http('GET', '/healthz');
      await server.http('GET', '/readyz');
    }
    expect(server.logs().slice(before)).toEqual([]);
    await server.http('GET', '/');
    const lines = server.logs().slice(before).map((line) => JSON.parse(line) as { req?: { url?: string }; reqId?: string });
    // The request log shows the URL after version routing.
    expect(lines.some((line) => line.req?.url === '/latest')).toBe(true);
  });
});

describe('start-up on a schema newer than this release (e2e)', () => {
  it('exits with status 3 and says why, before serving', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maestro-schema-'));
    try {
      const db = await openSqlClient({ kind: 'pglite', dataDir: dir });
      await db.exec(`CREATE TABLE maestro_migration (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
                     INSERT INTO maestro_migration (version, name) VALUES (9999, 'from-a-newer-release');`);
      await db.close();
      const child = spawn(process.execPath, [`${dist}/main.js`], {
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: `pglite:${dir}`, PORT: '0', LOG_LEVEL: 'silent', KCI_INITIAL_PASSWORD: 'x' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((done) => child.once('exit', done));
      expect({ code, stderr: stderr.trim() }).toEqual({
        code: 3,
        stderr: expect.stringMatching(/^maestro: refusing to start: the database schema is at migration 9999, newer than this release knows \(\d+\)/),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
