import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { STORAGE, type Storage } from './ports';
import { migrate } from './postgres/migrator';
import { PostgresStorage } from './postgres/postgres.storage';
import { openSqlClient } from './postgres/sql-client';

/** Opens the adapter named by DATABASE_URL once, at start; features only ever see the port. */
export async function openStorage(config: AppConfig): Promise<Storage> {
  const { database } = config;
  if (database.kind === 'mongo') {
    // Loaded only when used: the MongoDB driver and mongoose cost memory and start-up time otherwise.
    const { MongoStorage } = await import('./mongo/mongo.storage.js');
    return MongoStorage.open(database, {
      eventHistoryTtlSeconds: config.eventHistoryTtlSeconds,
      idempotencyTtlSeconds: config.idempotencyTtlSeconds,
      telemetryTtlSeconds: config.telemetryTtlSeconds,
    });
  }
  if (database.kind === 'pglite' && database.dataDir && !existsSync(join(database.dataDir, 'PG_VERSION'))) {
    // initdb runs once per folder and takes seconds to tens of seconds: say so rather than look stuck.
    new Logger('Storage').log(`creating the embedded database in ${database.dataDir} (first start only; this takes a little while)`);
  }
  return PostgresStorage.open(database, { migrate: config.migrateOnStart });
}

/**
 * `npm run migrate`: brings the database to this release's schema and returns what it did. On
 * PostgreSQL it applies pending migrations (each exactly once, however many run at once); MongoDB
 * has no migration table, its indexes are ensured by opening it.
 */
export async function migrateDatabase(config: AppConfig): Promise<string> {
  const { database } = config;
  if (database.kind === 'mongo') {
    const storage = await openStorage(config);
    await storage.close();
    return 'MongoDB indexes ensured';
  }
  const sql = await openSqlClient(database);
  try {
    const applied = await migrate(sql);
    return applied.length > 0 ? `applied migration(s) ${applied.join(', ')}` : 'schema up to date';
  } finally {
    await sql.close();
  }
}

@Global()
@Module({
  providers: [{ provide: STORAGE, inject: [APP_CONFIG], useFactory: openStorage }],
  exports: [STORAGE],
})
export class StorageModule implements OnApplicationShutdown {
  private readonly logger = new Logger('Storage');

  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  async onApplicationShutdown(): Promise<void> {
    await this.storage.close();
    this.logger.log('Storage closed');
  }
}
