import type { GroupRecord, UserRecord } from '../storage/ports';
import type { UserDto } from './dto/user.dto';

/** UserRead (docs/auth.md#the-user-object): exactly seven keys in this order; the hash never leaves the server. */
export function toUserResponse(user: UserRecord): UserDto {
  return {
    id: user.id,
    email: user.email,
    is_active: user.isActive,
    is_superuser: user.isSuperuser,
    is_verified: user.isVerified,
    username: user.username,
    groups: user.groups.map((g) => ({ id: g.id, name: g.name })),
  };
}

export function toGroupResponse(group: GroupRecord): { id: string; name: string } {
  return { id: group.id, name: group.name };
}
