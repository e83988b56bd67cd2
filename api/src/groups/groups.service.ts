import { Inject, Injectable } from '@nestjs/common';
import { BadRequestError, ConflictError, NotFoundError } from '../common/errors/domain-errors';
import { newObjectId, parseObjectId } from '../common/object-id';
import { DuplicateKeyError, STORAGE, type ExactMatch, type GroupRecord, type PageRequest, type Storage } from '../storage/ports';

/** User groups (docs/auth.md#users-and-groups). Users carry copies of their groups, so a group in use cannot go. */
@Injectable()
export class GroupsService {
  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  async list(filter: ExactMatch[], page: PageRequest): Promise<{ items: GroupRecord[]; total: number }> {
    const [items, total] = await Promise.all([this.storage.groups.list(filter, page), this.storage.groups.count(filter)]);
    return { items, total };
  }

  async get(rawId: string): Promise<GroupRecord> {
    const id = parseObjectId(rawId);
    const group = await this.storage.groups.findById(id);
    if (!group) throw new NotFoundError(`User group not found with id: ${id}`);
    return group;
  }

  async create(name: string): Promise<GroupRecord> {
    const group = { id: newObjectId(), name };
    try {
      await this.storage.groups.insert(group);
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw new BadRequestError(`User group already exists with name: ${name}`);
      throw error;
    }
    return group;
  }

  async delete(rawId: string): Promise<void> {
    const group = await this.get(rawId);
    if (await this.storage.users.anyInGroup(group.name)) {
      throw new ConflictError('User group is assigned to users and cannot be deleted. Remove it from users first.');
    }
    await this.storage.groups.delete(group.id);
  }
}
