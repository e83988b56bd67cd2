/**
 * Node purge (contract §9.2): deletes nodes older than NODE_PURGE_AGE_DAYS except checkouts, in
 * batches of 10,000 ids in id order with a 1 s pause, 10 minutes after start and then daily (an
 * hour later after a failure). One replica at a time, through a database lease. No events.
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Counter } from 'prom-client';
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
export class NodePurgeService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('NodePurge');
  private readonly holder = randomUUID();
  private readonly purged: Counter;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Pause between batches (contract §9.2: 1 s); tests shorten it. */
  pauseMs = 1000;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    this.purged = metrics.counter('nodes_purged', 'Nodes deleted by the node purge');
  }

  onApplicationBootstrap(): void {
    if (this.config.nodePurgeAgeDays > 0) this.schedule(FIRST_RUN_MS);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.runOnce().then(
        () => this.schedule(PERIOD_MS),
        (error: Error) => {
          this.logger.error(`node purge failed, retrying in 1 h: ${error.message}`);
          this.schedule(RETRY_MS);
        },
      );
    }, delayMs);
    this.timer.unref();
  }

  /** One purge; returns how many nodes it deleted, or null when another replica holds the lease. */
  async runOnce(now = new Date()): Promise<number | null> {
    if (this.config.nodePurgeAgeDays <= 0) return 0;
    const before = new Date(now.getTime() - this.config.nodePurgeAgeDays * 24 * 60 * 60 * 1000);
    let total = 0;
    try {
      for (;;) {
        if (this.stopped || !(await this.storage.leases.tryAcquire(LEASE, this.holder, LEASE_TTL_MS))) {
          return total === 0 ? null : total;
        }
        const deleted = await this.storage.nodes.purgeBatch(before, PURGE_BATCH);
        total += deleted;
        this.purged.inc(deleted);
        if (deleted < PURGE_BATCH) break;
        await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
      }
    } finally {
      await this.storage.leases.release(LEASE, this.holder).catch(() => undefined);
    }
    if (total > 0) this.logger.log(`purged ${total} nodes created before ${before.toISOString()}`);
    return total;
  }
}
