/**
 * Node purge (docs/nodes.md#purge): deletes nodes older than NODE_PURGE_AGE_DAYS except checkouts, in
 * batches of 10,000 ids in id order with a 1 s pause, 10 minutes after start and then daily (an
 * hour later after a failure). One replica at a time, through a database lease. No events.
 */
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { deleteInBatches } from '../common/jobs/batched-delete';
import { JobRunner, SKIPPED, type JobContext } from '../common/jobs/job-runner';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { STORAGE, type Storage } from '../storage/ports';
import { MetricsService } from '../system/metrics.service';

export const PURGE_BATCH = 10_000;
const FIRST_RUN_MS = 10 * 60 * 1000;
const PERIOD_MS = 24 * 60 * 60 * 1000;
const RETRY_MS = 60 * 60 * 1000;
const LEASE = 'node-purge';
/** The lease outlives a batch comfortably and is renewed before each one. */
const LEASE_TTL_MS = 5 * 60 * 1000;

@Injectable()
export class NodePurgeService implements OnModuleInit {
  private readonly purged: Counter;
  /** Pause between batches (docs/nodes.md#purge: 1 s); tests shorten it. */
  pauseMs = 1000;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: MetricsService,
    private readonly jobs: JobRunner,
  ) {
    this.purged = metrics.counter('nodes_purged', 'Nodes deleted by the node purge');
  }

  onModuleInit(): void {
    this.jobs.register({
      name: LEASE,
      enabled: this.config.nodePurgeAgeDays > 0,
      firstRunAfterMs: FIRST_RUN_MS,
      everyMs: PERIOD_MS,
      retry: { afterMs: RETRY_MS },
      leaseTtlMs: LEASE_TTL_MS,
      run: async (context) => {
        const { deleted, before } = await this.purge(context, new Date());
        return deleted > 0 ? `purged ${deleted} nodes created before ${before.toISOString()}` : undefined;
      },
    });
  }

  /** One purge now; returns how many nodes it deleted, or null when another replica holds the lease. */
  async runOnce(now = new Date()): Promise<number | null> {
    if (this.config.nodePurgeAgeDays <= 0) return 0;
    const outcome = await this.jobs.runNow(LEASE, (context) => this.purge(context, now));
    return outcome === SKIPPED ? null : outcome.deleted;
  }

  /** Deletes batch after batch, renewing the lease before each one, until a batch comes back short. */
  private async purge(context: JobContext, now: Date): Promise<{ deleted: number; before: Date }> {
    const before = new Date(now.getTime() - this.config.nodePurgeAgeDays * 24 * 60 * 60 * 1000);
    const deleted = await deleteInBatches(context, {
      deleteBatch: (batch) => this.storage.nodes.purgeBatch(before, batch),
      batch: PURGE_BATCH,
      pauseMs: this.pauseMs,
      onDeleted: (count) => this.purged.inc(count),
    });
    return { deleted, before };
  }
}
