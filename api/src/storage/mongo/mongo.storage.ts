/**
 * The MongoDB adapter of the storage port, on KernelCI's database layout (docs/deployment.md#running-on-mongodb). Opening it
 * connects (failing within `serverSelectionTimeoutMS` when no server answers), registers the
 * mongoose schemas, migrates a pre-durable `eventhistory`, creates or reuses every index of docs/deployment.md#running-on-mongodb
 * (node indexes in the background, docs/deployment.md#running-on-mongodb rule 4) and raises the event sequence (docs/deployment.md#running-on-mongodb).
 *
 * Adding a repository: write `mongo-<name>.repository.ts` taking a MongoContext, and add one line
 * to `repositories()` below (and its field on MongoStorage, as on PostgreSQL).
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import mongoose, { type Connection } from 'mongoose';
import { UNFOLLOWED_AUTH_CHANGES, type Repositories, type Storage } from '../ports';
import { MongoApiTokenRepository, MongoRateLimitRepository } from './mongo-auth.repository';
import { MongoContext, UndoJournal, type MongoUnit } from './mongo-context';
import { MongoEventRepository } from './mongo-event.repository';
import { MongoSubscriberStateRepository, MongoSubscriptionRepository } from './mongo-subscription.repository';
import { MongoIdempotencyRepository } from './mongo-idempotency.repository';
import { MongoKeyValueRepository } from './mongo-kv.repository';
import { MongoQueueRepository } from './mongo-queue.repository';
import { MongoTelemetryRepository } from './mongo-telemetry.repository';
import { ensureIndexes, migratePreDurableEventHistory, raiseEventSequence } from './mongo-index-manager';
import { mongoIndexTable, type IndexTtlSettings } from './mongo-indexes';
import { MongoLeaseRepository } from './mongo-lease.repository';
import { MongoNodeRepository } from './mongo-node.repository';
import { MongoPendingEventRepository } from './mongo-pending-event.repository';
import { MONGO_SCHEMAS } from './mongo-schemas';
import { MongoGroupRepository, MongoUsernameRepository, MongoUserRepository } from './mongo-user.repository';

function repositories(connection: Connection, transactions: boolean, unit: MongoUnit = {}): Repositories {
  const ctx = new MongoContext(connection, transactions, unit);
  return {
    nodes: new MongoNodeRepository(ctx),
    idempotency: new MongoIdempotencyRepository(ctx),
    users: new MongoUserRepository(ctx),
    usernames: new MongoUsernameRepository(ctx),
    groups: new MongoGroupRepository(ctx),
    leases: new MongoLeaseRepository(ctx),
    apiTokens: new MongoApiTokenRepository(ctx),
    rateLimits: new MongoRateLimitRepository(ctx),
    events: new MongoEventRepository(ctx),
    pendingEvents: new MongoPendingEventRepository(ctx),
    subscriptions: new MongoSubscriptionRepository(ctx),
    subscriberStates: new MongoSubscriberStateRepository(ctx),
    telemetry: new MongoTelemetryRepository(ctx),
    keyValues: new MongoKeyValueRepository(ctx),
    queues: new MongoQueueRepository(ctx),
    afterCommit: (callback) => ctx.afterCommit(callback),
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
/** Lifecycle transitions per unit of work on MongoDB (the service's batch is 500). */
export const MONGO_LIFECYCLE_BATCH = 100;

/** The URL without its password, for messages. */
export function redactMongoUrl(url: string): string {
  return url.replace(/\/\/([^@/:]*):[^@/]*@/, '//$1:***@');
}

export class MongoStorage implements Storage {
  readonly adapter = 'mongo' as const;
  /** Small lifecycle units: each transaction stays far below MongoDB's 60 s lifetime (ADR 0007). */
  readonly lifecycleBatch = MONGO_LIFECYCLE_BATCH;
  readonly nodes;
  readonly idempotency;
  readonly users;
  readonly usernames;
  readonly groups;
  readonly leases;
  readonly apiTokens;
  readonly rateLimits;
  readonly events;
  readonly pendingEvents;
  readonly subscriptions;
  readonly subscriberStates;
  readonly telemetry;
  readonly keyValues;
  readonly queues;
  readonly afterCommit;
  /** Other processes' user and token changes are not followed here: no caller is cached on MongoDB (docs/adr/0018-write-path.md). */
  readonly authChanges = UNFOLLOWED_AUTH_CHANGES;
  private closing = false;
  private backgroundIndexes: Promise<void> = Promise.resolve();

