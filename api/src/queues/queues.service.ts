/**
 * Queue lists (docs/queues-kv.md): `push` appends a CloudEvent to a named FIFO in the database,
 * `pop` hands the oldest item to exactly one consumer. A pop waits for an item at most
 * POP_TIMEOUT_SECONDS, woken by the notifier (in process, or Redis across replicas) and by a
 * safety poll, since a notification is only a hint.
 *
 * Delivery: an item is removed when a pop claims it. If the consumer's connection closes before
 * the answer was fully written, the item is put back at its original position, so it is popped
 * again by the next consumer (at-least-once for consumers that go away, exactly-once otherwise).
 */
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { buildCloudEvent, type CloudEventJson } from '../events/cloud-event';
import { EVENT_NOTIFIER, type EventNotifier } from '../events/notifier/notifier.port';
import { STORAGE, type QueueItem, type Storage } from '../storage/ports';
import { MetricsService } from '../system/metrics.service';

/** Safety poll while waiting: a lost notification delays a pop by at most this. */
export const POP_POLL_MS = 2_000;

/** What a pop knows about its consumer's connection. */
export interface PopConsumer {
  /** True once the connection closed before the answer was written. */
  gone(): boolean;
  /** Called when the connection closes before the answer was written (at once when it already has). */
  onGone(callback: () => void): void;
}

const CLOUD_EVENT_KEYS = ['specversion', 'id', 'source', 'type', 'time', 'data'];

/** The CloudEvent's keys in wire order (PostgreSQL's jsonb does not keep the order). */
function cloudEventOrder(event: Record<string, unknown>): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const key of CLOUD_EVENT_KEYS) if (key in event) ordered[key] = event[key];
  return Object.assign(ordered, event);
}

@Injectable()
export class QueuesService implements OnModuleDestroy {
  private readonly logger = new Logger('Queues');
  private readonly waiting: Gauge;
  private readonly wakers = new Map<string, Set<() => void>>();
  private readonly unsubscribe: () => void;
  private stopped = false;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_NOTIFIER) private readonly notifier: EventNotifier,
    metrics: MetricsService,
  ) {
    this.waiting = new Gauge({ name: 'queue_pops_waiting', help: 'GET /pop requests of this replica waiting for an item', registers: [metrics.registry] });
    const storageRef = storage;
    new Gauge({
      name: 'queue_depth',
      help: 'Items waiting in each queue list',
      labelNames: ['list'],
      registers: [metrics.registry],
      async collect() {
        this.reset();
        const depths = await storageRef.queues.depths().catch(() => ({}) as Record<string, number>);
        for (const [list, depth] of Object.entries(depths)) this.set({ list }, depth);
      },
    });
    this.unsubscribe = notifier.subscribe((message) => {
      if (message.kind !== 'queue') return;
      for (const wake of [...(this.wakers.get(message.list) ?? [])]) wake();
    });
  }

  /** Waiting pops answer null at shutdown. */
  onModuleDestroy(): void {
    this.stopped = true;
    this.unsubscribe();
    for (const set of this.wakers.values()) for (const wake of set) wake();
  }

  /** Builds the CloudEvent (KernelCI: every key but `data` is an attribute) and appends it. */
  async push(list: string, body: Record<string, unknown>): Promise<CloudEventJson> {
    const { data, type, source, ...attributes } = body;
    const ce = buildCloudEvent({
      data,
      type: typeof type === 'string' ? type : undefined,
      source: typeof source === 'string' ? source : this.config.cloudEventsSource,
      attributes,
      now: new Date(),
    });
    const event: CloudEventJson = { specversion: ce.specversion, id: ce.id, source: ce.source, type: ce.type, time: ce.time, data, ...ce.extensions };
    await this.storage.queues.push(list, event);
    this.notifier.publish({ kind: 'queue', list });
    return event;
  }

  /** The oldest item, or null after POP_TIMEOUT_SECONDS (or when the consumer went away first). */
  async pop(list: string, consumer: PopConsumer): Promise<Record<string, unknown> | null> {
    const deadline = Date.now() + this.config.popTimeoutSeconds * 1000;
    this.waiting.inc();
    try {
      for (;;) {
        if (consumer.gone() || this.stopped) return null;
        const item = await this.storage.queues.pop(list);
        if (item) return this.deliver(list, item, consumer);
        const left = deadline - Date.now();
        if (left <= 0) return null;
        await this.nap(list, Math.min(left, POP_POLL_MS), consumer);
      }
    } finally {
      this.waiting.dec();
    }
  }

  /** Hands the item over, or puts it back when the consumer is gone or goes before the answer is written. */
  private async deliver(list: string, item: QueueItem, consumer: PopConsumer): Promise<Record<string, unknown> | null> {
    let restored = false;
    const restore = () => {
      if (restored) return;
      restored = true;
      this.storage.queues.restore(list, item).then(
        () => {
          this.logger.warn(`a consumer of '${list}' went away before receiving item ${item.position}: put back`);
          this.notifier.publish({ kind: 'queue', list });
        },
        (error: Error) => this.logger.error(`putting item ${item.position} back on '${list}' failed: ${error.message}`),
      );
    };
    if (consumer.gone()) {
      restore();
      return null;
    }
    consumer.onGone(restore);
    return cloudEventOrder(item.event);
  }

  private nap(list: string, ms: number, consumer: PopConsumer): Promise<void> {
    return new Promise((resolve) => {
      const set = this.wakers.get(list) ?? new Set<() => void>();
      this.wakers.set(list, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.wakers.get(list) === set) this.wakers.delete(list);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
      consumer.onGone(done);
    });
  }
}
