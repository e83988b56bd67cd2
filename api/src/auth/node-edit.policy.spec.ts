import { UnauthorizedError } from '../common/errors/domain-errors';
import { loadConfig } from '../config/config';
import { makeUser } from '../storage/contract/fixtures';
import type { Storage } from '../storage/ports';
import { openStorage } from '../storage/storage.module';
import { NodeEditPolicy } from './node-edit.policy';

/** The policy over a real (in-memory PGlite) registry: the pure rules are edit-policy.spec.ts's. */
describe('NodeEditPolicy (docs/auth.md "Levels and permissions", docs/adr/0012-account-ownership.md)', () => {
  let storage: Storage;
  let policy: NodeEditPolicy;
  beforeAll(async () => {
    storage = await openStorage(loadConfig({ DATABASE_URL: 'pglite:memory' }));
    policy = new NodeEditPolicy(storage);
  }, 60_000);
  afterAll(() => storage.close());

  const node = (owner: string) => ({ owner, user_groups: ['team-a'], data: { runtime: 'lava' } });
  const withGroups = (groups: string[]) => groups.map((name, i) => ({ id: String(i), name }));

  it('lets an editor through', async () => {
    await expect(policy.assertCanEditNode(makeUser({ username: 'alice' }), node('alice'))).resolves.toBeUndefined();
    await expect(policy.assertCanEditNode(makeUser({ username: 'bob', groups: withGroups(['runtime:lava:node-editor']) }), node('alice'))).resolves.toBeUndefined();
  });

  it('answers 401 `Unauthorized to complete the operation` to anyone else', async () => {
    const error = await policy.assertCanEditNode(makeUser({ username: 'bob', groups: withGroups(['team-b']) }), node('alice')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ status: 401, detail: 'Unauthorized to complete the operation' });
  });

  it('keeps a renamed owner\'s right to nodes under the old name, and gives it to nobody else', async () => {
    const hank = makeUser({ username: 'hank' });
    const bob = makeUser({ username: 'bob' });
    await storage.users.insert(hank);
    await storage.users.insert(bob);
    const renamed = { ...hank, username: 'hank2' };
    await storage.users.update(renamed);
    expect(await policy.canEditNode(renamed, node('hank'))).toBe(true);
    expect(await policy.canEditNode(renamed, node('hank2'))).toBe(true);
    expect(await policy.canEditNode(bob, node('hank'))).toBe(false);
    // A record claiming bob is now called hank (a stale or forged name) still gets nothing: the
    // registry says `hank` is hank's account.
    expect(await policy.canEditNode({ ...bob, username: 'bob' }, node('hank'))).toBe(false);
    expect(await policy.canEditNode(makeUser({ username: 'bob' }), node(''))).toBe(false);
    // Inside a unit of work the lookup goes through it (PGlite's one connection is the transaction's).
    expect(await storage.transaction((tx) => policy.canEditNode(renamed, node('hank'), tx))).toBe(true);
  });
});
