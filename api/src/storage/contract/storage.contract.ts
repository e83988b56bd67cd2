/**
 * The storage contract: one suite that every adapter of the storage port must pass, against a real
 * database (never a fake). Each adapter's spec calls `describeStorageContract` with a factory; the
 * factory returns a fresh, empty storage and a cleanup function.
 */
import type { NodeFilter } from '../../common/query/filter-model';
import { newObjectId } from '../../common/object-id';
import { DuplicateKeyError, type Storage } from '../ports';
import { describeAuthStorageContract } from './auth.contract';
import { describeEventsAtCommitContract } from './events-at-commit.contract';
import { describeEventsContract } from './events.contract';
import { describeNodeRepositoryContract } from './nodes.contract';
import { makeFullNode, makeNode, makeUser } from './fixtures';
import { describeOwnershipStorageContract } from './ownership.contract';
import { describeTelemetryKvQueuesContract } from './telemetry-kv-queues.contract';
import { describePendingEventsContract } from './pending-events.contract';

export interface StorageFactory {
  /** A storage on an empty database. */
  open(): Promise<Storage>;
  /** Drops what `open` created (schema, database). */
  dispose(storage: Storage): Promise<void>;
  /**
   * True when two transactions can be open at once (a database server): enables the tests that force
   * event-producing transactions to commit out of their allocation order.
   */
  concurrentTransactions?: boolean;
}

const ALL: NodeFilter = { conditions: [], matchesNothing: false };

