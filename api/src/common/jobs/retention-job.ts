/**
 * A retention job: deletes rows older than a cut-off in batches (batched-delete.ts), as a leased
 * periodic job of the job runner, with a counter of what it deleted. The node purge and the
 * telemetry purge are retention jobs; each says only what it deletes, when, and how it counts.
 */
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { STORAGE, type Storage } from '../../storage/ports';
import { MetricsService } from '../../system/metrics.service';
import { deleteInBatches } from './batched-delete';
import { JobRunner, SKIPPED, type JobContext } from './job-runner';

export interface RetentionSchedule {
  /** The job's (and its lease's) name. */
  name: string;
  enabled: boolean;
  firstRunAfterMs: number;
  everyMs: number;
  /** When to try again after a failed run. */
  retryAfterMs: number;
  /** The lease outlives a batch comfortably and is renewed before each one. */
  leaseTtlMs: number;
  batch: number;
  /** The counter of deleted rows: name and help. */
  metric: [string, string];
}

@Injectable()
export abstract class RetentionJob implements OnModuleInit {
  /** Pause between batches (1 s); tests shorten it. */
  pauseMs = 1000;
  #purged: Counter | undefined;

  constructor(
    @Inject(STORAGE) protected readonly storage: Storage,
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly jobs: JobRunner,
  ) {}

  protected abstract schedule(): RetentionSchedule;
  /** Rows written before this time are deleted by a run at `now`. */
  protected abstract cutoff(now: Date): Date;
  /** Deletes at most `batch` rows older than `before`; returns how many. */
  protected abstract deleteBatch(before: Date, batch: number): Promise<number>;
  /** The job's log line for a run that deleted something. */
  protected abstract summary(deleted: number, before: Date): string;

  onModuleInit(): void {
    const schedule = this.schedule();
    this.#purged = this.metrics.counter(...schedule.metric);
    this.jobs.register({
      name: schedule.name,
      enabled: schedule.enabled,
      firstRunAfterMs: schedule.firstRunAfterMs,
      everyMs: schedule.everyMs,
      retry: { afterMs: schedule.retryAfterMs },
      leaseTtlMs: schedule.leaseTtlMs,
      run: async (context) => {
        const { deleted, before } = await this.purge(context, new Date());
        return deleted > 0 ? this.summary(deleted, before) : undefined;
      },
    });
  }

  /** One purge now; returns how many rows it deleted, or null when another replica holds the lease. */
  async runOnce(now = new Date()): Promise<number | null> {
    const outcome = await this.jobs.runNow(this.schedule().name, (context) => this.purge(context, now));
    return outcome === SKIPPED ? null : outcome.deleted;
  }

  /** Deletes batch after batch, renewing the lease before each one, until a batch comes back short. */
  private async purge(context: JobContext, now: Date): Promise<{ deleted: number; before: Date }> {
    const before = this.cutoff(now);
    const { batch } = this.schedule();
    const deleted = await deleteInBatches(context, {
      deleteBatch: (size) => this.deleteBatch(before, size),
      batch,
      pauseMs: this.pauseMs,
      onDeleted: (count) => this.#purged?.inc(count),
    });
    return { deleted, before };
  }
}
