import { Inject, Injectable, Logger } from '@nestjs/common';
import { isAccountName } from '../auth/account-names';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, TooManyRequestsError } from '../common/errors/domain-errors';
import { checkStoredText, MAX_KEY_LENGTH } from '../common/validation/limits';
import {
  DuplicateKeyError,
  STORAGE,
  type EventRecord,
  type PayloadFilter,
  type Storage,
  type SubscriptionRecord,
  type SubscriptionTransport,
  type UserRecord,
} from '../storage/ports';
import { EventFanout, SAFETY_POLL_MS } from './fanout/event-fanout';
import { cloudEventTextOnce } from './fanout/serialised';
import { EVENT_NOTIFIER, type EventNotifier } from './notifier/notifier.port';
/** A waiting listen refreshes `last_poll` at least this often (docs/events.md#http-pubsub-kernelci-compatible: at least once a minute). */
const MAX_TOUCH_INTERVAL_MS = 30_000;

/** Refresh period of a live subscription: well inside both a minute and the reaper's idle limit (docs/events.md#http-pubsub-kernelci-compatible). */
export function touchIntervalMs(config: AppConfig): number {
  return Math.min(MAX_TOUCH_INTERVAL_MS, (config.subscriptionIdleSeconds * 1000) / 3);
}

export interface SubscribeOptions {
  promiscuous: boolean;
  subscriberId?: string;
  transport: SubscriptionTransport;
  filter?: PayloadFilter | null;
  fromSequence?: number;
}

/** What a held listen remembers between wake-ups. */
interface ListenState {
  /** The subscription row as last read or written by this listen; null to read it again. */
  current: SubscriptionRecord | null;
  loadedAt: number;
  /** After position `from`, nothing up to `to` is visible to this subscription. */
  skip: { from: number; to: number } | null;
}

export type ListenOutcome =
  /** `text`: the CloudEvent as `/listen` sends it, serialised once per event in this process. */
  | { kind: 'event'; channel: string; event: EventRecord; text: string }
  | { kind: 'keep-alive'; channel: string }
  | { kind: 'abandoned' };

/**
 * Subscriptions and their delivery state, all in the database so any replica serves any
 * subscription (docs/events.md#http-pubsub-kernelci-compatible). Events come from the process's
 * fan-out (docs/events.md#delivery-fan-out), which wakes waiting listens when their channel moves.
 */
