/**
 * What an API started without MongoDB and without REDIS_URL must not load (docs/adr/0018-write-path.md,
 * "Idle memory"): the MongoDB driver, mongoose and ioredis. The built API runs in a child process,
 * so the list is Node's own module cache, not Jest's registry.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const dist = resolve(__dirname, '../../api/dist');

/** Starts the app on DATABASE_URL, lists the packages in require.cache, stops. */
const SCRIPT = `
const { createApp } = require(process.argv[1] + '/app.factory.js');
const { loadConfig } = require(process.argv[1] + '/config/config.js');
(async () => {
  const config = loadConfig({ DATABASE_URL: process.argv[2], SECRET_KEY: 'e2e-secret', KCI_INITIAL_PASSWORD: 'e2e-admin-password', LOG_LEVEL: 'silent', LIFECYCLE_ENABLED: 'false' });
  const app = await createApp(config, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const packages = new Set(Object.keys(require.cache).map((file) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(file)?.[1]).filter(Boolean));
  await app.close();
  console.log(JSON.stringify([...packages]));
  process.exit(0);
})().catch((error) => { console.error(error); process.exit(1); });
`;

async function loadedPackages(databaseUrl: string): Promise<string[]> {
  const { PATH = '' } = process.env;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', SCRIPT, dist, databaseUrl], { env: { PATH }, timeout: 120_000 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as string[];
}

const NOT_LOADED = ['mongodb', 'mongoose', 'ioredis'];
const server = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined;

describe('modules an idle API does not load', () => {
  it('embedded PGlite, no REDIS_URL: no MongoDB driver, mongoose or ioredis', async () => {
    const packages = await loadedPackages('pglite:memory');
    expect(packages).toEqual(expect.arrayContaining(['fastify', '@nestjs/core'])); // the list is real
    expect(packages.filter((name) => NOT_LOADED.includes(name))).toEqual([]);
  }, 150_000);

  (server ? it : it.skip)('PostgreSQL server, no REDIS_URL: no MongoDB driver, mongoose or ioredis', async () => {
    const packages = await loadedPackages(server ?? '');
    expect(packages).toEqual(expect.arrayContaining(['fastify', 'pg']));
    expect(packages.filter((name) => NOT_LOADED.includes(name))).toEqual([]);
  }, 150_000);
  if (!server) console.log('idle-modules: PostgreSQL server case skipped (DATABASE_URL is not a postgres:// URL)');
});
