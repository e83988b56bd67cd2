/**
 * Telemetry retention on PostgreSQL: deletes events older than TELEMETRY_TTL_SECONDS in batches
 * of 10,000, oldest first, with a 1 s pause, one replica at a time through the job runner's lease;
 * one minute after start, then hourly. On MongoDB the TTL index on `ts` does this, so the job is off.
 */
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { deleteInBatches } from '../common/jobs/batched-delete';
import { JobRunner, SKIPPED, type JobContext } from '../common/jobs/job-runner';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { STORAGE, type Storage } from '../storage/ports';
import { MetricsService } from '../system/metrics.service';

const BATCH = 10_000;
const FIRST_RUN_MS = 60 * 1000;
const PERIOD_MS = 60 * 60 * 1000;
const LEASE = 'telemetry-purge';
const LEASE_TTL_MS = 5 * 60 * 1000;

@Injectable()
export class TelemetryPurgeService implements OnModuleInit {
  private readonly purged: Counter;
  /** Pause between batches; tests shorten it. */
  pauseMs = 1000;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: MetricsService,
    private readonly jobs: JobRunner,
  ) {
    this.purged = metrics.counter('telemetry_events_purged', 'Telemetry events deleted by the retention purge');
  }

  onModuleInit(): void {
    this.jobs.register({
      name: LEASE,
      enabled: this.storage.adapter === 'postgres',
      firstRunAfterMs: FIRST_RUN_MS,
      everyMs: PERIOD_MS,
      retry: { afterMs: PERIOD_MS },
      leaseTtlMs: LEASE_TTL_MS,
      run: async (context) => {
        const { deleted, before } = await this.purge(context, new Date());
        return deleted > 0 ? `purged ${deleted} telemetry events older than ${before.toISOString()}` : undefined;
      },
    });
  }

  /** One purge now; returns how many events it deleted, or null when another replica holds the lease. */
  async runOnce(now = new Date()): Promise<number | null> {
    const outcome = await this.jobs.runNow(LEASE, (context) => this.purge(context, now));
    return outcome === SKIPPED ? null : outcome.deleted;
  }

  private async purge(context: JobContext, now: Date): Promise<{ deleted: number; before: Date }> {
    const before = new Date(now.getTime() - this.config.telemetryTtlSeconds * 1000);
    const deleted = await deleteInBatches(context, {
      deleteBatch: (batch) => this.storage.telemetry.purgeBatch(before, batch),
      batch: BATCH,
      pauseMs: this.pauseMs,
      onDeleted: (count) => this.purged.inc(count),
    });
    return { deleted, before };
  }
}
