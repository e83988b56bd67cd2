import type { ExactMatch, PageRequest } from './query.port';

export interface UserGroupRef {
  id: string;
  name: string;
}

export interface UserRecord {
  id: string;
  email: string;
  hashedPassword: string;
  isActive: boolean;
  isSuperuser: boolean;
  isVerified: boolean;
  username: string;
  groups: UserGroupRef[];
}

export interface UserRepository {
  findById(id: string): Promise<UserRecord | null>;
  findByUsername(username: string): Promise<UserRecord | null>;
  /** Case-insensitive lookup (emails are unique regardless of case, docs/auth.md#the-user-object). */
  findByEmail(email: string): Promise<UserRecord | null>;
  /**
   * Registers `user.username` to the account in `maestro_username` in the same atomic write
   * (docs/adr/0012-account-ownership.md).
   * @throws DuplicateKeyError when the username or (case-insensitively) the email is taken, with key
   *   `username` when the name is, or was, another account's.
   */
  insert(user: UserRecord): Promise<void>;
  /**
   * As `insert` for the username: a new name is registered to the account atomically with the
   * write, and refused (DuplicateKeyError `username`) when it belongs or belonged to another one.
   * @throws DuplicateKeyError when the new username or email is taken.
   */
  update(user: UserRecord): Promise<void>;
  hasSuperuser(): Promise<boolean>;
  /** Matching users in natural (insertion) order. */
  list(filter: ExactMatch[], page: PageRequest): Promise<UserRecord[]>;
  count(filter: ExactMatch[]): Promise<number>;
  /** False when no user has that id. */
  delete(id: string): Promise<boolean>;
  /** True when any user carries a group of that name (docs/auth.md#users-and-groups: such a group cannot be deleted). */
  anyInGroup(groupName: string): Promise<boolean>;
}
