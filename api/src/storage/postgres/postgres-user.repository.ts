import { DuplicateKeyError, type GroupRecord, type GroupRepository, type UserRecord, type UserRepository } from '../ports';
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

async function mapDuplicate<T>(write: () => Promise<T>, key: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw new DuplicateKeyError(key);
    throw error;
  }
}

export class PostgresUserRepository implements UserRepository {
  constructor(private readonly sql: SqlExecutor) {}

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

  async insert(user: UserRecord): Promise<void> {
    await mapDuplicate(
      () =>
        this.sql.query(
          `INSERT INTO "user" (id, email, hashed_password, is_active, is_superuser, is_verified, username, groups)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [user.id, user.email, user.hashedPassword, user.isActive, user.isSuperuser, user.isVerified, user.username, JSON.stringify(user.groups)],
        ),
      'user',
    );
  }

  async update(user: UserRecord): Promise<void> {
    await mapDuplicate(
      () =>
        this.sql.query(
          `UPDATE "user" SET email = $2, hashed_password = $3, is_active = $4, is_superuser = $5, is_verified = $6,
             username = $7, groups = $8 WHERE id = $1`,
          [user.id, user.email, user.hashedPassword, user.isActive, user.isSuperuser, user.isVerified, user.username, JSON.stringify(user.groups)],
        ),
      'user',
    );
  }

  async hasSuperuser(): Promise<boolean> {
    const { rows } = await this.sql.query('SELECT 1 FROM "user" WHERE is_superuser LIMIT 1');
    return rows.length > 0;
  }
}

export class PostgresGroupRepository implements GroupRepository {
  constructor(private readonly sql: SqlExecutor) {}

  async findByName(name: string): Promise<GroupRecord | null> {
    const { rows } = await this.sql.query<GroupRecord>('SELECT id, name FROM usergroup WHERE name = $1', [name]);
    return rows[0] ?? null;
  }

  async insert(group: GroupRecord): Promise<void> {
    await mapDuplicate(() => this.sql.query('INSERT INTO usergroup (id, name) VALUES ($1, $2)', [group.id, group.name]), 'usergroup');
  }
}
