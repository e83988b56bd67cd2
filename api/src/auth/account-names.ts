/**
 * Whether a username found on a record (a node's `owner`, a subscription's `user`) designates the
 * caller's account: its current name, or a name it held before a rename. Names are never handed to
 * another account (docs/adr/0012-account-ownership.md), so the current name needs no lookup.
 */
import type { UsernameRepository, UserRecord } from '../storage/ports';

export async function isAccountName(usernames: UsernameRepository, user: Pick<UserRecord, 'id' | 'username'>, name: string | null | undefined): Promise<boolean> {
  if (typeof name !== 'string' || name === '') return false;
  if (name === user.username) return true;
  return (await usernames.find(name))?.userId === user.id;
}