export function describeStorageContract(adapterName: string, factory: StorageFactory): void {
  describe(`storage contract: ${adapterName}`, () => {
    let storage: Storage;

    beforeAll(async () => {
      storage = await factory.open();
    }, 60_000);
    afterAll(async () => {
      if (storage) await factory.dispose(storage);
    });

    describe('nodes', () => {
      it('stores all 23 fields and reads them back unchanged', async () => {
        const node = makeFullNode();
        await storage.nodes.insert(node);
        expect(await storage.nodes.findById(node.id)).toEqual(node);
      });

      it('keeps integers up to 2^53-1 exactly and 64 levels of nesting in data', async () => {
        let deep: Record<string, unknown> = { leaf: Number.MAX_SAFE_INTEGER };
        for (let i = 0; i < 63; i += 1) deep = { d: deep };
        const node = makeNode({ data: { big: Number.MAX_SAFE_INTEGER, negative: -Number.MAX_SAFE_INTEGER, deep, unicode: 'é ✓ 😀' } });
        await storage.nodes.insert(node);
        expect((await storage.nodes.findById(node.id))?.data).toEqual(node.data);
      });

      it('answers null for an unknown id', async () => {
        expect(await storage.nodes.findById(newObjectId())).toBeNull();
      });

      it('lists in natural (insertion) order with limit and offset, and counts', async () => {
        const tree = `natural-${newObjectId()}`;
        const ids: string[] = [];
        for (let i = 0; i < 5; i += 1) {
          const node = makeNode({ treeid: tree, name: `n${i}` });
          ids.push(node.id);
          await storage.nodes.insert(node);
        }
        const filter: NodeFilter = { conditions: [{ path: ['treeid'], op: 'eq', value: tree }], matchesNothing: false };
        expect((await storage.nodes.list({ filter })).map((n) => n.id)).toEqual(ids);
        expect((await storage.nodes.list({ filter, limit: 2, offset: 1 })).map((n) => n.id)).toEqual(ids.slice(1, 3));
        expect(await storage.nodes.count(filter)).toBe(5);
        expect(await storage.nodes.count({ ...filter, matchesNothing: true })).toBe(0);
        expect(await storage.nodes.count(ALL)).toBeGreaterThanOrEqual(5);
      });

      it('walks a keyset in sort order, ties broken by id', async () => {
        const tree = `keyset-${newObjectId()}`;
        const created = new Date('2025-01-01T00:00:00Z');
        const nodes = [0, 1, 2, 3].map((i) => makeNode({ treeid: tree, created: i < 2 ? created : new Date(created.getTime() + i * 1000) }));
        for (const node of nodes) await storage.nodes.insert(node);
        const filter: NodeFilter = { conditions: [{ path: ['treeid'], op: 'eq', value: tree }], matchesNothing: false };
        const sort = { field: 'created' as const, descending: true };
        const first = await storage.nodes.list({ filter, sort, limit: 2 });
        const last = first[first.length - 1];
        const rest = await storage.nodes.list({ filter, sort, limit: 10, after: { value: last.created, id: last.id } });
        const walked = [...first, ...rest].map((n) => n.id);
        const expected = [...nodes].sort((a, b) => b.created.getTime() - a.created.getTime() || (a.id < b.id ? 1 : -1)).map((n) => n.id);
        expect(walked).toEqual(expected);
      });
    });

    describe('users and groups', () => {
      it('finds users by id, username and case-insensitive email', async () => {
        const user = makeUser({ email: 'Mixed.Case@Example.org', groups: [{ id: newObjectId(), name: 'team-a' }] });
        await storage.users.insert(user);
        expect(await storage.users.findById(user.id)).toEqual(user);
        expect(await storage.users.findByUsername(user.username)).toEqual(user);
        expect(await storage.users.findByEmail('mixed.case@example.ORG')).toEqual(user);
        expect(await storage.users.findByUsername(user.username.toUpperCase())).toBeNull();
      });

      it('rejects a duplicate username or an email differing only in case', async () => {
        const user = makeUser();
        await storage.users.insert(user);
        await expect(storage.users.insert(makeUser({ username: user.username }))).rejects.toBeInstanceOf(DuplicateKeyError);
        await expect(storage.users.insert(makeUser({ email: user.email.toUpperCase() }))).rejects.toBeInstanceOf(DuplicateKeyError);
      });

      it('updates a user and reports whether a superuser exists', async () => {
        const user = makeUser();
        await storage.users.insert(user);
        await storage.users.update({ ...user, isSuperuser: true, isVerified: false });
        expect(await storage.users.findById(user.id)).toMatchObject({ isSuperuser: true, isVerified: false });
        expect(await storage.users.hasSuperuser()).toBe(true);
      });

      it('keeps group names unique', async () => {
        const name = `group-${newObjectId()}`;
        await storage.groups.insert({ id: newObjectId(), name });
        expect(await storage.groups.findByName(name)).toMatchObject({ name });
        await expect(storage.groups.insert({ id: newObjectId(), name })).rejects.toBeInstanceOf(DuplicateKeyError);
      });
    });

    describe('leases', () => {
      it('gives a lease to one holder at a time until it expires or is released', async () => {
        const name = `job-${newObjectId()}`;
        expect(await storage.leases.tryAcquire(name, 'replica-a', 60_000)).toBe(true);
        expect(await storage.leases.tryAcquire(name, 'replica-b', 60_000)).toBe(false);
        expect(await storage.leases.tryAcquire(name, 'replica-a', 60_000)).toBe(true); // renewal
        await storage.leases.release(name, 'replica-b'); // not the holder: no effect
        expect(await storage.leases.tryAcquire(name, 'replica-b', 60_000)).toBe(false);
        await storage.leases.release(name, 'replica-a');
        expect(await storage.leases.tryAcquire(name, 'replica-b', 1)).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(await storage.leases.tryAcquire(name, 'replica-a', 60_000)).toBe(true); // b's lease expired
      });

      it('grants a contended lease to exactly one of many concurrent callers', async () => {
        const name = `job-${newObjectId()}`;
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) => storage.leases.tryAcquire(name, `replica-${i}`, 60_000)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describeEventsContract(() => storage, { concurrentTransactions: factory.concurrentTransactions ?? false });
    describeEventsAtCommitContract(() => storage, { concurrentTransactions: factory.concurrentTransactions ?? false });
    describePendingEventsContract(() => storage);
    describeNodeRepositoryContract(() => storage);

    describe('unit of work', () => {
      it('commits every write of a transaction together', async () => {
        const a = makeNode();
        const b = makeNode({ parent: a.id, kind: 'kbuild' });
        await storage.transaction(async (tx) => {
          await tx.nodes.insert(a);
          await tx.nodes.insert(b);
        });
        expect(await storage.nodes.findById(b.id)).toEqual(b);
      });

      it('rolls back every write when the work throws', async () => {
        const node = makeNode();
        await expect(
          storage.transaction(async (tx) => {
            await tx.nodes.insert(node);
            expect(await tx.nodes.findById(node.id)).not.toBeNull();
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(await storage.nodes.findById(node.id)).toBeNull();
      });
    });

    describeAuthStorageContract(() => storage);
    describeOwnershipStorageContract(() => storage);
    describeTelemetryKvQueuesContract(() => storage);
  });
}
