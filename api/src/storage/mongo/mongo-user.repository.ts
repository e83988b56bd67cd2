/**
 * Users and groups in KernelCI's `user` and `usergroup` collections (docs/deployment.md#running-on-mongodb): users embed
 * copies `{_id, name}` of their groups. Emails are unique case-insensitively by a check before each
 * write under the collation of KernelCI's `case_insensitive_email_index`, which is not a unique
 * index (fastapi-users-db-beanie creates it so; KernelCI checks the same way); `email_1` keeps exact
 * duplicates out even between concurrent writers.
 */
import { ObjectId } from 'bson';
import type { Document } from 'mongodb';
import { isObjectIdString } from '../../common/object-id';
import { DuplicateKeyError, type ExactMatch, type GroupRecord, type GroupRepository, type PageRequest, type UserGroupRef, type UsernameRecord, type UsernameRepository, type UserRecord, type UserRepository } from '../ports';
import { isDuplicateKey, type MongoContext } from './mongo-context';
import { EMAIL_COLLATION } from './mongo-indexes';

const hex = (value: unknown): string => (value instanceof ObjectId ? value.toHexString() : String(value));

/** Embedded groups written by KernelCI releases use `_id` or, in some, `id` (docs/deployment.md#running-on-mongodb): both are read. */
function groupFromEmbedded(group: Document): UserGroupRef {
  return { id: hex(group._id ?? group.id), name: String(group.name) };
}

export function userFromDocument(document: Document): UserRecord {
  return {
    id: hex(document._id),
    email: document.email,
    hashedPassword: document.hashed_password,
    isActive: document.is_active ?? true,
    isSuperuser: document.is_superuser ?? false,
    isVerified: document.is_verified ?? false,
    username: document.username,
    groups: Array.isArray(document.groups) ? document.groups.map(groupFromEmbedded) : [],
  };
}

/** The fields Maestro writes; on update they are `$set`, so fields it does not know stay. */
function userFields(user: UserRecord): Document {
  return {
    email: user.email,
    hashed_password: user.hashedPassword,
    is_active: user.isActive,
    is_superuser: user.isSuperuser,
    is_verified: user.isVerified,
    username: user.username,
    groups: user.groups.map((group) => ({ _id: new ObjectId(group.id), name: group.name })),
  };
}

type FieldKind = 'id' | 'string' | 'boolean' | 'group-id';

/** Filterable fields of `GET /users` (docs/auth.md#endpoints) and their stored types. */
export const USER_FIELDS: Record<string, FieldKind> = {
  id: 'id',
  username: 'string',
  email: 'string',
  is_active: 'boolean',
  is_superuser: 'boolean',
  is_verified: 'boolean',
  'groups.name': 'string',
  'groups.id': 'group-id',
  'groups._id': 'group-id',
};

export const GROUP_FIELDS: Record<string, FieldKind> = { id: 'id', name: 'string' };

/** `_id` always exists: matches no document, through the `_id` index. */
const MATCH_NOTHING: Document = { _id: { $exists: false } };

/**
 * The MongoDB filter of an exact-match listing (pure). Field names come from the fixed tables above,
 * never from the request; an unknown field, a value of the wrong type or an id that is not an
 * ObjectId matches nothing, as on PostgreSQL (ports.ts `ExactMatch`). Embedded groups are matched
 * under `_id` and under the `id` some KernelCI releases wrote (docs/deployment.md#running-on-mongodb).
 */
export function exactMatchFilter(filter: ExactMatch[], fields: Record<string, FieldKind>): Document {
  const clauses = filter.map(({ field, value }): Document => {
    const kind = Object.hasOwn(fields, field) ? fields[field] : undefined;
    if (kind === undefined) return MATCH_NOTHING;
    if (kind === 'boolean') return typeof value === 'boolean' ? { [field]: { $eq: value } } : MATCH_NOTHING;
    if (typeof value !== 'string') return MATCH_NOTHING;
    if (kind === 'string') return { [field]: { $eq: value } };
    if (!isObjectIdString(value)) return MATCH_NOTHING;
    const id = new ObjectId(value);
    if (kind === 'id') return { _id: { $eq: id } };
    return { $or: [{ 'groups._id': { $eq: id } }, { 'groups.id': { $eq: id } }, { 'groups.id': { $eq: id.toHexString() } }] };
  });
  return clauses.length === 0 ? {} : { $and: clauses };
}

export function userToDocument(user: UserRecord): Document & { _id: ObjectId } {
  return { _id: new ObjectId(user.id), ...userFields(user) };
}

