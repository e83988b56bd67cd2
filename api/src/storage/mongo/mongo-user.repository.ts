/**
 * Users and groups in KernelCI's `user` and `usergroup` collections (contract §11.1): users embed
 * copies `{_id, name}` of their groups. Emails are unique case-insensitively by a check before each
 * write under the collation of KernelCI's `case_insensitive_email_index`, which is not a unique
 * index (fastapi-users-db-beanie creates it so; KernelCI checks the same way); `email_1` keeps exact
 * duplicates out even between concurrent writers.
 */
import { ObjectId } from 'bson';
import type { Document } from 'mongodb';
import { isObjectIdString } from '../../common/object-id';
import { DuplicateKeyError, type ExactMatch, type GroupRecord, type GroupRepository, type PageRequest, type UserGroupRef, type UserRecord, type UserRepository } from '../ports';
import type { MongoContext } from './mongo-context';
import { EMAIL_COLLATION } from './mongo-indexes';

const hex = (value: unknown): string => (value instanceof ObjectId ? value.toHexString() : String(value));

/** Embedded groups written by KernelCI releases use `_id` or, in some, `id` (§11.1): both are read. */
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

/** Filterable fields of `GET /users` (contract §4.3) and their stored types. */
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
 * under `_id` and under the `id` some KernelCI releases wrote (§11.1).
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
    await this.ctx.insert('user', userToDocument(user));
  }

  async update(user: UserRecord): Promise<void> {
    await this.ctx.validate('user', userToDocument(user));
    await this.refuseTakenEmail(user);
    await this.ctx.modify('user', { _id: new ObjectId(user.id) }, { $set: userFields(user) });
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
