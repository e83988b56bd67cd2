import type { LeaseRepository } from '../../storage/ports';
import { JobRunner, SKIPPED } from './job-runner';

/** An in-memory lease table with the port's semantics (one holder until expiry). */
class Leases implements LeaseRepository {
  readonly held = new Map<string, { holder: string; until: number }>();
  async tryAcquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const lease = this.held.get(name);
    if (lease && lease.holder !== holder && lease.until > Date.now()) return false;
    this.held.set(name, { holder, until: Date.now() + ttlMs });
    return true;
  }
  async release(name: string, holder: string): Promise<void> {
    if (this.held.get(name)?.holder === holder) this.held.delete(name);
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 2));
}

describe('JobRunner', () => {
  let leases: Leases;
  let runners: JobRunner[];
  const runner = () => {
    const created = new JobRunner({ leases });
    runners.push(created);
    return created;
  };
  beforeEach(() => {
    leases = new Leases();
    runners = [];
  });
  afterEach(async () => {
    for (const r of runners) await r.onModuleDestroy();
  });

  it('runs a periodic job again only after the previous pass ended', async () => {
    const jobs = runner();
    let active = 0;
    let maxActive = 0;
    let passes = 0;
    jobs.register({
      name: 'slow',
      everyMs: 1,
      run: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 10));
        active--;
        passes++;
      },
    });
    jobs.onApplicationBootstrap();
    await until(() => passes >= 3);
    expect(maxActive).toBe(1);
  });

  it('does not schedule a disabled job, and runNow still runs it', async () => {
    const jobs = runner();
    let passes = 0;
    jobs.register({ name: 'off', everyMs: 1, enabled: false, run: async () => void passes++ });
    jobs.onApplicationBootstrap();
    await new Promise((r) => setTimeout(r, 20));
    expect(passes).toBe(0);
    await jobs.runNow('off');
    expect(passes).toBe(1);
  });

  it('lets one replica at a time run a leased job', async () => {
    const [a, b] = [runner(), runner()];
    for (const jobs of [a, b]) jobs.register({ name: 'leased', leaseTtlMs: 60_000, run: async () => 'ran' });
    expect(await a.runNow('leased')).toBe('ran');
    expect(await b.runNow('leased')).toBe(SKIPPED);
    expect(await a.runNow('leased')).toBe('ran');
    await a.onModuleDestroy(); // gives the lease up
    expect(await b.runNow('leased')).toBe('ran');
  });

  it('runs a periodic job at once when triggered, ahead of its period, then keeps the period', async () => {
    const jobs = runner();
    let passes = 0;
    jobs.register({ name: 'hourly', everyMs: 3_600_000, run: async () => void passes++ });
    jobs.onApplicationBootstrap();
    jobs.trigger('hourly');
    await until(() => passes === 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(passes).toBe(1);
  });

  it('keeps a failing periodic job in its back-off when triggered', async () => {
    const jobs = runner();
    let passes = 0;
    jobs.register({ name: 'down', everyMs: 3_600_000, firstRunAfterMs: 0, retry: { afterMs: 3_600_000 }, run: async () => {
      passes++;
      throw new Error('store unavailable');
    } });
    jobs.onApplicationBootstrap();
    await until(() => passes === 1);
    jobs.trigger('down');
    await new Promise((r) => setTimeout(r, 20));
    expect(passes).toBe(1);
  });

  it('retries a failed triggered job with back-off until it succeeds', async () => {
    const jobs = runner();
    const attempts: number[] = [];
    jobs.register({
      name: 'flaky',
      retry: { initialMs: 1, maxMs: 4 },
      run: async () => {
        attempts.push(Date.now());
        if (attempts.length < 4) throw new Error('store unavailable');
        return 'stored';
      },
    });
    jobs.onApplicationBootstrap();
    jobs.trigger('flaky');
    await until(() => attempts.length >= 4);
    await new Promise((r) => setTimeout(r, 20));
    expect(attempts).toHaveLength(4);
  });

  it('queues one more pass when triggered during a pass', async () => {
    const jobs = runner();
    const gate = deferred();
    let passes = 0;
    jobs.register({
      name: 'queue',
      run: async () => {
        passes++;
        if (passes === 1) await gate.promise;
      },
    });
    jobs.onApplicationBootstrap();
    jobs.trigger('queue');
    await until(() => passes === 1);
    jobs.trigger('queue');
    jobs.trigger('queue');
    gate.resolve();
    await until(() => passes === 2);
    await new Promise((r) => setTimeout(r, 20));
    expect(passes).toBe(2);
  });

  it('stops on shutdown: waits for the running pass, which sees the aborted signal, and schedules nothing more', async () => {
    const jobs = runner();
    let passes = 0;
    let sawAbort = false;
    jobs.register({
      name: 'long',
      everyMs: 1,
      run: async ({ signal }) => {
        passes++;
        while (!signal.aborted) await new Promise((r) => setTimeout(r, 2));
        sawAbort = true;
      },
    });
    jobs.onApplicationBootstrap();
    await until(() => passes === 1);
    await jobs.onModuleDestroy();
    expect(sawAbort).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(passes).toBe(1);
  });

  it('refuses a job name registered twice', () => {
    const jobs = runner();
    jobs.register({ name: 'x', run: async () => undefined });
    expect(() => jobs.register({ name: 'x', run: async () => undefined })).toThrow('job x is registered twice');
  });
});
