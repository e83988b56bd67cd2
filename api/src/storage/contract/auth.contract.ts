/**
 * Storage contract for the auth stream's repositories (docs/auth.md): user and
 * group listings with exact-match filters, deletion, API tokens and the rate-limit counters. Called
 * from describeStorageContract, so every adapter runs it against a real database.
 */
import { newObjectId } from '../../common/object-id';
import { DuplicateKeyError, type ApiTokenRecord, type Storage } from '../ports';
import { makeUser } from './fixtures';

function makeToken(userId: string, overrides: Partial<ApiTokenRecord> = {}): ApiTokenRecord {
  const id = newObjectId();
  return {
    id,
    userId,
    name: 'ci-bot',
    prefix: 'mst_AbCd',
    tokenHash: `hash-${id}`,
    created: new Date(Math.floor(Date.now() / 1000) * 1000 + 5),
    expiresAt: null,
    lastUsed: null,
    revokedAt: null,
    ...overrides,
  };
}

export function describeAuthStorageContract(storage: () => Storage): void {
  describe('auth: user listing and deletion', () => {
    it('lists users in insertion order with exact-match filters, counts, and pages', async () => {
      const tag = newObjectId();
      const group = { id: newObjectId(), name: `team-${tag}` };
      const a = makeUser({ username: `a-${tag}`, groups: [group] });
      const b = makeUser({ username: `b-${tag}`, groups: [group], isSuperuser: true });
      const c = makeUser({ username: `c-${tag}` });
      for (const u of [a, b, c]) await storage().users.insert(u);
      const byGroup = [{ field: 'groups.name', value: group.name }];
      expect((await storage().users.list(byGroup, { limit: 50, offset: 0 })).map((u) => u.id)).toEqual([a.id, b.id]);
      expect(await storage().users.count(byGroup)).toBe(2);
      expect((await storage().users.list(byGroup, { limit: 1, offset: 1 })).map((u) => u.id)).toEqual([b.id]);
      const superInGroup = [...byGroup, { field: 'is_superuser', value: true }];
      expect((await storage().users.list(superInGroup, { limit: 50, offset: 0 })).map((u) => u.id)).toEqual([b.id]);
      expect((await storage().users.list([{ field: 'username', value: c.username }], { limit: 50, offset: 0 }))[0]).toEqual(c);
      expect(await storage().users.count([{ field: 'groups.id', value: group.id }])).toBe(2);
      expect(await storage().users.count([{ field: 'email', value: a.email.toUpperCase() }])).toBe(0);
    });

    it('matches nothing for an unknown field or a value of the wrong type', async () => {
      expect(await storage().users.count([{ field: 'no_such_field', value: 'x' }])).toBe(0);
      expect(await storage().users.count([{ field: 'is_superuser', value: 'true' }])).toBe(0);
      expect(await storage().users.count([{ field: 'username', value: true }])).toBe(0);
      expect(await storage().users.count([])).toBeGreaterThan(0);
    });

    it('deletes a user and tells whether it existed', async () => {
      const user = makeUser();
      await storage().users.insert(user);
      expect(await storage().users.delete(user.id)).toBe(true);
      expect(await storage().users.findById(user.id)).toBeNull();
      expect(await storage().users.delete(user.id)).toBe(false);
    });

    it('tells whether any user carries a group name', async () => {
      const name = `held-${newObjectId()}`;
      expect(await storage().users.anyInGroup(name)).toBe(false);
      await storage().users.insert(makeUser({ groups: [{ id: newObjectId(), name }] }));
      expect(await storage().users.anyInGroup(name)).toBe(true);
    });
  });

  describe('auth: groups', () => {
    it('finds, lists with filters, and deletes groups', async () => {
      const group = { id: newObjectId(), name: `g-${newObjectId()}` };
      await storage().groups.insert(group);
      expect(await storage().groups.findById(group.id)).toEqual(group);
      expect(await storage().groups.list([{ field: 'name', value: group.name }], { limit: 50, offset: 0 })).toEqual([group]);
      expect(await storage().groups.count([{ field: 'name', value: group.name }])).toBe(1);
      expect(await storage().groups.count([{ field: 'nope', value: group.name }])).toBe(0);
      await expect(storage().groups.insert({ id: newObjectId(), name: group.name })).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await storage().groups.delete(group.id)).toBe(true);
      expect(await storage().groups.findById(group.id)).toBeNull();
      expect(await storage().groups.delete(group.id)).toBe(false);
    });
  });

  describe('auth: API tokens', () => {
    it('stores tokens, finds them by hash and lists a user\'s tokens newest first', async () => {
      const userId = newObjectId();
      const older = makeToken(userId, { created: new Date('2026-01-01T00:00:00.001Z'), expiresAt: new Date('2027-01-01T00:00:00Z') });
      const newer = makeToken(userId, { created: new Date('2026-02-01T00:00:00.002Z') });
      await storage().apiTokens.insert(older);
      await storage().apiTokens.insert(newer);
      await storage().apiTokens.insert(makeToken(newObjectId()));
      expect(await storage().apiTokens.findByHash(older.tokenHash)).toEqual(older);
      expect(await storage().apiTokens.findByHash('unknown')).toBeNull();
      expect((await storage().apiTokens.listByUser(userId)).map((t) => t.id)).toEqual([newer.id, older.id]);
      await expect(storage().apiTokens.insert(makeToken(userId, { tokenHash: older.tokenHash }))).rejects.toBeInstanceOf(DuplicateKeyError);
    });

    it('revokes only the owner\'s token, once', async () => {
      const token = makeToken(newObjectId());
      await storage().apiTokens.insert(token);
      expect(await storage().apiTokens.revoke(newObjectId(), token.id, new Date())).toBe(false);
      const first = new Date('2026-03-01T00:00:00Z');
      expect(await storage().apiTokens.revoke(token.userId, token.id, first)).toBe(true);
      expect(await storage().apiTokens.revoke(token.userId, token.id, new Date('2026-03-02T00:00:00Z'))).toBe(true);
      expect((await storage().apiTokens.findByHash(token.tokenHash))?.revokedAt).toEqual(first);
    });

    it('records a use at most once per interval', async () => {
      const token = makeToken(newObjectId());
      await storage().apiTokens.insert(token);
      const t0 = new Date('2026-03-01T00:00:00Z');
      await storage().apiTokens.touch(token.id, t0, 60_000);
      await storage().apiTokens.touch(token.id, new Date(t0.getTime() + 59_000), 60_000);
      expect((await storage().apiTokens.findByHash(token.tokenHash))?.lastUsed).toEqual(t0);
      const t1 = new Date(t0.getTime() + 60_000);
      await storage().apiTokens.touch(token.id, t1, 60_000);
      expect((await storage().apiTokens.findByHash(token.tokenHash))?.lastUsed).toEqual(t1);
    });

    it('deletes a user\'s tokens and purges long-revoked or long-expired ones', async () => {
      const userId = newObjectId();
      const kept = makeToken(userId);
      await storage().apiTokens.insert(kept);
      await storage().apiTokens.deleteByUser(userId);
      expect(await storage().apiTokens.listByUser(userId)).toEqual([]);

      const owner = newObjectId();
      const old = new Date('2020-01-01T00:00:00Z');
      const revoked = makeToken(owner, { revokedAt: old });
      const expired = makeToken(owner, { expiresAt: old });
      const live = makeToken(owner, { expiresAt: new Date('2099-01-01T00:00:00Z') });
      for (const t of [revoked, expired, live]) await storage().apiTokens.insert(t);
      expect(await storage().apiTokens.purge(new Date('2021-01-01T00:00:00Z'))).toBeGreaterThanOrEqual(2);
      expect((await storage().apiTokens.listByUser(owner)).map((t) => t.id)).toEqual([live.id]);
    });
  });

  describe('auth: rate-limit counters', () => {
    it('counts within a window, restarts after it, and clears', async () => {
      const key = `login:user:${newObjectId()}`;
      const t0 = new Date('2026-05-01T00:00:00Z');
      expect(await storage().rateLimits.hit(key, 900_000, t0)).toEqual({ key, count: 1, windowStart: t0, expires: new Date(t0.getTime() + 900_000) });
      expect((await storage().rateLimits.hit(key, 900_000, new Date(t0.getTime() + 1000))).count).toBe(2);
      const active = await storage().rateLimits.active([key, 'other'], new Date(t0.getTime() + 2000));
      expect(active).toEqual([{ key, count: 2, windowStart: t0, expires: new Date(t0.getTime() + 900_000) }]);
      expect(await storage().rateLimits.active([key], new Date(t0.getTime() + 900_000))).toEqual([]);
      const later = new Date(t0.getTime() + 900_000);
      expect(await storage().rateLimits.hit(key, 900_000, later)).toMatchObject({ count: 1, windowStart: later });
      await storage().rateLimits.clear(key);
      expect(await storage().rateLimits.active([key], later)).toEqual([]);
    });

    it('counts concurrent hits exactly', async () => {
      const key = `login:addr:${newObjectId()}`;
      const now = new Date();
      await Promise.all(Array.from({ length: 10 }, () => storage().rateLimits.hit(key, 60_000, now)));
      expect((await storage().rateLimits.active([key], now))[0].count).toBe(10);
    });

    it('purges counters whose window ended', async () => {
      const key = `login:user:${newObjectId()}`;
      const t0 = new Date('2020-05-01T00:00:00Z');
      await storage().rateLimits.hit(key, 1000, t0);
      expect(await storage().rateLimits.purgeExpired(new Date(t0.getTime() + 1000))).toBeGreaterThanOrEqual(1);
      expect(await storage().rateLimits.hit(key, 1000, t0)).toMatchObject({ count: 1 });
    });
  });
}
