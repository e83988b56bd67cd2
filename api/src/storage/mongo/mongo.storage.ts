/**
 * The MongoDB adapter of the storage port, on KernelCI's database layout (contract §11). Opening it
 * connects (failing within `serverSelectionTimeoutMS` when no server answers), registers the
 * mongoose schemas, migrates a pre-durable `eventhistory`, creates or reuses every index of §11.2
 * (node indexes in the background, §11.3 rule 4) and raises the event sequence (§11.4).
 *
 * Adding a repository: write `mongo-<name>.repository.ts` taking a MongoContext, and add one line
 * to `repositories()` below.
 */
import { Logger } from '@nestjs/common';
import mongoose, { type Connection } from 'mongoose';
import type { Repositories, Storage } from '../ports';
import { MongoContext, UndoJournal, type MongoUnit } from './mongo-context';
import { ensureIndexes, migratePreDurableEventHistory, raiseEventSequence } from './mongo-index-manager';
import { mongoIndexTable, type IndexTtlSettings } from './mongo-indexes';
import { MongoLeaseRepository } from './mongo-lease.repository';
import { MongoNodeRepository } from './mongo-node.repository';
import { MONGO_SCHEMAS } from './mongo-schemas';
import { MongoGroupRepository, MongoUserRepository } from './mongo-user.repository';

function repositories(connection: Connection, unit: MongoUnit = {}): Repositories {
  const ctx = new MongoContext(connection, unit);
  return {
    nodes: new MongoNodeRepository(ctx),
    users: new MongoUserRepository(ctx),
    groups: new MongoGroupRepository(ctx),
    leases: new MongoLeaseRepository(ctx),
  };
}

export interface MongoTarget {
  url: string;
  databaseName: string;
}

export interface MongoOpenOptions extends IndexTtlSettings {
  /** How long to wait for a server before giving up; a `serverSelectionTimeoutMS` in the URL wins. */
  serverSelectionTimeoutMs?: number;
}

export const DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 5_000;

/** The URL without its password, for messages. */
export function redactMongoUrl(url: string): string {
  return url.replace(/\/\/([^@/:]*):[^@/]*@/, '//$1:***@');
}

export class MongoStorage implements Storage {
  readonly adapter = 'mongo' as const;
  readonly nodes;
  readonly users;
  readonly groups;
  readonly leases;
  private closing = false;
  private backgroundIndexes: Promise<void> = Promise.resolve();

  private constructor(
    readonly connection: Connection,
    /** True on a replica set or sharded cluster; a standalone server has no transactions. */
    readonly supportsTransactions: boolean,
    private readonly logger: Logger,
  ) {
    ({ nodes: this.nodes, users: this.users, groups: this.groups, leases: this.leases } = repositories(connection));
  }

  static async open(target: MongoTarget, options: MongoOpenOptions): Promise<MongoStorage> {
    const logger = new Logger('MongoStorage');
    const timeoutMs = options.serverSelectionTimeoutMs ?? DEFAULT_SERVER_SELECTION_TIMEOUT_MS;
    const urlSetsTimeout = /[?&]serverSelectionTimeoutMS=/i.test(target.url);
    const connection = mongoose.createConnection(target.url, {
      dbName: target.databaseName,
      autoIndex: false,
      autoCreate: false,
      bufferCommands: false,
      ...(urlSetsTimeout ? {} : { serverSelectionTimeoutMS: timeoutMs }),
    });
    try {
      await connection.asPromise();
    } catch (error) {
      await connection.close(true).catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      const where = `MongoDB at ${redactMongoUrl(target.url)} (database '${target.databaseName}')`;
      // Server selection is the "nobody answered" case; anything else (a malformed URL, DNS) is said as is.
      const timedOut = error instanceof Error && /ServerSelectionError$/.test(error.name) && !urlSetsTimeout;
      throw new Error(`cannot reach ${where}${timedOut ? ` within ${timeoutMs / 1000} s` : ''}: ${reason}`);
    }
    try {
      for (const [name, schema] of Object.entries(MONGO_SCHEMAS)) connection.model(name, schema, name);
      const db = connection.db!;
      const hello = await db.command({ hello: 1 });
      const supportsTransactions = (typeof hello.setName === 'string' || hello.msg === 'isdbgrid') && hello.logicalSessionTimeoutMinutes != null;
      if (!supportsTransactions) {
        logger.warn('MongoDB is a standalone server: units of work are undone by compensation on failure, not atomic (docs/deployment.md)');
      }
      if (await migratePreDurableEventHistory(db)) {
        logger.warn('eventhistory had the pre-durable layout (TTL 86400 s, no sequence_id index): its indexes and documents were dropped (contract §11.3)');
      }
      const table = mongoIndexTable(options);
      const ready = await ensureIndexes(db, table.filter((spec) => spec.phase === 'before-serving'));
      logger.log(`indexes ready: ${ready.filter((o) => o.action === 'created').length} created, ${ready.filter((o) => o.action === 'reused').length} reused`);
      await raiseEventSequence(db);
      const storage = new MongoStorage(connection, supportsTransactions, logger);
      storage.backgroundIndexes = storage.buildInBackground(table.filter((spec) => spec.phase === 'background'));
      return storage;
    } catch (error) {
      await connection.close(true).catch(() => undefined);
      throw error;
    }
  }

  /** Node indexes may build while requests are served (§11.3 rule 4); failures are logged. */
  private async buildInBackground(specs: Parameters<typeof ensureIndexes>[1]): Promise<void> {
    try {
      const outcomes = await ensureIndexes(this.connection.db!, specs);
      this.logger.log(`node indexes ready: ${outcomes.map((o) => `${o.name} (${o.action})`).join(', ')}`);
    } catch (error) {
      if (!this.closing) this.logger.error(`node index creation failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Resolves when the background node indexes are built (or their creation failed and was logged). */
  whenIndexesBuilt(): Promise<void> {
    return this.backgroundIndexes;
  }

  async transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
    if (this.supportsTransactions) {
      const session = this.connection.getClient().startSession();
      try {
        return await session.withTransaction(() => work(repositories(this.connection, { session })));
      } finally {
        await session.endSession();
      }
    }
    // Standalone server: the writes are visible as they happen; on failure they are undone.
    const journal = new UndoJournal();
    try {
      return await work(repositories(this.connection, { journal }));
    } catch (error) {
      await journal.undo().catch((undoError: unknown) => {
        this.logger.error(`undoing a failed unit of work failed: ${undoError instanceof Error ? undoError.message : String(undoError)}`);
      });
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.connection.close();
  }
}
