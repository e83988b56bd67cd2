/**
 * `npm run migrate`: applies pending database migrations and exits, so they can run as their own
 * step (the Kubernetes migration Job) before replicas start with MIGRATE_ON_START=false. Safe to
 * run beside starting replicas: an advisory lock makes every migration apply exactly once.
 * Exit status: 0 done, 1 failure, 2 configuration error, 3 schema newer than this release.
 */
import { ConfigError, loadConfig } from '../config/config';
import { MongoStorage } from '../storage/mongo/mongo.storage';
import { SchemaTooNewError, migrate } from '../storage/postgres/migrator';
import { openSqlClient } from '../storage/postgres/sql-client';

async function main(): Promise<void> {
  const config = loadConfig();
  const { database } = config;
  if (database.kind === 'mongo') {
    // MongoDB has no migration table: opening ensures the collections' indexes (docs/deployment.md).
    const storage = await MongoStorage.open(database, { eventHistoryTtlSeconds: config.eventHistoryTtlSeconds, idempotencyTtlSeconds: config.idempotencyTtlSeconds });
    await storage.close();
    process.stdout.write('maestro: MongoDB indexes ensured\n');
    return;
  }
  const sql = await openSqlClient(database);
  try {
    const applied = await migrate(sql);
    process.stdout.write(applied.length > 0 ? `maestro: applied migration(s) ${applied.join(', ')}\n` : 'maestro: schema up to date\n');
  } finally {
    await sql.close();
  }
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
