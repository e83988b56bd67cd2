import { Inject, Injectable } from '@nestjs/common';
import { BadRequestError, NotFoundError } from '../common/errors/domain-errors';
import { isObjectIdString, parseObjectId } from '../common/object-id';
import { hashPassword } from '../auth/passwords';
import { DuplicateKeyError, STORAGE, type ExactMatch, type PageRequest, type Storage, type UserGroupRef, type UserRecord } from '../storage/ports';
import type { UserPatchDto } from './dto/user.dto';

/** Users as seen by docs/auth.md#endpoints: reading, listing, self-service and admin updates, deletion. */
@Injectable()
export class UsersService {
  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  /** `GET /user/{id}`: unknown, malformed and `me` are all 404 `Not Found` (docs/auth.md#endpoints). */
  async get(id: string): Promise<UserRecord> {
    const user = isObjectIdString(id) ? await this.storage.users.findById(id.toLowerCase()) : null;
    if (!user) throw new NotFoundError();
    return user;
  }

  async list(filter: ExactMatch[], page: PageRequest): Promise<{ items: UserRecord[]; total: number }> {
    const [items, total] = await Promise.all([this.storage.users.list(filter, page), this.storage.users.count(filter)]);
    return { items, total };
  }

  /** `PATCH /user/me`: the rules of docs/auth.md#endpoints in their order; flags are ignored, groups refused. */
  async patchSelf(user: UserRecord, patch: UserPatchDto): Promise<UserRecord> {
    if (patch.groups && patch.groups.length > 0) throw new BadRequestError('User groups can only be updated by an admin user');
    await this.assertUsernameFree(user, patch.username);
    await this.assertEmailFree(user, patch.email);
    const updated: UserRecord = { ...user };
    if (patch.username !== undefined) updated.username = patch.username;
    if (patch.email !== undefined && patch.email !== user.email) {
      // KernelCI behaviour kept (docs/api-conventions.md#where-maestro-differs-from-kernelci): a new email must be re-verified by an admin.
      updated.email = patch.email;
      updated.isVerified = false;
    }
    if (patch.password !== undefined) updated.hashedPassword = await hashPassword(patch.password);
    return this.save(updated);
  }

  /** `PATCH /user/{user_id}` (admin): every given field applies; a non-empty `groups` replaces. */
  async patchUser(rawId: string, patch: UserPatchDto): Promise<UserRecord> {
    const id = parseObjectId(rawId);
    const user = await this.storage.users.findById(id);
    if (!user) throw new NotFoundError(`User not found with id: ${id}`);
    await this.assertUsernameFree(user, patch.username);
    await this.assertEmailFree(user, patch.email);
    const groups = patch.groups && patch.groups.length > 0 ? await this.resolveGroups(patch.groups) : user.groups;
    const updated: UserRecord = { ...user, groups };
    if (patch.username !== undefined) updated.username = patch.username;
    if (patch.email !== undefined && patch.email !== user.email) {
      updated.email = patch.email;
      updated.isVerified = false;
    }
    if (patch.is_active !== undefined) updated.isActive = patch.is_active;
    if (patch.is_superuser !== undefined) updated.isSuperuser = patch.is_superuser;
    if (patch.is_verified !== undefined) updated.isVerified = patch.is_verified;
    if (patch.password !== undefined) updated.hashedPassword = await hashPassword(patch.password);
    return this.save(updated);
  }

  /** `DELETE /user/{id}`: the user's API tokens go with it; nodes it owns stay (docs/auth.md#endpoints). */
  async delete(rawId: string): Promise<void> {
    if (!isObjectIdString(rawId)) throw new NotFoundError();
    const id = rawId.toLowerCase();
    const deleted = await this.storage.transaction(async (tx) => {
      const existed = await tx.users.delete(id);
      if (existed) await tx.apiTokens.deleteByUser(id);
      return existed;
    });
    if (!deleted) throw new NotFoundError();
  }

  /** Group names → embedded copies; 400 `User group does not exist with name: <g>` (docs/auth.md#endpoints). */
  async resolveGroups(names: string[]): Promise<UserGroupRef[]> {
    const refs: UserGroupRef[] = [];
    for (const name of new Set(names)) {
      const group = await this.storage.groups.findByName(name);
      if (!group) throw new BadRequestError(`User group does not exist with name: ${name}`);
      refs.push({ id: group.id, name: group.name });
    }
    return refs;
  }

  /**
   * A name is free when no other account holds it now or held it before: names stay with the
   * account that had them, deleted or renamed (docs/adr/0012-account-ownership.md).
   */
  private async assertUsernameFree(user: UserRecord, username: string | undefined): Promise<void> {
    if (username === undefined || username === user.username) return;
    const other = await this.storage.users.findByUsername(username);
    const registered = await this.storage.usernames.find(username);
    if ((other && other.id !== user.id) || (registered && registered.userId !== user.id)) {
      throw new BadRequestError(`Username already exists: ${username}`);
    }
  }

  private async assertEmailFree(user: UserRecord, email: string | undefined): Promise<void> {
    if (email === undefined) return;
    const other = await this.storage.users.findByEmail(email);
    if (other && other.id !== user.id) throw new BadRequestError('UPDATE_USER_EMAIL_ALREADY_EXISTS');
  }

  /**
   * A concurrent writer can still take the name or email between check and write. The adapter
   * registers a new name to the account in the same write, so a rename is one atomic step.
   */
  private async save(user: UserRecord): Promise<UserRecord> {
    try {
      await this.storage.users.update(user);
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      const sameName = error.key === 'username' ? null : await this.storage.users.findByUsername(user.username);
      if (error.key === 'username' || (sameName && sameName.id !== user.id)) throw new BadRequestError(`Username already exists: ${user.username}`);
      throw new BadRequestError('UPDATE_USER_EMAIL_ALREADY_EXISTS');
    }
    return user;
  }
}