export class MongoUserRepository implements UserRepository {
  constructor(private readonly ctx: MongoContext) {}

  private async one(filter: Document, options: { collation?: typeof EMAIL_COLLATION } = {}): Promise<UserRecord | null> {
    const document = await this.ctx.collection('user').findOne(filter, { ...options, ...this.ctx.session });
    return document ? userFromDocument(document) : null;
  }

  findById(id: string): Promise<UserRecord | null> {
    return isObjectIdString(id) ? this.one({ _id: new ObjectId(id) }) : Promise.resolve(null);
  }

  findByUsername(username: string): Promise<UserRecord | null> {
    return this.one({ username });
  }

  /** Uses the collation of `case_insensitive_email_index`, so the lookup is an index seek. */
  findByEmail(email: string): Promise<UserRecord | null> {
    return this.one({ email }, { collation: EMAIL_COLLATION });
  }

  /** The case-insensitive half of email uniqueness (an index seek on `case_insensitive_email_index`). */
  private async refuseTakenEmail(user: UserRecord): Promise<void> {
    const other = await this.ctx.run(() =>
      this.ctx.collection('user').findOne({ email: { $eq: user.email }, _id: { $ne: new ObjectId(user.id) } }, { collation: EMAIL_COLLATION, projection: { _id: 1 }, ...this.ctx.session }),
    );
    if (other) throw new DuplicateKeyError('user');
  }

  async insert(user: UserRecord): Promise<void> {
    await this.refuseTakenEmail(user);
    await this.withName(user.username, user.id, () => this.ctx.insert('user', userToDocument(user)));
  }

  async update(user: UserRecord): Promise<void> {
    await this.ctx.validate('user', userToDocument(user));
    const stored = await this.ctx.collection('user').findOne({ _id: new ObjectId(user.id) }, { projection: { username: 1 }, ...this.ctx.session });
    if (!stored) return;
    await this.refuseTakenEmail(user);
    const write = () => this.ctx.modify('user', { _id: new ObjectId(user.id) }, { $set: userFields(user) });
    // Only a new name is claimed; the current one was registered when it was taken (or at start-up).
    if (stored.username === user.username) await write();
    else await this.withName(user.username, user.id, write);
  }

  /**
   * Registers `name` to the account, then writes. Inside a unit of work (transaction or undo journal)
   * both commit or neither does; outside one, a failed write gives back a name it had just claimed.
   */
  private async withName<T>(name: string, userId: string, write: () => Promise<T>): Promise<T> {
    const claimed = await this.ctx.insertIfAbsent('maestro_username', { _id: name }, usernameDocument(name, userId, new Date()));
    if (!claimed) {
      const held = await this.ctx.collection('maestro_username').findOne({ _id: name }, this.ctx.session);
      if (!held || held.user_id === null || hex(held.user_id) !== userId) throw new DuplicateKeyError('username');
    }
    try {
      return await write();
    } catch (error) {
      if (claimed && !this.ctx.unit.session && !this.ctx.unit.journal) {
        await this.ctx.collection('maestro_username').deleteOne({ _id: name, user_id: new ObjectId(userId) }).catch(() => undefined);
      }
      throw error;
    }
  }

  async hasSuperuser(): Promise<boolean> {
    return (await this.ctx.collection('user').findOne({ is_superuser: true }, { projection: { _id: 1 }, ...this.ctx.session })) !== null;
  }

  /** Natural order is `_id` order, as for nodes (docs/adr/0007-mongo.md). */
  async list(filter: ExactMatch[], page: PageRequest): Promise<UserRecord[]> {
    if (page.limit === 0) return [];
    const documents = await this.ctx
      .collection('user')
      .find(exactMatchFilter(filter, USER_FIELDS), { ...this.ctx.session, sort: { _id: 1 }, skip: page.offset, limit: page.limit })
      .toArray();
    return documents.map(userFromDocument);
  }

  count(filter: ExactMatch[]): Promise<number> {
    return this.ctx.collection('user').countDocuments(exactMatchFilter(filter, USER_FIELDS), this.ctx.session);
  }

  async delete(id: string): Promise<boolean> {
    return isObjectIdString(id) && (await this.ctx.remove('user', { _id: new ObjectId(id) })) > 0;
  }

  async anyInGroup(groupName: string): Promise<boolean> {
    return (await this.ctx.collection('user').findOne({ 'groups.name': { $eq: groupName } }, { projection: { _id: 1 }, ...this.ctx.session })) !== null;
  }
}

