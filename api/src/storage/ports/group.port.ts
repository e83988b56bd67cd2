import type { ExactMatch, PageRequest } from './query.port';

export interface GroupRecord {
  id: string;
  name: string;
}

export interface GroupRepository {
  findById(id: string): Promise<GroupRecord | null>;
  findByName(name: string): Promise<GroupRecord | null>;
  /** @throws DuplicateKeyError when the name is taken. */
  insert(group: GroupRecord): Promise<void>;
  /** Matching groups in natural (insertion) order; fields `id` and `name`. */
  list(filter: ExactMatch[], page: PageRequest): Promise<GroupRecord[]>;
  count(filter: ExactMatch[]): Promise<number>;
  /** False when no group has that id. */
  delete(id: string): Promise<boolean>;
}
