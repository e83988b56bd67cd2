import {
  DuplicateKeyError,
  type ExactMatch,
  type GroupRecord,
  type GroupRepository,
  type PageRequest,
  type UsernameRecord,
  type UsernameRepository,
  type UserRecord,
  type UserRepository,
} from '../ports';
import { PG_UNIQUE_VIOLATION, pgErrorCode, type SqlExecutor } from './sql-client';

interface UserRow {
  id: string;
  email: string;
  hashed_password: string;
  is_active: boolean;
  is_superuser: boolean;
  is_verified: boolean;
  username: string;
  groups: { id: string; name: string }[];
}

const SELECT_USER = 'SELECT id, email, hashed_password, is_active, is_superuser, is_verified, username, groups FROM "user"';

function rowToUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    hashedPassword: row.hashed_password,
    isActive: row.is_active,
    isSuperuser: row.is_superuser,
    isVerified: row.is_verified,
    username: row.username,
    groups: row.groups.map((g) => ({ id: g.id, name: g.name })),
  };
}

type Column = { kind: 'text' | 'boolean'; sql: string } | { kind: 'group-member'; key: 'id' | 'name' };

/** Filterable fields of the user document (docs/auth.md#endpoints) and how each maps to SQL. */
const USER_FIELDS: Record<string, Column> = {
  id: { kind: 'text', sql: 'id' },
  username: { kind: 'text', sql: 'username' },
  email: { kind: 'text', sql: 'email' },
  is_active: { kind: 'boolean', sql: 'is_active' },
  is_superuser: { kind: 'boolean', sql: 'is_superuser' },
  is_verified: { kind: 'boolean', sql: 'is_verified' },
  'groups.name': { kind: 'group-member', key: 'name' },
  'groups.id': { kind: 'group-member', key: 'id' },
  'groups._id': { kind: 'group-member', key: 'id' },
};

const GROUP_FIELDS: Record<string, Column> = {
  id: { kind: 'text', sql: 'id' },
  name: { kind: 'text', sql: 'name' },
};

/**
 * WHERE clause of an exact-match filter. An unknown field or a value of the wrong type matches
 * nothing, as the same filter does on MongoDB.
 */
export function exactMatchWhere(filter: ExactMatch[], fields: Record<string, Column>): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const clauses = filter.map(({ field, value }) => {
    // Own keys only: `constructor`, `__proto__`, `toString` are field names here, not built-ins.
    const column = Object.hasOwn(fields, field) ? fields[field] : undefined;
    if (!column) return 'FALSE';
    if (column.kind === 'boolean') {
      if (typeof value !== 'boolean') return 'FALSE';
      params.push(value);
      return `${column.sql} = $${params.length}`;
    }
    if (typeof value !== 'string') return 'FALSE';
    if (column.kind !== 'group-member') {
      params.push(value);
      return `${column.sql} = $${params.length}`;
    }
    params.push(JSON.stringify([{ [column.key]: value }]));
    return `groups @> $${params.length}::jsonb`;
  });
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

async function mapDuplicate<T>(write: () => Promise<T>, key: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw new DuplicateKeyError(key);
    throw error;
  }
}

/** Announces a committed change to a user or its tokens (the caller cache, docs/adr/0018-write-path.md). */
export type AuthChanged = (userId: string) => void;

export class PostgresUserRepository implements UserRepository {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly changed: AuthChanged = () => undefined,
  ) {}

  private async one(where: string, value: string): Promise<UserRecord | null> {
    const { rows } = await this.sql.query<UserRow>(`${SELECT_USER} WHERE ${where}`, [value]);
    return rows[0] ? rowToUser(rows[0]) : null;
  }

  findById(id: string): Promise<UserRecord | null> {
    return this.one('id = $1', id);
  }

  findByUsername(username: string): Promise<UserRecord | null> {
    return this.one('username = $1', username);
  }

  findByEmail(email: string): Promise<UserRecord | null> {
    return this.one('lower(email) = lower($1)', email);
  }

  /**
   * Writes the user and registers its name in one statement, so both happen or neither does: the
   * write only takes place when the name was free (the CTE claimed it) or already this account's.
   * The claim's conflict waits for a concurrent claimer, whose committed row the `held` check then
   * does not see: exactly one of two accounts racing for a name gets it.
   */
  async insert(user: UserRecord): Promise<void> {
    const { rows } = await mapDuplicate(
      () =>
        this.sql.query(
          `WITH claim AS (
             INSERT INTO maestro_username (name, user_id, claimed) VALUES ($7, $1, now()) ON CONFLICT (name) DO NOTHING RETURNING name)
           INSERT INTO "user" (id, email, hashed_password, is_active, is_superuser, is_verified, username, groups)
           SELECT $1, $2, $3, $4, $5, $6, $7, $8
           WHERE EXISTS (SELECT 1 FROM claim) OR EXISTS (SELECT 1 FROM maestro_username WHERE name = $7 AND user_id = $1)
           RETURNING id`,
          [user.id, user.email, user.hashedPassword, user.isActive, user.isSuperuser, user.isVerified, user.username, JSON.stringify(user.groups)],
        ),
      'user',
    );
    if (rows.length === 0) throw new DuplicateKeyError('username');
  }

  async update(user: UserRecord): Promise<void> {
    const { rows } = await mapDuplicate(
      () =>
        this.sql.query(
          `WITH claim AS (
             INSERT INTO maestro_username (name, user_id, claimed)
             SELECT $7, $1, now() WHERE EXISTS (SELECT 1 FROM "user" WHERE id = $1)
             ON CONFLICT (name) DO NOTHING RETURNING name)
           UPDATE "user" SET email = $2, hashed_password = $3, is_active = $4, is_superuser = $5, is_verified = $6,
             username = $7, groups = $8
           WHERE id = $1 AND (EXISTS (SELECT 1 FROM claim) OR EXISTS (SELECT 1 FROM maestro_username WHERE name = $7 AND user_id = $1))
           RETURNING id`,
          [user.id, user.email, user.hashedPassword, user.isActive, user.isSuperuser, user.isVerified, user.username, JSON.stringify(user.groups)],
        ),
      'user',
    );
    if (rows.length > 0) return this.changed(user.id);
    const { rows: held } = await this.sql.query<{ user_id: string | null }>('SELECT user_id FROM maestro_username WHERE name = $1', [user.username]);
    if (held.length > 0 && held[0].user_id !== user.id) throw new DuplicateKeyError('username');
  }

  async hasSuperuser(): Promise<boolean> {
    const { rows } = await this.sql.query('SELECT 1 FROM "user" WHERE is_superuser LIMIT 1');
    return rows.length > 0;
  }

  async list(filter: ExactMatch[], page: PageRequest): Promise<UserRecord[]> {
    const { where, params } = exactMatchWhere(filter, USER_FIELDS);
    const n = params.length;
    const { rows } = await this.sql.query<UserRow>(`${SELECT_USER} ${where} ORDER BY seq LIMIT $${n + 1} OFFSET $${n + 2}`, [
      ...params,
      page.limit,
      page.offset,
    ]);
    return rows.map(rowToUser);
  }

  async count(filter: ExactMatch[]): Promise<number> {
    const { where, params } = exactMatchWhere(filter, USER_FIELDS);
    const { rows } = await this.sql.query<{ n: string | number }>(`SELECT count(*) AS n FROM "user" ${where}`, params);
    return Number(rows[0].n);
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.sql.query('DELETE FROM "user" WHERE id = $1', [id]);
    if (rowCount > 0) this.changed(id);
    return rowCount > 0;
  }

  async anyInGroup(groupName: string): Promise<boolean> {
    const { rows } = await this.sql.query('SELECT 1 FROM "user" WHERE groups @> $1::jsonb LIMIT 1', [JSON.stringify([{ name: groupName }])]);
    return rows.length > 0;
  }
}

