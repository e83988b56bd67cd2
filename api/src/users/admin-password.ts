/**
 * Recovery of a lost administrator password from the shell (`npm run admin:reset-password`, see
 * docs/auth.md): sets a new random password on an existing account, against the database that
 * DATABASE_URL names, without the API running.
 */
import { hashPassword, randomPassword } from '../auth/passwords';
import type { UserRepository } from '../storage/ports';

export type ResetOutcome = { ok: true; username: string; password: string } | { ok: false; message: string };

/**
 * Gives `username` a new random password and re-activates it. Other fields (groups, superuser
 * flag, email) stay as they are; sessions already open are not ended.
 */
export async function resetPassword(users: UserRepository, username: string): Promise<ResetOutcome> {
  const user = await users.findByUsername(username);
  if (!user) {
    const superusers = await users.list([{ field: 'is_superuser', value: true }], { limit: 20, offset: 0 });
    const names = superusers.map((u) => u.username).join(', ');
    return { ok: false, message: `no user named '${username}'${names ? `; administrators: ${names}` : '; the database has no administrator yet: start the API once'}` };
  }
  const password = randomPassword();
  await users.update({ ...user, hashedPassword: await hashPassword(password), isActive: true });
  return { ok: true, username, password };
}
