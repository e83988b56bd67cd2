import { verifyPassword } from '../auth/passwords';
import { makeUser } from '../storage/contract/fixtures';
import { loadConfig } from '../config/config';
import type { Storage } from '../storage/ports';
import { openStorage } from '../storage/storage.module';
import { resetPassword } from './admin-password';

describe('npm run admin:reset-password (resetPassword over an embedded database)', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openStorage(loadConfig({ DATABASE_URL: 'pglite:memory', SECRET_KEY: 'admin-password-spec' }));
  }, 30_000);
  afterAll(() => storage?.close());

  it('gives the user a new random password that verifies, re-activates it and keeps its role', async () => {
    const admin = makeUser({ username: 'root-admin', isSuperuser: true, isActive: false });
    await storage.users.insert(admin);
    const outcome = await resetPassword(storage.users, 'root-admin');
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.password).toMatch(/^[\w-]{40,}$/);
    const stored = (await storage.users.findByUsername('root-admin'))!;
    expect((await verifyPassword(outcome.password, stored.hashedPassword)).ok).toBe(true);
    expect(stored).toMatchObject({ isActive: true, isSuperuser: true, email: admin.email });
    const again = await resetPassword(storage.users, 'root-admin');
    expect(again.ok && again.password).not.toBe(outcome.password);
  });

  it('names the administrators when the user does not exist', async () => {
    expect(await resetPassword(storage.users, 'nobody')).toEqual({ ok: false, message: "no user named 'nobody'; administrators: root-admin" });
  });
});
