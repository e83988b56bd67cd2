/**
 * Contract tests of telemetry, the key/value store and queue lists (docs/telemetry.md,
 * docs/queues-kv.md), run by every adapter from describeStorageContract. Runtimes, namespaces and
 * list names are unique per test, so the tests share one database.
 */
import { randomUUID } from 'node:crypto';
import { newObjectId } from '../../common/object-id';
import type { Storage, TelemetryEventRecord } from '../ports';

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export function makeTelemetryEvent(overrides: Partial<TelemetryEventRecord> = {}): TelemetryEventRecord {
  return {
    id: newObjectId(),
    ts: new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000 + 250),
    kind: 'job_result',
    runtime: 'lava-test',
    device_type: 'rpi4',
    device_id: 'rpi4-01',
    job_name: 'baseline',
    test_name: null,
    job_id: '42',
    node_id: null,
    tree: 'mainline',
    branch: 'master',
    arch: 'arm64',
    result: 'pass',
    is_infra_error: false,
    error_type: null,
    error_msg: null,
    retry: 0,
    extra: { attempt: { n: 1 }, tags: ['a'] },
    ...overrides,
  };
}

export function describeTelemetryKvQueuesContract(getStorage: () => Storage): void {
  describe('telemetry', () => {
    it('stores 1,000 events in one call and reads every field back', async () => {
      const storage = getStorage();
      const runtime = unique('bulk');
      const events = Array.from({ length: 1000 }, (_, i) => makeTelemetryEvent({ runtime, job_id: String(i), ts: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)) }));
      expect(await storage.telemetry.insertMany(events)).toBe(1000);
      const page = await storage.telemetry.find({ equals: { runtime } }, { limit: 3, offset: 0 });
      expect(page.total).toBe(1000);
      expect(page.items).toEqual(events.slice(0, 3));
    });

    it('filters by since/until (inclusive), exact fields, booleans, and matches nothing for an impossible filter', async () => {
      const storage = getStorage();
      const runtime = unique('find');
      const at = (minute: number) => new Date(Date.UTC(2026, 1, 1, 10, minute));
      await storage.telemetry.insertMany([
        makeTelemetryEvent({ runtime, ts: at(0), kind: 'job_submission' }),
        makeTelemetryEvent({ runtime, ts: at(10), is_infra_error: true, result: 'incomplete' }),
        makeTelemetryEvent({ runtime, ts: at(20), device_type: null }),
      ]);
      const ids = async (filter: Parameters<Storage['telemetry']['find']>[0]) =>
        (await storage.telemetry.find(filter, { limit: 10, offset: 0 })).items.map((e) => e.ts.getUTCMinutes());
      expect(await ids({ equals: { runtime }, since: at(10) })).toEqual([10, 20]);
      expect(await ids({ equals: { runtime }, until: at(10) })).toEqual([0, 10]);
      expect(await ids({ equals: { runtime, is_infra_error: true } })).toEqual([10]);
      expect(await ids({ equals: { runtime, kind: 'job_submission' } })).toEqual([0]);
      expect(await ids({ equals: { runtime, device_type: null } })).toEqual([20]);
      expect(await ids({ equals: { runtime }, matchesNothing: true })).toEqual([]);
      expect((await storage.telemetry.find({ equals: { runtime } }, { limit: 1, offset: 2 })).items.map((e) => e.ts.getUTCMinutes())).toEqual([20]);
    });

    it('counts results per group in the database, largest total first, lab as runtime', async () => {
      const storage = getStorage();
      const runtime = unique('stats');
      await storage.telemetry.insertMany([
        makeTelemetryEvent({ runtime, device_type: 'a', result: 'pass' }),
        makeTelemetryEvent({ runtime, device_type: 'b', result: 'fail' }),
        makeTelemetryEvent({ runtime, device_type: 'b', result: 'incomplete', is_infra_error: true }),
        makeTelemetryEvent({ runtime, device_type: 'b', result: 'skip' }),
        makeTelemetryEvent({ runtime, device_type: null, result: null, kind: 'runtime_error' }),
      ]);
      const rows = await storage.telemetry.stats(['lab', 'device_type'], { equals: { runtime, kind: 'job_result' } });
      expect(rows.map((row) => ({ ...row }))).toEqual([
        { lab: runtime, device_type: 'b', total: 3, pass: 0, fail: 1, incomplete: 1, skip: 1, infra_error: 1 },
        { lab: runtime, device_type: 'a', total: 1, pass: 1, fail: 0, incomplete: 0, skip: 0, infra_error: 0 },
      ]);
      const all = await storage.telemetry.stats(['device_type'], { equals: { runtime } });
      expect(all.find((row) => row.device_type === null)?.total).toBe(1);
    });

    it('finds failing device groups over the window and counts runtime and submission errors', async () => {
      const storage = getStorage();
      const runtime = unique('anomaly');
      const since = new Date(Date.now() - 3600_000);
      const recent = (seconds: number) => new Date(Date.now() - seconds * 1000);
      await storage.telemetry.insertMany([
        makeTelemetryEvent({ runtime, device_type: 'bad', device_id: 'bad-1', result: 'incomplete', is_infra_error: true, ts: recent(30), error_type: 'Infrastructure', error_msg: 'newest' }),
        makeTelemetryEvent({ runtime, device_type: 'bad', device_id: 'bad-1', result: 'incomplete', is_infra_error: true, ts: recent(60), error_type: 'Bootloader', error_msg: 'older' }),
        makeTelemetryEvent({ runtime, device_type: 'bad', device_id: 'bad-2', result: 'fail', ts: recent(90) }),
        makeTelemetryEvent({ runtime, device_type: 'bad', device_id: '', result: 'fail', ts: recent(95) }),
        makeTelemetryEvent({ runtime, device_type: 'good', result: 'pass', ts: recent(30) }),
        makeTelemetryEvent({ runtime, device_type: 'good', result: 'pass', ts: recent(40) }),
        makeTelemetryEvent({ runtime, device_type: 'good', result: 'fail', ts: recent(50) }),
        makeTelemetryEvent({ runtime, device_type: 'bad', result: 'fail', ts: new Date(since.getTime() - 1000) }),
        makeTelemetryEvent({ runtime, kind: 'runtime_error', result: null, error_type: 'lab_down', ts: recent(10) }),
        makeTelemetryEvent({ runtime, kind: 'runtime_error', result: null, error_type: 'lab_down', ts: recent(20) }),
        makeTelemetryEvent({ runtime, kind: 'job_submission', result: null, error_type: 'rejected', ts: recent(20) }),
        makeTelemetryEvent({ runtime, kind: 'job_submission', result: null, error_type: null, ts: recent(20) }),
      ]);
      const byType = (await storage.telemetry.resultGroups({ since, scope: 'device_type', threshold: 0.5, minTotal: 3 })).filter((row) => row.runtime === runtime);
      expect(byType).toHaveLength(1);
      expect(byType[0]).toMatchObject({ runtime, device_type: 'bad', total: 4, fail: 2, incomplete: 2, infra_error: 2, latest_error_type: 'Infrastructure', latest_error_msg: 'newest' });
      expect(byType[0].last_seen).toBeInstanceOf(Date);
      const byDevice = (await storage.telemetry.resultGroups({ since, scope: 'device', threshold: 1, minTotal: 2 })).filter((row) => row.runtime === runtime);
      expect(byDevice.map((row) => [row.device_id, row.total, row.infra_error])).toEqual([['bad-1', 2, 2]]);
      const errors = (await storage.telemetry.errorCounts(since)).filter((row) => row.runtime === runtime);
      expect(errors.map((row) => ({ ...row }))).toEqual([
        { runtime, error_type: 'lab_down', count: 2 },
        { runtime, error_type: 'rejected', count: 1 },
      ]);
    });

    it('purges events older than the cutoff in bounded batches, oldest first', async () => {
      const storage = getStorage();
      const runtime = unique('purge');
      const old = new Date('2001-01-01T00:00:00Z');
      await storage.telemetry.insertMany([
        makeTelemetryEvent({ runtime, ts: old }),
        makeTelemetryEvent({ runtime, ts: new Date(old.getTime() + 1000) }),
        makeTelemetryEvent({ runtime, ts: new Date(old.getTime() + 2000) }),
        makeTelemetryEvent({ runtime }),
      ]);
      const cutoff = new Date('2001-01-02T00:00:00Z');
      expect(await storage.telemetry.purgeBatch(cutoff, 2)).toBe(2);
      const left = await storage.telemetry.find({ equals: { runtime } }, { limit: 10, offset: 0 });
      expect(left.items.map((e) => e.ts.getTime())).toEqual([old.getTime() + 2000, left.items[1].ts.getTime()]);
      expect(await storage.telemetry.purgeBatch(cutoff, 2)).toBe(1);
      expect((await storage.telemetry.find({ equals: { runtime } }, { limit: 10, offset: 0 })).total).toBe(1);
    });
  });

  describe('key/value store', () => {
    it('sets, replaces, reads and deletes namespaced values', async () => {
      const storage = getStorage();
      const ns = unique('ns');
      expect(await storage.keyValues.get(ns, 'k')).toBeNull();
      await storage.keyValues.set(ns, 'k', 'one');
      await storage.keyValues.set(ns, 'k', 'two ✓ "quoted"');
      await storage.keyValues.set(`${ns}x`, 'k', 'other');
      expect(await storage.keyValues.get(ns, 'k')).toBe('two ✓ "quoted"');
      expect(await storage.keyValues.delete(ns, 'k')).toBe(true);
      expect(await storage.keyValues.delete(ns, 'k')).toBe(false);
      expect(await storage.keyValues.get(ns, 'k')).toBeNull();
      expect(await storage.keyValues.get(`${ns}x`, 'k')).toBe('other');
    });
  });

  describe('queue lists', () => {
    it('pops in FIFO order per list, null when empty, and restores an item at its place', async () => {
      const storage = getStorage();
      const list = unique('list');
      for (const n of [1, 2, 3]) await storage.queues.push(list, { data: { n } });
      await storage.queues.push(`${list}-other`, { data: { n: 9 } });
      const first = await storage.queues.pop(list);
      expect(first?.event).toEqual({ data: { n: 1 } });
      await storage.queues.restore(list, first!);
      const order: unknown[] = [];
      for (let item = await storage.queues.pop(list); item; item = await storage.queues.pop(list)) order.push(item.event.data);
      expect(order).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(await storage.queues.pop(list)).toBeNull();
      expect((await storage.queues.depths())[`${list}-other`]).toBe(1);
    });

    it('hands each item to exactly one of many concurrent pops', async () => {
      const storage = getStorage();
      const list = unique('race');
      for (let n = 0; n < 20; n++) await storage.queues.push(list, { data: n });
      const popped = await Promise.all(Array.from({ length: 30 }, () => storage.queues.pop(list)));
      const values = popped.filter((item) => item !== null).map((item) => item!.event.data as number);
      expect(values.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n));
    });
  });
}