@Injectable()
export class SubscriptionsService {
  private readonly logger = new Logger('Subscriptions');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(EVENT_NOTIFIER) private readonly notifier: EventNotifier,
    private readonly fanout: EventFanout,
  ) {}

  /**
   * Creates a subscription (docs/events.md, docs/realtime.md). For a durable `subscriberId` the
   * subscription starts at the stored cursor; another user's id → 403, another channel → 409.
   */
  async subscribe(channel: string, user: UserRecord, options: SubscribeOptions): Promise<SubscriptionRecord> {
    checkStoredText(channel, 'channel', MAX_KEY_LENGTH);
    checkStoredText(options.subscriberId, 'subscriber_id', MAX_KEY_LENGTH);
    // Abandoned subscriptions expire after SUBSCRIPTION_IDLE_SECONDS, so a full quota frees itself.
    const max = this.config.maxSubscriptionsPerUser;
    if ((await this.storage.subscriptions.countByUser(user.username)) >= max) {
      throw new TooManyRequestsError(`Too many subscriptions: at most ${max} per user; unsubscribe unused ones`, this.config.subscriptionIdleSeconds);
    }
    const now = new Date();
    let position: number;
    if (options.subscriberId !== undefined) {
      position = await this.durableCursor(channel, user, options, now);
    } else {
      position = await this.storage.events.latestSequence();
    }
    if (options.fromSequence !== undefined) position = options.fromSequence;
    const subscription: SubscriptionRecord = {
      id: await this.storage.subscriptions.nextId(),
      channel,
      user: user.username,
      promiscuous: options.promiscuous,
      subscriberId: options.subscriberId ?? null,
      transport: options.transport,
      filter: options.filter ?? null,
      created: now,
      lastPoll: null,
      position,
      delivered: null,
    };
    await this.storage.subscriptions.insert(subscription);
    if (options.transport === 'socket.io' && subscription.subscriberId) {
      // A second socket.io subscription with the same subscriber id replaces the first, on any replica (docs/realtime.md).
      for (const other of await this.storage.subscriptions.findBySubscriberId(subscription.subscriberId, 'socket.io')) {
        if (other.id === subscription.id) continue;
        await this.storage.subscriptions.delete(other.id);
        this.notifier.publish({ kind: 'subscription-closed', subscription: other.id, reason: 'replaced' });
      }
    }
    return subscription;
  }

  /**
   * socket.io `ack`: moves a durable cursor to max(current, sequenceId) — only acknowledgements move
   * it (docs/realtime.md) — and refreshes the subscription. Returns the cursor, or null when the subscription is gone.
   */
  async acknowledgeUpTo(subscription: SubscriptionRecord, sequenceId: number): Promise<number | null> {
    const now = new Date();
    if (!(await this.storage.subscriptions.touch(subscription.id, now, sequenceId))) return null;
    return subscription.subscriberId ? this.storage.subscriberStates.advance(subscription.subscriberId, sequenceId, now) : sequenceId;
  }

  /** Ends a subscription whose transport went away (socket.io disconnect); durable cursors stay. */
  async end(id: number): Promise<void> {
    await this.storage.subscriptions.delete(id);
  }

  private async durableCursor(channel: string, user: UserRecord, options: SubscribeOptions, now: Date): Promise<number> {
    const subscriberId = options.subscriberId!;
    for (;;) {
      const state = await this.storage.subscriberStates.find(subscriberId);
      if (state) {
        if (!(await isAccountName(this.storage.usernames, user, state.user))) throw new ForbiddenError('Subscriber id is in use by another user');
        if (state.channel !== channel) throw new ConflictError(`Subscriber id is bound to channel ${state.channel}`);
        await this.storage.subscriberStates.updateSettings(subscriberId, { promiscuous: options.promiscuous, filter: options.filter ?? null });
        const oldest = await this.storage.events.oldestSequence(channel);
        if (oldest !== null && state.lastEventId < oldest - 1) {
          this.logger.warn(`durable subscriber ${subscriberId}: cursor ${state.lastEventId} is older than the oldest retained event ${oldest}; older events are gone`);
        }
        return state.lastEventId;
      }
      // First use: start at the newest sequence id, older events are not replayed (docs/events.md#durable-subscribers).
      const latest = await this.storage.events.latestSequence();
      try {
        await this.storage.subscriberStates.insert({
          subscriberId,
          channel,
          user: user.username,
          promiscuous: options.promiscuous,
          lastEventId: latest,
          createdAt: now,
          lastPoll: null,
          filter: options.filter ?? null,
        });
        return latest;
      } catch (error) {
        if (!(error instanceof DuplicateKeyError)) throw error;
        // Another request created it first: read it again and apply the ownership rules.
      }
    }
  }

  /** The caller's subscription, or the 404/403 of docs/events.md#http-pubsub-kernelci-compatible (`forbidden` builds the 403 text). */
  async owned(id: number, user: UserRecord, forbidden: (id: number, username: string) => string): Promise<SubscriptionRecord> {
    const subscription = await this.storage.subscriptions.findById(id);
    if (!subscription) throw new NotFoundError(`Subscription id not found: 'Subscription ${id} not found'`);
    if (!(await isAccountName(this.storage.usernames, user, subscription.user))) throw new ForbiddenError(forbidden(id, user.username));
    return subscription;
  }

  /**
   * `GET /listen/{id}`: acknowledges the previous listen's event, then waits for the next event that
   * passes the owner filter, a keep-alive period, or the client's disconnection (docs/events.md).
   */
  async listen(id: number, user: UserRecord, signal: AbortSignal): Promise<ListenOutcome> {
    const subscription = await this.owned(id, user, (subId, name) => `Error while listening to sub id ${subId}: Subscription ${subId} not owned by ${name}`);
    const startedAt = Date.now();
    const keepAliveMs = this.config.keepAlivePeriodSeconds * 1000;
    const deadline = keepAliveMs > 0 ? startedAt + keepAliveMs : Number.POSITIVE_INFINITY;
    const touchEvery = touchIntervalMs(this.config);
    const unfollow = this.fanout.follow(subscription.channel);
    try {
      const state: ListenState = { current: await this.acknowledge(subscription, new Date()), loadedAt: Date.now(), skip: null };
      let lastTouch = startedAt;
      let failing = false;
      while (!signal.aborted) {
        const generation = this.fanout.generation(subscription.channel);
        try {
          const claimed = await this.claimNext(id, state);
          if (claimed === 'gone') throw new NotFoundError(`Subscription id not found: 'Subscription ${id} not found'`);
          if (claimed) {
            const text = cloudEventTextOnce(claimed.event, this.config.cloudEventsSource);
            if (!signal.aborted) return { kind: 'event', channel: claimed.channel, event: claimed.event, text };
            await this.storage.subscriptions.updateDelivery(id, claimed.after, { position: claimed.after.position, delivered: null });
            break;
          }
          if (Date.now() - lastTouch >= touchEvery) {
            lastTouch = Date.now();
            await this.storage.subscriptions.touch(id, new Date());
          }
          failing = false;
        } catch (error) {
          if (error instanceof DomainError) throw error;
          // The store is unavailable: keep waiting; the keep-alive still bounds the wait (docs/events.md#http-pubsub-kernelci-compatible).
          if (!failing) this.logger.warn(`listen ${id}: event store unavailable (${(error as Error).message}); still waiting`);
          failing = true;
          state.current = null;
        }
        const now = Date.now();
        if (now >= deadline) return { kind: 'keep-alive', channel: subscription.channel };
        await this.fanout.wait(subscription.channel, generation, Math.min(SAFETY_POLL_MS, touchEvery, deadline - now), signal);
      }
      return { kind: 'abandoned' };
    } finally {
      unfollow();
    }
  }

  /**
   * Implicit acknowledgement of the previous listen's event, and `last_poll` (docs/events.md#durable-subscribers).
   * Returns the subscription as it stands afterwards, or null when it is gone.
   */
  private async acknowledge(subscription: SubscriptionRecord, now: Date): Promise<SubscriptionRecord | null> {
    let current: SubscriptionRecord | null = subscription;
    let cursorPolled = false;
    while (current && current.delivered !== null) {
      const acked = { position: Math.max(current.position, current.delivered), delivered: null };
      if (await this.storage.subscriptions.updateDelivery(current.id, current, acked)) {
        if (current.subscriberId) await this.storage.subscriberStates.advance(current.subscriberId, acked.position, now);
        cursorPolled = true;
        current = { ...current, ...acked };
        break;
      }
      current = await this.storage.subscriptions.findById(subscription.id);
    }
    if (!current || !(await this.storage.subscriptions.touch(current.id, now))) return null;
    if (current.subscriberId && !cursorPolled) await this.storage.subscriberStates.advance(current.subscriberId, 0, now);
    return { ...current, lastPoll: now };
  }

  /**
   * Hands the next deliverable event to this listen. The compare-and-set makes concurrent listens on
   * one subscription compete: each event goes to one of them (docs/events.md#delivery-guarantees).
   * The subscription row is read again only when the compare-and-set fails, after an error, or once
   * per safety-poll period (to notice an unsubscription); the event comes from the fan-out.
   */
  private async claimNext(
    id: number,
    state: ListenState,
  ): Promise<{ channel: string; event: EventRecord; after: { position: number; delivered: number } } | 'gone' | null> {
    for (;;) {
      if (!state.current || Date.now() - state.loadedAt >= SAFETY_POLL_MS) {
        state.current = await this.storage.subscriptions.findById(id);
        state.loadedAt = Date.now();
      }
      const subscription = state.current;
      if (!subscription) return 'gone';
      const start = subscription.delivered ?? subscription.position;
      // Events up to `skip.to` after this start were already found not visible to this subscription.
      const from = state.skip?.from === start ? state.skip.to : start;
      const { events, cursor } = await this.fanout.read({
        channel: subscription.channel,
        afterSequence: from,
        visibleTo: subscription.promiscuous ? undefined : subscription.user,
        limit: 1,
      });
      const [event] = events;
      if (!event) {
        state.skip = { from: start, to: cursor };
        return null;
      }
      const after = { position: start, delivered: event.sequenceId };
      if (await this.storage.subscriptions.updateDelivery(id, subscription, after)) {
        if (subscription.subscriberId && start > subscription.position) {
          await this.storage.subscriberStates.advance(subscription.subscriberId, start, new Date());
        }
        state.current = { ...subscription, ...after };
        return { channel: subscription.channel, event, after };
      }
      state.current = null;
    }
  }

  /** `POST /unsubscribe/{id}`: ends the subscription; a durable cursor survives (docs/events.md#durable-subscribers). */
  async unsubscribe(id: number, user: UserRecord): Promise<void> {
    await this.owned(id, user, (subId, name) => `Subscription ${subId} not owned by ${name}`);
    await this.storage.subscriptions.delete(id);
    this.notifier.publish({ kind: 'subscription-closed', subscription: id, reason: 'unsubscribed' });
  }

  /** Every live subscription of every replica and transport (docs/events.md#http-pubsub-kernelci-compatible). */
  stats(): Promise<SubscriptionRecord[]> {
    return this.storage.subscriptions.list();
  }
}
