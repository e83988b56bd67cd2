/**
 * Queue delivery rules on embedded PostgreSQL: a consumer whose connection closes between the claim
 * and the answer gets nothing and the item goes back to its place; a waiting pop wakes on a push and
 * answers null at POP_TIMEOUT_SECONDS.
 */
import { loadConfig } from '../config/config';
import { InProcessNotifier } from '../events/notifier/in-process.notifier';
import type { Storage } from '../storage/ports';
import { openStorage } from '../storage/storage.module';
import { MetricsService } from '../system/metrics.service';
import { QueuesService, type PopConsumer } from './queues.service';

/** A consumer whose connection closes at a chosen moment. */
class FakeConsumer implements PopConsumer {
  closed = false;
  private readonly callbacks: (() => void)[] = [];
  gone = () => this.closed;
  onGone(callback: () => void): void {
    if (this.closed) callback();
    else this.callbacks.push(callback);
  }
  close(): void {
    this.closed = true;
    for (const callback of this.callbacks.splice(0)) callback();
  }
}

describe('QueuesService', () => {
  let storage: Storage;
  let queues: QueuesService;
  const metrics = new MetricsService();

  beforeAll(async () => {
    const config = loadConfig({ DATABASE_URL: 'pglite:memory', SECRET_KEY: 'x', POP_TIMEOUT_SECONDS: '1' });
    storage = await openStorage(config);
    queues = new QueuesService(storage, config, new InProcessNotifier(), metrics);
  });
  afterAll(async () => {
    queues.onModuleDestroy();
    await storage.close();
  });

  it('puts an item back at its place when the consumer goes away after the claim, before the answer is written', async () => {
    for (const n of [1, 2]) await queues.push('put-back', { data: n });
    const consumer = new FakeConsumer();
    const first = await queues.pop('put-back', consumer);
    expect(first).toMatchObject({ data: 1 });
    consumer.close(); // the connection closed before the answer went out
    await new Promise((r) => setTimeout(r, 50));
    const next = new FakeConsumer();
    expect(await queues.pop('put-back', next)).toMatchObject({ data: 1, id: (first as { id: string }).id });
    expect(await queues.pop('put-back', next)).toMatchObject({ data: 2 });
  });

  it('claims nothing for a consumer that is already gone', async () => {
    await queues.push('already-gone', { data: 'x' });
    const gone = new FakeConsumer();
    gone.close();
    expect(await queues.pop('already-gone', gone)).toBeNull();
    expect(await storage.queues.depths()).toMatchObject({ 'already-gone': 1 });
  });

  it('wakes a waiting pop on a push, and answers null after POP_TIMEOUT_SECONDS', async () => {
    const started = Date.now();
    const consumer = new FakeConsumer();
    const waiting = queues.pop('wake', consumer);
    await new Promise((r) => setTimeout(r, 100));
    const rendered = await metrics.render();
    await queues.push('wake', { data: 'now', type: 'job', priority: 'high' });
    const event = await waiting;
    expect(rendered).toContain('queue_pops_waiting{instance="api"} 1');
    expect(Object.keys(event!)).toEqual(['specversion', 'id', 'source', 'type', 'time', 'data', 'priority']);
    expect(Date.now() - started).toBeLessThan(900); // woken, not the 2 s safety poll
    const before = Date.now();
    expect(await queues.pop('wake', new FakeConsumer())).toBeNull();
    expect(Date.now() - before).toBeGreaterThanOrEqual(950);
  });
});
