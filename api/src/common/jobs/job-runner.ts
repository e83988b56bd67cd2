/**
 * The one runner of background jobs (node lifecycle, node purge, events maintenance, idempotency
 * clean-up, the event outbox). Every job gets the same rules:
 *  - no overlap: the next run is scheduled when the previous one has ended (a trigger during a run
 *    queues one more run);
 *  - one replica at a time when the job names a lease (the database lease of the storage port);
 *  - retry after a failure, with a fixed delay or exponential back-off;
 *  - one log line per failure and per run that did something; stop on shutdown, waiting for the
 *    running pass (jobs see an aborted signal and stop between batches).
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { STORAGE, type LeaseRepository, type Storage } from '../../storage/ports';

export interface JobContext {
  /** Aborted when the application shuts down: stop between batches. */
  readonly signal: AbortSignal;
  /** Renews the job's lease before a long step; false when it was lost (stop). Always true without a lease. */
  renewLease(): Promise<boolean>;
}

export type RetryPolicy = { afterMs: number } | { initialMs: number; maxMs: number };

export interface JobOptions {
  /** Name in logs, and the lease name. */
  name: string;
  /** Time from the end of one run to the start of the next; absent: the job runs only when triggered. */
  everyMs?: number;
  /** Delay before the first run (default `everyMs`). */
  firstRunAfterMs?: number;
  /** After a failure (default: the next period, or back-off from 100 ms to 5 s for triggered jobs). */
  retry?: RetryPolicy;
  /** Run on one replica at a time under a database lease held this long (renewed by `renewLease`). */
  leaseTtlMs?: number;
  /** A disabled job is never scheduled (triggers and `runNow` still run it). */
  enabled?: boolean;
  /** One pass. Returns a summary to log (nothing when there was nothing to do); throws to be retried. */
  run(context: JobContext): Promise<string | void>;
}

export const SKIPPED = Symbol('skipped: another replica holds the lease');

const DEFAULT_BACKOFF = { initialMs: 100, maxMs: 5_000 };

class ScheduledJob {
  timer: NodeJS.Timeout | undefined;
  running: Promise<unknown> | undefined;
  rerun = false;
  failures = 0;
  constructor(readonly options: JobOptions) {}
}

/** Leased, non-overlapping timers for every background job (docs/architecture.md). */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Jobs');
  private readonly jobs = new Map<string, ScheduledJob>();
  private readonly holder = `${process.pid}-${randomUUID()}`;
  private readonly stop = new AbortController();
  private started = false;
  private readonly leases: LeaseRepository;

  constructor(@Inject(STORAGE) storage: Pick<Storage, 'leases'>) {
    this.leases = storage.leases;
  }

  /** Adds a job; it is scheduled when the application has started (at once if it already has). */
  register(options: JobOptions): void {
    if (this.jobs.has(options.name)) throw new Error(`job ${options.name} is registered twice`);
    const job = new ScheduledJob(options);
    this.jobs.set(options.name, job);
    if (this.started) this.scheduleFirst(job);
  }

  onApplicationBootstrap(): void {
    this.started = true;
    for (const job of this.jobs.values()) this.scheduleFirst(job);
  }

  /** Stops every timer, tells running passes to stop, waits for them, and gives the leases up. */
  async onModuleDestroy(): Promise<void> {
    this.stop.abort();
    for (const job of this.jobs.values()) clearTimeout(job.timer);
    await Promise.all([...this.jobs.values()].map((job) => job.running));
    for (const job of this.jobs.values()) {
      if (job.options.leaseTtlMs !== undefined) await this.leases.release(job.options.name, this.holder).catch(() => undefined);
    }
  }

  /**
   * Runs a job soon (a periodic one too, ahead of its period); if it is running, once more after
   * the current pass. A job waiting out a failure's back-off keeps waiting.
   */
  trigger(name: string): void {
    const job = this.get(name);
    if (this.stop.signal.aborted) return;
    if (job.running) {
      job.rerun = true;
      return;
    }
    if (job.timer === undefined || job.failures === 0) this.schedule(job, 0);
  }

  /**
   * One pass now, outside the schedule (tests, tools), after any pass in progress, under the job's
   * lease. `run` replaces the job's own pass (e.g. to get a report instead of a log line). Returns
   * its result, or {@link SKIPPED} when another replica holds the lease; throws its error.
   */
  async runNow<T = string | void>(name: string, run?: (context: JobContext) => Promise<T>): Promise<T | typeof SKIPPED> {
    const job = this.get(name);
    while (job.running) await job.running.catch(() => undefined);
    const pass = this.pass(job, run ?? (job.options.run as (context: JobContext) => Promise<T>));
    job.running = pass;
    try {
      return await pass;
    } finally {
      job.running = undefined;
    }
  }

  private get(name: string): ScheduledJob {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`no job named ${name}`);
    return job;
  }

  private scheduleFirst(job: ScheduledJob): void {
    const { everyMs, firstRunAfterMs, enabled } = job.options;
    if (enabled === false || everyMs === undefined) return;
    this.schedule(job, firstRunAfterMs ?? everyMs);
  }

  private schedule(job: ScheduledJob, delayMs: number): void {
    if (this.stop.signal.aborted) return;
    clearTimeout(job.timer);
    job.timer = setTimeout(() => {
      job.timer = undefined;
      void this.tick(job);
    }, delayMs);
    job.timer.unref();
  }

  private async tick(job: ScheduledJob): Promise<void> {
    while (job.running) await job.running.catch(() => undefined);
    if (this.stop.signal.aborted) return;
    const pass = this.pass(job, job.options.run);
    job.running = pass;
    let next: number | undefined;
    try {
      const summary = await pass;
      job.failures = 0;
      if (typeof summary === 'string') this.logger.log(`${job.options.name}: ${summary}`);
      next = job.options.enabled === false ? undefined : job.options.everyMs;
    } catch (error) {
      job.failures++;
      next = this.retryDelay(job);
      this.logger.error(`${job.options.name} failed (attempt ${job.failures}), retrying in ${formatMs(next)}: ${(error as Error).message}`);
    } finally {
      job.running = undefined;
    }
    if (job.rerun) {
      job.rerun = false;
      next = Math.min(next ?? 0, 0);
    }
    if (next !== undefined) this.schedule(job, next);
  }

  private retryDelay(job: ScheduledJob): number {
    const retry = job.options.retry ?? (job.options.everyMs === undefined ? DEFAULT_BACKOFF : { afterMs: job.options.everyMs });
    if ('afterMs' in retry) return retry.afterMs;
    return Math.min(retry.maxMs, retry.initialMs * 2 ** (job.failures - 1));
  }

  private async pass<T>(job: ScheduledJob, run: (context: JobContext) => Promise<T>): Promise<T | typeof SKIPPED> {
    const { name, leaseTtlMs } = job.options;
    const renewLease = async (): Promise<boolean> =>
      leaseTtlMs === undefined || (!this.stop.signal.aborted && (await this.leases.tryAcquire(name, this.holder, leaseTtlMs)));
    if (!(await renewLease())) return SKIPPED;
    return run({ signal: this.stop.signal, renewLease });
  }
}

function formatMs(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}
