import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { JobRunner, SKIPPED } from '../common/jobs/job-runner';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { STORAGE, type Storage } from '../storage/ports';
import { MetricsService } from '../system/metrics.service';

/** The reaper runs every 15 minutes (docs/events.md#http-pubsub-kernelci-compatible); retention and cursor expiry ride along. */
export const MAINTENANCE_INTERVAL_MS = 15 * 60 * 1000;
const LEASE_NAME = 'events-maintenance';

export interface MaintenanceReport {
  subscriptionsCleaned: number;
  eventsPurged: number;
  subscriberStatesPurged: number;
}

/**
 * Background duties of the event log, run by one replica at a time under a lease (docs/architecture.md):
 * stale-subscription reaping (docs/events.md#http-pubsub-kernelci-compatible), event retention (docs/events.md#the-log) and durable-cursor expiry (docs/events.md#durable-subscribers).
 * At start-up it also raises the sequence counter above stored data (docs/deployment.md#running-on-mongodb).
 */
@Injectable()
export class EventsMaintenanceService implements OnModuleInit, OnApplicationBootstrap {
  private readonly cleaned: Counter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(STORAGE) private readonly storage: Storage,
    metrics: MetricsService,
    private readonly jobs: JobRunner,
  ) {
    this.cleaned = metrics.counter('subscriptions_cleaned', 'Stale subscriptions removed by the reaper');
  }

  onModuleInit(): void {
    this.jobs.register({
      name: LEASE_NAME,
      everyMs: MAINTENANCE_INTERVAL_MS,
      // Held for half a period and not released: the other replicas skip this period.
      leaseTtlMs: MAINTENANCE_INTERVAL_MS / 2,
      run: async () => {
        const { subscriptionsCleaned, eventsPurged, subscriberStatesPurged } = await this.runOnce();
        if (subscriptionsCleaned + eventsPurged + subscriberStatesPurged === 0) return undefined;
        return `removed ${subscriptionsCleaned} stale subscription(s), ${eventsPurged} expired event(s), ${subscriberStatesPurged} idle cursor(s)`;
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.storage.events.reconcileSequence();
  }

  /** One period's work, when this replica holds the lease. */
  async runIfLeader(): Promise<MaintenanceReport | null> {
    const report = await this.jobs.runNow(LEASE_NAME, () => this.runOnce());
    return report === SKIPPED ? null : report;
  }

  /** One period's work, unconditionally. */
  async runOnce(now = new Date()): Promise<MaintenanceReport> {
    const subscriptionsCleaned = await this.storage.subscriptions.deleteIdle(new Date(now.getTime() - this.config.subscriptionIdleSeconds * 1000));
    if (subscriptionsCleaned > 0) this.cleaned.inc(subscriptionsCleaned);
    const eventsPurged = await this.storage.events.purgeOlderThan(new Date(now.getTime() - this.config.eventHistoryTtlSeconds * 1000));
    const subscriberStatesPurged = await this.storage.subscriberStates.deleteIdle(
      new Date(now.getTime() - this.config.subscriberStateTtlDays * 24 * 3600 * 1000),
    );
    return { subscriptionsCleaned, eventsPurged, subscriberStatesPurged };
  }
}
