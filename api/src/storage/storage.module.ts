import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { STORAGE, type Storage } from './ports';
import { PostgresStorage } from './postgres/postgres.storage';

/** Opens the adapter named by DATABASE_URL once, at start; features only ever see the port. */
export async function openStorage(config: AppConfig): Promise<Storage> {
  const { database } = config;
  if (database.kind === 'mongo') {
    // Loaded only when used: the MongoDB driver and mongoose cost memory and start-up time otherwise.
    const { MongoStorage } = await import('./mongo/mongo.storage.js');
    return MongoStorage.open(database, { eventHistoryTtlSeconds: config.eventHistoryTtlSeconds, idempotencyTtlSeconds: config.idempotencyTtlSeconds });
  }
  return PostgresStorage.open(database);
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
