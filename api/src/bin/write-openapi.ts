/**
 * Writes openapi/openapi.json from the built application without listening (`npm run openapi`).
 * Run from `nest build` output: the Swagger plugin that derives schemas from DTOs runs only there.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createApp } from '../app.factory';
import { loadConfig } from '../config/config';
import { buildOpenApiDocument } from '../openapi';

async function main(): Promise<void> {
  const target = resolve(process.argv[2] ?? resolve(__dirname, '../../../openapi/openapi.json'));
  const config = loadConfig({ DATABASE_URL: 'pglite:memory', SECRET_KEY: 'openapi-writer', LOG_LEVEL: 'silent', LIFECYCLE_ENABLED: 'false', KCI_INITIAL_PASSWORD: 'openapi-writer' });
  const app = await createApp(config, { logger: false });
  await app.init();
  const document = buildOpenApiDocument(app);
  await app.close();
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`wrote ${target} (${Object.keys(document.paths).length} paths)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`write-openapi: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
