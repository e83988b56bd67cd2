import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { JobRunner } from '../common/jobs/job-runner';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { newObjectId } from '../common/object-id';
import { checkStoredText, MAX_KEY_LENGTH } from '../common/validation/limits';
import { STORAGE, type EventRecord, type NewEvent, type Repositories, type Storage } from '../storage/ports';
import { buildCloudEvent } from './cloud-event';
import type { NodeChange, NodeEventPublisher } from './node-events.port';
import { EVENT_NOTIFIER, type EventNotifier } from './notifier/notifier.port';

export interface PublishInput {
  channel: string;
  data: unknown;
  owner: string | null;
  type?: string;
  source?: string;
  attributes?: Record<string, unknown>;
}

/** The event payload of a node write: exactly the keys of docs/events.md#event-envelope, in that order. */
export function nodeEventPayload(change: NodeChange): Record<string, unknown> {
  const { node } = change;
  const payload: Record<string, unknown> = {
    op: change.op,
    id: node.id,
    kind: node.kind,
    name: node.name,
    path: node.path,
    group: node.group,
    state: node.state,
    result: node.result,
    owner: node.owner,
    data: node.data,
    is_hierarchy: change.isHierarchy ?? false,
  };
  if (change.op === 'updated') {
    payload.previous_state = change.previous?.state ?? null;
    payload.previous_result = change.previous?.result ?? null;
  }
  return payload;
}

const RETRY = { initialMs: 100, maxMs: 5_000 };
const OUTBOX_JOB = 'event-outbox';
/** The outbox is drained at start-up, after every commit that filled it, and then every minute. */
const OUTBOX_EVERY_MS = 60_000;
const OUTBOX_LEASE_MS = 60_000;
const OUTBOX_BATCH = 100;

/**
 * Appends events to the log (docs/events.md#the-log) inside the caller's unit of work and wakes
 * subscribers once it has committed. Also the node services' NodeEventPublisher.
 */
@Injectable()
export class EventLogService implements NodeEventPublisher, OnModuleInit {
  private readonly logger = new Logger('EventLog');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(EVENT_NOTIFIER) private readonly notifier: EventNotifier,
    private readonly jobs: JobRunner,
  ) {}

  /** Drains the durable outbox in order, on one replica at a time (docs/events.md). */
  onModuleInit(): void {
    this.jobs.register({
      name: OUTBOX_JOB,
      everyMs: OUTBOX_EVERY_MS,
      firstRunAfterMs: 0,
      leaseTtlMs: OUTBOX_LEASE_MS,
      retry: RETRY,
      run: (context) => this.drainOutbox(context.signal),
    });
  }

  /** Builds the CloudEvent and appends it through `tx` (a transaction or the storage itself). */
  async append(tx: Repositories, input: PublishInput): Promise<EventRecord> {
    return this.appendEvent(tx, this.newEvent(input));
  }

  private newEvent(input: PublishInput): NewEvent {
    const now = new Date();
    const ce = buildCloudEvent({
      data: input.data,
      source: input.source ?? this.config.cloudEventsSource,
      type: input.type,
      owner: input.owner,
      attributes: input.attributes,
      now,
    });
    return { id: newObjectId(), timestamp: now, channel: input.channel, owner: input.owner, data: input.data, ce };
  }

  private async appendEvent(tx: Repositories, newEvent: NewEvent): Promise<EventRecord> {
    const event = await tx.events.append(newEvent);
    tx.afterCommit(() => this.notifier.publish({ kind: 'events', sequenceId: event.sequenceId, channel: event.channel }));
    return event;
  }

/** `POST /publish/{channel}`: stored and delivered like any event. */
  async publish(input: PublishInput): Promise<EventRecord> {
    checkStoredText(input.channel, 'channel', MAX_KEY_LENGTH);
    const data = input.data !== null && typeof input.data === 'object' ? (input.data as Record<string, unknown>) : {};
    for (const key of ['kind', 'id']) checkStoredText(Object.hasOwn(data, key) ? data[key] : undefined, `data.${key}`, MAX_KEY_LENGTH);
    return this.storage.transaction((tx) => this.append(tx, input));
  }

  /**
   * Called inside the node write's transaction. Normally the event commits with the write. If the
   * append fails, the write still commits (no 5xx after a committed write, docs/security.md#input-limits) and the event,
   * with its id, time and CloudEvent attributes, is recorded in the durable outbox in the same
   * transaction; the outbox job appends it after the commit, or at the next start after a crash.
   * If recording it fails too, the error rolls the whole write back: nothing is written.
   */
  async nodeChanged(tx: Repositories, change: NodeChange): Promise<void> {
    // Appended with the COMMIT, the outbox fallback included (docs/adr/0020-event-append-at-commit.md).
    const event = this.newEvent({ channel: 'node', data: nodeEventPayload(change), owner: change.node.owner });
    await tx.events.appendAtCommit(event, (outcome) => {
      if (outcome.sequenceId !== null) return this.notifier.publish({ kind: 'events', sequenceId: outcome.sequenceId, channel: event.channel });
      this.logger.error(`storing the ${change.op} event of node ${change.node.id} failed (${outcome.error}); kept in the event outbox`);
      this.jobs.trigger(OUTBOX_JOB);
    });
  }

  /**
   * Appends the pending events oldest first, each deleted from the outbox in the transaction that
   * appends it: a crash between the two leaves both undone, so each is appended exactly once.
   */
  private async drainOutbox(signal: AbortSignal): Promise<string | undefined> {
    let stored = 0;
    for (;;) {
      const batch = await this.storage.pendingEvents.oldest(OUTBOX_BATCH);
      for (const pending of batch) {
        if (signal.aborted) return stored > 0 ? `stored ${stored} pending event(s) before shutdown` : undefined;
        const appended = await this.storage.transaction(async (tx) => ((await tx.pendingEvents.remove(pending.id)) ? this.appendEvent(tx, pending) : undefined));
        if (appended) {
          stored++;
          this.logger.log(`stored the pending event ${appended.sequenceId}`);
        }
      }
      if (batch.length < OUTBOX_BATCH) return stored > 0 ? `stored ${stored} pending event(s)` : undefined;
    }
  }
}
