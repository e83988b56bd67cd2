/**
 * Storage contract for the username registry (docs/adr/0012-account-ownership.md): authority over
 * nodes follows the account, so a name an account holds or held is never given to another one. The
 * two takeover scenarios of security issue #11 are played here against every adapter: a rename swap
 * (hank renames to hank2, bob then asks for `hank`) and a reused name (gina is deleted, carol then
 * asks for `gina`). Called from describeStorageContract, so it runs against real databases only.
 */
import { newObjectId } from '../../common/object-id';
import { DuplicateKeyError, type Storage, type UserRecord } from '../ports';
import { makeNode, makeUser } from './fixtures';

async function refusedName(write: Promise<unknown>): Promise<void> {
  const error = await write.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DuplicateKeyError);
  expect((error as DuplicateKeyError).key).toBe('username');
}

export function describeOwnershipStorageContract(storage: () => Storage): void {
  const rename = (user: UserRecord, username: string) => storage().transaction((tx) => tx.users.update({ ...user, username }));

  describe('ownership: the username registry', () => {
    it('rename swap: a renamed account keeps its old name, which nobody else can take', async () => {
      const tag = newObjectId();
      const hank = makeUser({ username: `hank-${tag}` });
      const bob = makeUser({ username: `bob-${tag}` });
      await storage().users.insert(hank);
      await storage().users.insert(bob);
      await storage().nodes.insert(makeNode({ owner: hank.username }));

      await rename(hank, `hank2-${tag}`);
      expect((await storage().users.findById(hank.id))?.username).toBe(`hank2-${tag}`);
      expect(await storage().usernames.namesOf(hank.id)).toEqual([hank.username, `hank2-${tag}`]);
      expect(await storage().usernames.find(hank.username)).toMatchObject({ name: hank.username, userId: hank.id });

      await refusedName(rename(bob, hank.username));
      await refusedName(storage().users.update({ ...bob, username: hank.username }));
      await refusedName(storage().users.insert(makeUser({ username: hank.username })));
      expect((await storage().users.findById(bob.id))?.username).toBe(bob.username);
      expect(await storage().users.findByUsername(hank.username)).toBeNull();
      expect(await storage().usernames.namesOf(bob.id)).toEqual([bob.username]);

      // The account may take its own old name back.
      await rename({ ...hank, username: `hank2-${tag}` }, hank.username);
      expect((await storage().users.findById(hank.id))?.username).toBe(hank.username);
    });

    it('reused name: the name of a deleted account stays with that account', async () => {
      const tag = newObjectId();
      const gina = makeUser({ username: `gina-${tag}` });
      const carol = makeUser({ username: `carol-${tag}` });
      await storage().users.insert(gina);
      await storage().users.insert(carol);
      await storage().nodes.insert(makeNode({ owner: gina.username }));
      expect(await storage().users.delete(gina.id)).toBe(true);

      await refusedName(rename(carol, gina.username));
      await refusedName(storage().users.insert(makeUser({ username: gina.username })));
      expect((await storage().users.findById(carol.id))?.username).toBe(carol.username);
      expect(await storage().usernames.find(gina.username)).toMatchObject({ userId: gina.id });
    });

    it('a rename rolled back with its unit of work registers nothing', async () => {
      const user = makeUser();
      await storage().users.insert(user);
      const name = `rolled-back-${newObjectId()}`;
      await expect(
        storage().transaction(async (tx) => {
          await tx.users.update({ ...user, username: name });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await storage().usernames.find(name)).toBeNull();
      expect((await storage().users.findById(user.id))?.username).toBe(user.username);
      // The name is still free for anyone.
      await rename(makeUserStored(await storage().users.findById(user.id)), name);
      expect(await storage().usernames.find(name)).toMatchObject({ userId: user.id });
    });

    it('gives a name claimed by two accounts at once to exactly one of them', async () => {
      const a = makeUser();
      const b = makeUser();
      await storage().users.insert(a);
      await storage().users.insert(b);
      const name = `contested-${newObjectId()}`;
      const outcomes = await Promise.allSettled([rename(a, name), rename(b, name)]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const winner = (await storage().usernames.find(name))?.userId;
      expect([a.id, b.id]).toContain(winner);
      expect((await storage().users.findByUsername(name))?.id).toBe(winner);
    });

    it('an update of a missing user claims nothing; a failed insert keeps the name free', async () => {
      const ghost = makeUser();
      await storage().users.update(ghost);
      expect(await storage().usernames.find(ghost.username)).toBeNull();

      const taken = makeUser();
      await storage().users.insert(taken);
      const clash = makeUser({ email: taken.email });
      await expect(storage().users.insert(clash)).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await storage().usernames.find(clash.username)).toBeNull();
    });

    it('reserves node owners without an account, and registers every user', async () => {
      const tag = newObjectId();
      const owner = makeUser({ username: `owner-${tag}` });
      await storage().users.insert(owner);
      await storage().nodes.insert(makeNode({ owner: owner.username }));
      await storage().nodes.insert(makeNode({ owner: `departed-${tag}` }));
      const at = new Date('2026-06-01T00:00:00Z');

      expect(await storage().usernames.isEmpty()).toBe(false);
      expect(await storage().usernames.registerExisting(at)).toBe(0);
      expect(await storage().usernames.reserveOrphanOwners(at)).toBeGreaterThanOrEqual(1);
      expect(await storage().usernames.find(`departed-${tag}`)).toEqual({ name: `departed-${tag}`, userId: null, claimed: at });
      expect(await storage().usernames.find(owner.username)).toMatchObject({ userId: owner.id });
      expect(await storage().usernames.reserveOrphanOwners(at)).toBe(0);
      await refusedName(storage().users.insert(makeUser({ username: `departed-${tag}` })));
    });
  });
}

function makeUserStored(user: UserRecord | null): UserRecord {
  if (!user) throw new Error('user vanished');
  return user;
}
