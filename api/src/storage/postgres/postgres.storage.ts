import type { Repositories, Storage } from '../ports';
import { PostgresApiTokenRepository, PostgresRateLimitRepository } from './postgres-auth.repository';
import { PostgresEventRepository, PostgresSubscriberStateRepository, PostgresSubscriptionRepository } from './postgres-event.repository';
import { PostgresIdempotencyRepository } from './postgres-idempotency.repository';
import { PostgresKeyValueRepository } from './postgres-kv.repository';
import { PostgresQueueRepository } from './postgres-queue.repository';
import { PostgresTelemetryRepository } from './postgres-telemetry.repository';
import { PostgresLeaseRepository } from './postgres-lease.repository';
import { PostgresAuthChangeFeed } from './auth-change-feed';
import { EventVisibility } from './event-visibility';
import { migrate, verifySchema } from './migrator';
import { PostgresNodeRepository } from './postgres-node.repository';
import { PostgresPendingEventRepository } from './postgres-pending-event.repository';
import { PostgresGroupRepository, PostgresUsernameRepository, PostgresUserRepository } from './postgres-user.repository';
import { openSqlClient, releaseStartupMemory, type SqlClient, type SqlExecutor, type SqlTransaction } from './sql-client';


function repositories(
  sql: SqlExecutor | SqlTransaction,
  visibility: EventVisibility,
  feed: PostgresAuthChangeFeed,
  afterCommit: (callback: () => void) => void,
): Repositories {
  // This process's own user and token writes reach its caller cache once committed, before the
  // writer's caller continues; the triggers' notification follows for every process.
  const authChanged = (userId: string) => afterCommit(() => feed.emit(userId));
  return {
    nodes: new PostgresNodeRepository(sql),
    idempotency: new PostgresIdempotencyRepository(sql),
    users: new PostgresUserRepository(sql, authChanged),
    usernames: new PostgresUsernameRepository(sql),
    groups: new PostgresGroupRepository(sql),
    leases: new PostgresLeaseRepository(sql),
    apiTokens: new PostgresApiTokenRepository(sql, authChanged),
    rateLimits: new PostgresRateLimitRepository(sql),
    events: new PostgresEventRepository(sql, visibility, 'atCommit' in sql ? { atCommit: (...args) => sql.atCommit(...args), afterCommit } : undefined),
    pendingEvents: new PostgresPendingEventRepository(sql),
    subscriptions: new PostgresSubscriptionRepository(sql),
    subscriberStates: new PostgresSubscriberStateRepository(sql),
    telemetry: new PostgresTelemetryRepository(sql),
    keyValues: new PostgresKeyValueRepository(sql),
    queues: new PostgresQueueRepository(sql),
    afterCommit,
  };
}

/** `afterCommit` outside a transaction: every statement has already committed. */
const runNow = (callback: () => void): void => callback();

/** The PostgreSQL adapter of the storage port, on PGlite or a PostgreSQL server. */
export class PostgresStorage implements Storage {
  readonly adapter = 'postgres' as const;
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
  readonly afterCommit = runNow;
  readonly authChanges = new PostgresAuthChangeFeed();
  /** The event log's visibility bound, shared by every reader of this process. */
  private readonly visibility: EventVisibility;

  private constructor(readonly sql: SqlClient) {
    this.visibility = new EventVisibility(sql);
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
    } = repositories(sql, this.visibility, this.authChanges, runNow));
  }

  /**
   * Opens the database and applies pending migrations (`migrate: false`: only checks that none is
   * pending). Either way a schema newer than this release stops here (SchemaTooNewError).
   */
  static async open(
    target: Parameters<typeof openSqlClient>[0],
    options: { schema?: string; migrate?: boolean } = {},
  ): Promise<PostgresStorage> {
    const sql = await openSqlClient(target, options);
    try {
      if (options.migrate === false) await verifySchema(sql);
      else await migrate(sql);
    } catch (error) {
      await sql.close();
      throw error;
    }
    await releaseStartupMemory(sql);
    const storage = new PostgresStorage(sql);
    await storage.authChanges.start(sql);
    return storage;
  }

  async transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
    const hooks: (() => void)[] = [];
    const result = await this.sql.transaction((tx) => work(repositories(tx, this.visibility, this.authChanges, (callback) => hooks.push(callback))));
    for (const hook of hooks) hook();
    return result;
  }

  /** Readiness: the database answers and its schema is exactly what this release expects. */
  async checkReady(): Promise<void> {
    await verifySchema(this.sql);
  }

  async close(): Promise<void> {
    await this.authChanges.close();
    await this.sql.close();
  }
}