export class PostgresUsernameRepository implements UsernameRepository {
  constructor(private readonly sql: SqlExecutor) {}

  async find(name: string): Promise<UsernameRecord | null> {
    const { rows } = await this.sql.query<{ name: string; user_id: string | null; claimed: Date }>(
      'SELECT name, user_id, claimed FROM maestro_username WHERE name = $1',
      [name],
    );
    return rows[0] ? { name: rows[0].name, userId: rows[0].user_id, claimed: new Date(rows[0].claimed) } : null;
  }

  async namesOf(userId: string): Promise<string[]> {
    const { rows } = await this.sql.query<{ name: string }>('SELECT name FROM maestro_username WHERE user_id = $1 ORDER BY claimed, name', [userId]);
    return rows.map((row) => row.name);
  }

  async isEmpty(): Promise<boolean> {
    const { rows } = await this.sql.query('SELECT 1 FROM maestro_username LIMIT 1');
    return rows.length === 0;
  }

  async registerExisting(at: Date): Promise<number> {
    const { rows } = await this.sql.query(
      `INSERT INTO maestro_username (name, user_id, claimed) SELECT username, id, $1 FROM "user"
       ON CONFLICT (name) DO NOTHING RETURNING name`,
      [at],
    );
    return rows.length;
  }

  async reserveOrphanOwners(at: Date): Promise<number> {
    const { rows } = await this.sql.query(
      `INSERT INTO maestro_username (name, user_id, claimed)
       SELECT DISTINCT owner, NULL::text, $1::timestamptz FROM node
       WHERE owner IS NOT NULL AND owner <> '' AND NOT EXISTS (SELECT 1 FROM "user" u WHERE u.username = node.owner)
       ON CONFLICT (name) DO NOTHING RETURNING name`,
      [at],
    );
    return rows.length;
  }
}

export class PostgresGroupRepository implements GroupRepository {
  constructor(private readonly sql: SqlExecutor) {}

  async findById(id: string): Promise<GroupRecord | null> {
    const { rows } = await this.sql.query<GroupRecord>('SELECT id, name FROM usergroup WHERE id = $1', [id]);
    return rows[0] ?? null;
  }

  async list(filter: ExactMatch[], page: PageRequest): Promise<GroupRecord[]> {
    const { where, params } = exactMatchWhere(filter, GROUP_FIELDS);
    const n = params.length;
    const { rows } = await this.sql.query<GroupRecord>(`SELECT id, name FROM usergroup ${where} ORDER BY seq LIMIT $${n + 1} OFFSET $${n + 2}`, [
      ...params,
      page.limit,
      page.offset,
    ]);
    return rows.map((g) => ({ id: g.id, name: g.name }));
  }

  async count(filter: ExactMatch[]): Promise<number> {
    const { where, params } = exactMatchWhere(filter, GROUP_FIELDS);
    const { rows } = await this.sql.query<{ n: string | number }>(`SELECT count(*) AS n FROM usergroup ${where}`, params);
    return Number(rows[0].n);
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.sql.query('DELETE FROM usergroup WHERE id = $1', [id]);
    return rowCount > 0;
  }

  async findByName(name: string): Promise<GroupRecord | null> {
    const { rows } = await this.sql.query<GroupRecord>('SELECT id, name FROM usergroup WHERE name = $1', [name]);
    return rows[0] ?? null;
  }

  async insert(group: GroupRecord): Promise<void> {
    await mapDuplicate(() => this.sql.query('INSERT INTO usergroup (id, name) VALUES ($1, $2)', [group.id, group.name]), 'usergroup');
  }
}
