import type { Repositories, Storage } from '../ports';
import { PostgresIdempotencyRepository } from './postgres-idempotency.repository';
import { PostgresLeaseRepository } from './postgres-lease.repository';
import { migrate } from './migrator';
import { PostgresNodeRepository } from './postgres-node.repository';
import { PostgresGroupRepository, PostgresUserRepository } from './postgres-user.repository';
import { openSqlClient, type SqlClient, type SqlExecutor } from './sql-client';

function repositories(sql: SqlExecutor): Repositories {
  return {
    nodes: new PostgresNodeRepository(sql),
    idempotency: new PostgresIdempotencyRepository(sql),
    users: new PostgresUserRepository(sql),
    groups: new PostgresGroupRepository(sql),
    leases: new PostgresLeaseRepository(sql),
  };
}

/** The PostgreSQL adapter of the storage port, on PGlite or a PostgreSQL server. */
export class PostgresStorage implements Storage {
  readonly adapter = 'postgres' as const;
  readonly nodes;
  readonly idempotency;
  readonly users;
  readonly groups;
  readonly leases;

  private constructor(readonly sql: SqlClient) {
    ({ nodes: this.nodes, idempotency: this.idempotency, users: this.users, groups: this.groups, leases: this.leases } = repositories(sql));
  }

  /** Opens the database and applies pending migrations. */
  static async open(
    target: Parameters<typeof openSqlClient>[0],
    options: { schema?: string } = {},
  ): Promise<PostgresStorage> {
    const sql = await openSqlClient(target, options);
    try {
      await migrate(sql);
    } catch (error) {
      await sql.close();
      throw error;
    }
    return new PostgresStorage(sql);
  }

  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
    return this.sql.transaction((tx) => work(repositories(tx)));
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}