export function usernameDocument(name: string, userId: string | null, claimed: Date): Document & { _id: string } {
  return { _id: name, user_id: userId === null ? null : new ObjectId(userId), claimed };
}

export function usernameFromDocument(document: Document): UsernameRecord {
  return { name: String(document._id), userId: document.user_id == null ? null : hex(document.user_id), claimed: document.claimed };
}

/** The username registry in `maestro_username` (docs/adr/0012-account-ownership.md). */
export class MongoUsernameRepository implements UsernameRepository {
  constructor(private readonly ctx: MongoContext) {}

  async find(name: string): Promise<UsernameRecord | null> {
    const document = await this.ctx.collection('maestro_username').findOne({ _id: { $eq: name } }, this.ctx.session);
    return document ? usernameFromDocument(document) : null;
  }

  async namesOf(userId: string): Promise<string[]> {
    if (!isObjectIdString(userId)) return [];
    const documents = await this.ctx
      .collection('maestro_username')
      .find({ user_id: new ObjectId(userId) }, { ...this.ctx.session, sort: { claimed: 1, _id: 1 } })
      .toArray();
    return documents.map((document) => String(document._id));
  }

  async isEmpty(): Promise<boolean> {
    return (await this.ctx.collection('maestro_username').findOne({}, { projection: { _id: 1 }, ...this.ctx.session })) === null;
  }

  async registerExisting(at: Date): Promise<number> {
    const users = await this.ctx.collection('user').find({ username: { $type: 'string' } }, { projection: { username: 1 } }).toArray();
    return this.reserve(users.map((user) => usernameDocument(user.username, hex(user._id), at)));
  }

  /** `distinct` reads the `owner` index once it is built (a collection scan before, once). */
  async reserveOrphanOwners(at: Date): Promise<number> {
    const owners = (await this.ctx.collection('node').distinct('owner')).filter((owner): owner is string => typeof owner === 'string' && owner !== '');
    const users = new Set((await this.ctx.collection('user').find({}, { projection: { username: 1 } }).toArray()).map((user) => user.username));
    return this.reserve(owners.filter((owner) => !users.has(owner)).map((owner) => usernameDocument(owner, null, at)));
  }

  /** Inserts the names not registered yet (a concurrent replica may register some first). */
  private async reserve(documents: (Document & { _id: string })[]): Promise<number> {
    if (documents.length === 0) return 0;
    try {
      const result = await this.ctx.collection('maestro_username').bulkWrite(
        documents.map(({ _id, ...rest }) => ({ updateOne: { filter: { _id }, update: { $setOnInsert: rest }, upsert: true } })),
        { ordered: false },
      );
      return result.upsertedCount;
    } catch (error) {
      if (isDuplicateKey(error)) return (error as { result?: { upsertedCount?: number } }).result?.upsertedCount ?? 0;
      throw error;
    }
  }
}

const groupFromDocument = (document: Document): GroupRecord => ({ id: hex(document._id), name: document.name });

export class MongoGroupRepository implements GroupRepository {
  constructor(private readonly ctx: MongoContext) {}

  async findById(id: string): Promise<GroupRecord | null> {
    if (!isObjectIdString(id)) return null;
    const document = await this.ctx.collection('usergroup').findOne({ _id: new ObjectId(id) }, this.ctx.session);
    return document ? groupFromDocument(document) : null;
  }

  async findByName(name: string): Promise<GroupRecord | null> {
    const document = await this.ctx.collection('usergroup').findOne({ name }, this.ctx.session);
    return document ? groupFromDocument(document) : null;
  }

  async list(filter: ExactMatch[], page: PageRequest): Promise<GroupRecord[]> {
    if (page.limit === 0) return [];
    const documents = await this.ctx
      .collection('usergroup')
      .find(exactMatchFilter(filter, GROUP_FIELDS), { ...this.ctx.session, sort: { _id: 1 }, skip: page.offset, limit: page.limit })
      .toArray();
    return documents.map(groupFromDocument);
  }

  count(filter: ExactMatch[]): Promise<number> {
    return this.ctx.collection('usergroup').countDocuments(exactMatchFilter(filter, GROUP_FIELDS), this.ctx.session);
  }

  async delete(id: string): Promise<boolean> {
    return isObjectIdString(id) && (await this.ctx.remove('usergroup', { _id: new ObjectId(id) })) > 0;
  }

  async insert(group: GroupRecord): Promise<void> {
    await this.ctx.insert('usergroup', { _id: new ObjectId(group.id), name: group.name });
  }
}
