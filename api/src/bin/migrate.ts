/**
 * `npm run migrate`: applies pending database migrations and exits, so they can run as their own
 * step (the Kubernetes migration Job) before replicas start with MIGRATE_ON_START=false. Safe to
 * run beside starting replicas: an advisory lock makes every migration apply exactly once.
 * Exit status: 0 done, 1 failure, 2 configuration error, 3 schema newer than this release.
 */
import { ConfigError, loadConfig } from '../config/config';
import { SchemaTooNewError } from '../storage/schema-errors';
import { migrateDatabase } from '../storage/storage.module';

async function main(): Promise<void> {
  const outcome = await migrateDatabase(loadConfig());
  process.stdout.write(`maestro: ${outcome}\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ConfigError) {
    process.stderr.write(`maestro: configuration error: ${message}\n`);
    process.exit(2);
  }
  process.stderr.write(`maestro: migration failed: ${message}\n`);
  process.exit(error instanceof SchemaTooNewError ? 3 : 1);
});
