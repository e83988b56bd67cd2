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
  /** Case-insensitive lookup (emails are unique regardless of case, contract §4.1). */
  findByEmail(email: string): Promise<UserRecord | null>;
  /** @throws DuplicateKeyError when the username or (case-insensitively) the email is taken. */
  insert(user: UserRecord): Promise<void>;
  /** @throws DuplicateKeyError when the new username or email is taken. */
  update(user: UserRecord): Promise<void>;
  hasSuperuser(): Promise<boolean>;
  /** Matching users in natural (insertion) order. */
  list(filter: ExactMatch[], page: PageRequest): Promise<UserRecord[]>;
  count(filter: ExactMatch[]): Promise<number>;
  /** False when no user has that id. */
  delete(id: string): Promise<boolean>;
  /** True when any user carries a group of that name (contract §5: such a group cannot be deleted). */
  anyInGroup(groupName: string): Promise<boolean>;
}
