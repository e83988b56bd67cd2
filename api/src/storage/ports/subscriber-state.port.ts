import type { PayloadFilter } from './subscription.port';

/** A durable cursor (docs/events.md#durable-subscribers, docs/deployment.md#running-on-mongodb `subscriber_state`). */
export interface SubscriberStateRecord {
  subscriberId: string;
  channel: string;
  user: string;
  promiscuous: boolean;
  lastEventId: number;
  createdAt: Date;
  lastPoll: Date | null;
  filter: PayloadFilter | null;
}

export interface SubscriberStateRepository {
  find(subscriberId: string): Promise<SubscriberStateRecord | null>;
  /** @throws DuplicateKeyError when the id exists (another request created it first). */
  insert(state: SubscriberStateRecord): Promise<void>;
  updateSettings(subscriberId: string, settings: { promiscuous: boolean; filter: PayloadFilter | null }): Promise<void>;
  /** `last_event_id` = max(current, lastEventId) — cursors never move backwards; sets `last_poll` when given. */
  advance(subscriberId: string, lastEventId: number, polledAt: Date | null): Promise<number>;
  /** Deletes records polled (or, never polled, created) before `cutoff`. */
  deleteIdle(cutoff: Date): Promise<number>;
}
