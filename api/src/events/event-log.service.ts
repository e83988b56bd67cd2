import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { JobRunner } from '../common/jobs/job-runner';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { newObjectId } from '../common/object-id';
import { checkStoredText, MAX_KEY_LENGTH } from '../common/validation/limits';
import { STORAGE, type EventRecord, type Repositories, type Storage } from '../storage/ports';
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

/** The event payload of a node write: exactly the keys of contract §10.2, in that order. */
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
const RETRY_JOB = 'event-log-retry';

/**
 * Appends events to the log (contract §10.3) inside the caller's unit of work and wakes
 * subscribers once it has committed. Also the node services' NodeEventPublisher.
 */
@Injectable()
export class EventLogService implements NodeEventPublisher, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('EventLog');
  /** Events whose append failed inside a committed node write, oldest first. */
  private readonly delayed: PublishInput[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(EVENT_NOTIFIER) private readonly notifier: EventNotifier,
    private readonly jobs: JobRunner,
  ) {}

  /** Stores delayed events in order, retried with back-off until the log accepts them. */
  onModuleInit(): void {
    this.jobs.register({ name: RETRY_JOB, retry: RETRY, run: () => this.storeDelayed() });
  }

  /** Builds the CloudEvent and appends it through `tx` (a transaction or the storage itself). */
  async append(tx: Repositories, input: PublishInput): Promise<EventRecord> {
    const now = new Date();
    const ce = buildCloudEvent({
      data: input.data,
      source: input.source ?? this.config.cloudEventsSource,
      type: input.type,
      owner: input.owner,
      attributes: input.attributes,
      now,
    });
    const event = await tx.events.append({ id: newObjectId(), timestamp: now, channel: input.channel, owner: input.owner, data: input.data, ce });
    tx.afterCommit(() => this.notifier.publish({ kind: 'events', sequenceId: event.sequenceId }));
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
   * append fails, the write still commits (no 5xx after a committed write, §13.12) and the event is
   * stored as soon as the log accepts it again (§10.3, Appendix B 122).
   */
  async nodeChanged(tx: Repositories, change: NodeChange): Promise<void> {
    const input: PublishInput = { channel: 'node', data: nodeEventPayload(change), owner: change.node.owner };
    try {
      await this.append(tx, input);
    } catch (error) {
      this.logger.error(`storing the ${change.op} event of node ${change.node.id} failed (${(error as Error).message}); retrying after commit`);
      tx.afterCommit(() => {
        this.delayed.push(input);
        this.jobs.trigger(RETRY_JOB);
      });
    }
  }

  private async storeDelayed(): Promise<string | undefined> {
    let stored = 0;
    while (this.delayed.length > 0) {
      const event = await this.publish(this.delayed[0]);
      this.delayed.shift();
      stored++;
      this.logger.log(`stored the delayed event ${event.sequenceId}`);
    }
    return stored > 0 ? `stored ${stored} delayed event(s)` : undefined;
  }

  onApplicationShutdown(): void {
    if (this.delayed.length > 0) this.logger.warn(`${this.delayed.length} delayed event(s) not stored before shutdown`);
  }
}
