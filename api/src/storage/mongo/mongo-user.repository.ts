/**
 * Users and groups in KernelCI's `user` and `usergroup` collections (contract §11.1): users embed
 * copies `{_id, name}` of their groups; emails are unique case-insensitively through KernelCI's
 * `case_insensitive_email_index` collation.
 */
import { ObjectId } from 'bson';
import type { Document } from 'mongodb';
import { isObjectIdString } from '../../common/object-id';
import type { GroupRecord, GroupRepository, UserGroupRef, UserRecord, UserRepository } from '../ports';
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

  async insert(user: UserRecord): Promise<void> {
    await this.ctx.insert('user', userToDocument(user));
  }

  async update(user: UserRecord): Promise<void> {
    await this.ctx.validate('user', userToDocument(user));
    await this.ctx.modify('user', { _id: new ObjectId(user.id) }, { $set: userFields(user) });
  }

  async hasSuperuser(): Promise<boolean> {
    return (await this.ctx.collection('user').findOne({ is_superuser: true }, { projection: { _id: 1 }, ...this.ctx.session })) !== null;
  }
}

export class MongoGroupRepository implements GroupRepository {
  constructor(private readonly ctx: MongoContext) {}

  async findByName(name: string): Promise<GroupRecord | null> {
    const document = await this.ctx.collection('usergroup').findOne({ name }, this.ctx.session);
    return document ? { id: hex(document._id), name: document.name } : null;
  }

  async insert(group: GroupRecord): Promise<void> {
    await this.ctx.insert('usergroup', { _id: new ObjectId(group.id), name: group.name });
  }
}