  private constructor(
    readonly connection: Connection,
    /** True on a replica set or sharded cluster; a standalone server has no transactions. */
    readonly supportsTransactions: boolean,
    private readonly logger: Logger,
  ) {
    ({
      nodes: this.nodes,
      idempotency: this.idempotency,
      users: this.users,
      usernames: this.usernames,
      groups: this.groups,
      leases: this.leases,
      apiTokens: this.apiTokens,
      rateLimits: this.rateLimits,
      events: this.events,
      pendingEvents: this.pendingEvents,
      subscriptions: this.subscriptions,
      subscriberStates: this.subscriberStates,
      telemetry: this.telemetry,
      keyValues: this.keyValues,
      queues: this.queues,
      afterCommit: this.afterCommit,
    } = repositories(connection, supportsTransactions));
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
        logger.warn('eventhistory had the pre-durable layout (TTL 86400 s, no sequence_id index): its indexes and documents were dropped (docs/deployment.md#running-on-mongodb)');
      }
      const table = mongoIndexTable(options);
      const ready = await ensureIndexes(db, table.filter((spec) => spec.phase === 'before-serving'));
      logger.log(`indexes ready: ${ready.filter((o) => o.action === 'created').length} created, ${ready.filter((o) => o.action === 'reused').length} reused`);
      for (const outcome of ready.filter((o) => o.action === 'retuned')) {
        logger.warn(`index ${outcome.spec.collection}.${outcome.name}: TTL set to ${outcome.spec.options.expireAfterSeconds} s (collMod)`);
      }
      await raiseEventSequence(db);
      const storage = new MongoStorage(connection, supportsTransactions, logger);
      storage.backgroundIndexes = storage.buildInBackground(table.filter((spec) => spec.phase === 'background'));
      return storage;
    } catch (error) {
      await connection.close(true).catch(() => undefined);
      throw error;
    }
  }

  /** Node indexes may build while requests are served (docs/deployment.md#running-on-mongodb rule 4); failures are logged. */
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

  /**
   * A transaction on a replica set or sharded cluster: `withTransaction` re-runs `work` on a
   * transient error (a write conflict on a locked node or on the event counter), so `afterCommit`
   * callbacks are collected per attempt and run once, after the commit.
   *
   * On a standalone server: the writes happen as `work` makes them and are undone by the journal
   * when it throws; node locks taken by locked reads are released when it ends; callbacks run after
   * it succeeded (docs/deployment.md states what this does and does not guarantee).
   */
  async transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
    const holder = randomUUID();
    if (this.supportsTransactions) {
      const session = this.connection.getClient().startSession();
      let unit: MongoUnit = {};
      // Sequence ids reserved by the attempts (ADR 0007): an attempt that is re-run was aborted, so
      // its reservations are released at the start of the next one; the committed attempt's after
      // the commit, before the wake-ups, so that woken readers can see its events.
      const reserved: number[] = [];
      const events = new MongoEventRepository(new MongoContext(this.connection, true));
      // Never fails the unit (its write may have committed): an entry left behind expires by itself.
      const release = () =>
        events.releaseReservations(reserved.splice(0)).catch((error: unknown) => {
          this.logger.warn(`releasing sequence reservations failed (they expire within 90 s): ${error instanceof Error ? error.message : String(error)}`);
        });
      try {
        const result = await session.withTransaction(
          async () => {
            await release();
            unit = { session, holder, hooks: [], reservations: reserved };
            const value = await work(repositories(this.connection, true, unit));
            // The server aborted the transaction under a caller that caught the error: retry, never commit.
            if (unit.poisoned !== undefined) throw unit.poisoned;
            return value;
          },
          { writeConcern: { w: 'majority' } },
        );
        await release();
        for (const hook of unit.hooks ?? []) hook();
        return result;
      } finally {
        await release();
        await session.endSession();
      }
    }
    const unit: MongoUnit = { journal: new UndoJournal(), holder, hooks: [], releases: [] };
    let result: T;
    try {
      result = await work(repositories(this.connection, false, unit));
    } catch (error) {
      await unit.journal!.undo().catch((undoError: unknown) => {
        this.logger.error(`undoing a failed unit of work failed: ${undoError instanceof Error ? undoError.message : String(undoError)}`);
      });
      throw error;
    } finally {
      for (const release of unit.releases ?? []) {
        await release().catch((releaseError: unknown) => {
          this.logger.warn(`releasing a node lock failed (it expires by itself): ${releaseError instanceof Error ? releaseError.message : String(releaseError)}`);
        });
      }
    }
    for (const hook of unit.hooks ?? []) hook();
    return result;
  }

  /** Readiness: the deployment answers a ping (indexes were ensured at start). */
  async checkReady(): Promise<void> {
    const db = this.connection.db;
    if (!db) throw new Error('not connected');
    await db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.connection.close();
  }
}
