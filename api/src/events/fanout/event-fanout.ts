import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { SharedRun } from '../../common/async/shared-run';
import { WakeSet } from '../../common/async/wake-set';
import { STORAGE, type EventRecord, type EventStreamQuery, type Storage } from '../../storage/ports';
import { EVENT_NOTIFIER, type EventNotifier } from '../notifier/notifier.port';
import { matchesStreamQuery } from './stream-filter';

/** How often the fan-out re-reads the followed channels without a notification (lost-notification safety net). */
export const SAFETY_POLL_MS = 2_000;

/** Quick re-reads for an announced event that is not yet readable, before the safety poll takes over. */
const MAX_RETRIES = 10;

/** What a subscription gets from `read`: its next events, and how far it may move its read position. */
export interface FanoutRead {
  events: EventRecord[];
  /**
   * Every event of the query (channel and filters) at or below this sequence id has been returned
   * by this read or an earlier one; the next read starts here. Never below the query's `afterSequence`.
   */
  cursor: number;
}

export interface FanoutLimits {
  /** Events per database read of the channel's reader. */
  readBatch: number;
  /** Recent events kept per channel; a subscription further behind catches up from the database. */
  bufferEvents: number;
  /** A channel nobody followed or read for this long is forgotten. */
  idleChannelMs: number;
}

/** One followed channel: every event with a sequence id in (base, head] is in `buffer[start..]`. */
interface Channel {
  name: string;
  /** The reader's start at the visibility bound, once established (retried after a failure). */
  ready: Promise<void> | null;
  base: number;
  head: number;
  buffer: EventRecord[];
  start: number;
  followers: number;
  lastUsed: number;
  /** A notification (or the safety poll) came after the last read started. */
  dirty: boolean;
  /** The highest sequence id announced for this channel: committed, so the reader must reach it. */
  announced: number;
  /** Re-reads scheduled while an announced event is not yet below the visibility bound. */
  retries: number;
  retryTimer: NodeJS.Timeout | undefined;
  generation: number;
  waiters: WakeSet;
  /** The reads of the log after `head`: one in flight at a time, shared by every caller meanwhile. */
  reads: SharedRun<void>;
}

/**
 * The per-process fan-out of the event log (docs/events.md#delivery-fan-out, docs/adr/0017-event-fanout.md).
 * For each channel that a subscription of this process follows, one reader reads the log after its
 * head — once per notification (in process or Redis) or safety poll, however many subscriptions
 * wait — and keeps the recent events in memory. Each subscription (socket.io stream, held `/listen`)
 * keeps its own position, filter and flow control and takes its next events from that buffer; one
 * that has fallen behind the buffer (slow consumer, durable resume from an old cursor) reads the log
 * itself, in large batches on the `(channel, sequence_id)` index, until it is back inside the
 * buffer. Positions only move forward and the buffer holds every event in (base, head], so a
 * subscription sees each event once and in order. Only the storage port is used, so every adapter
 * (PGlite, PostgreSQL, MongoDB) keeps its own reading rule (the visibility bound).
 */
@Injectable()
export class EventFanout implements OnModuleDestroy {
  private readonly logger = new Logger('EventFanout');
  private readonly channels = new Map<string, Channel>();
  private readonly unsubscribeNotifier: () => void;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  limits: FanoutLimits = { readBatch: 1000, bufferEvents: 10_000, idleChannelMs: 60_000 };

  constructor(
    @Inject(STORAGE) private readonly storage: Pick<Storage, 'events'>,
    @Inject(EVENT_NOTIFIER) notifier: EventNotifier,
  ) {
    this.unsubscribeNotifier = notifier.subscribe((message) => {
      if (message.kind !== 'events') return;
      // Older replicas send no channel: every followed channel may have news.
      for (const channel of this.channels.values()) {
        if (message.channel === channel.name) channel.announced = Math.max(channel.announced, message.sequenceId);
        if (message.channel === undefined || message.channel === channel.name) this.poke(channel);
      }
    });
  }

  onModuleDestroy(): void {
    this.closed = true;
    this.unsubscribeNotifier();
    clearInterval(this.timer);
    for (const channel of this.channels.values()) {
      clearTimeout(channel.retryTimer);
      this.wake(channel);
    }
  }

  /** Keeps `channel` read while the subscription lives; returns the function that stops following. */
  follow(channel: string): () => void {
    const state = this.channel(channel);
    state.followers += 1;
    let followed = true;
    return () => {
      if (!followed) return;
      followed = false;
      state.followers -= 1;
      state.lastUsed = Date.now();
    };
  }

  /**
   * The next events of `query` after `query.afterSequence`, in sequence order, at most `query.limit`:
   * from memory when the position is inside the buffer (reading the log first, once for all
   * callers, when the position is at the head and a notification is pending), otherwise from the log.
   */
  async read(query: EventStreamQuery): Promise<FanoutRead> {
    const channel = this.channel(query.channel);
    await this.ready(channel);
    channel.lastUsed = Date.now();
    if (query.afterSequence >= channel.head) {
      // At the head: wait for the news a notification announced (the read in flight, or a new one).
      if (channel.dirty) await channel.reads.run();
      else await channel.reads.inFlight;
    }
    if (query.afterSequence < channel.base) return this.catchUp(channel, query);
    return this.fromBuffer(channel, query);
  }

  /** The wake generation of `channel`; pass it to `wait` so that no wake-up in between is missed. */
  generation(channel: string): number {
    return this.channel(channel).generation;
  }

  /** Resolves when the channel's head moves after `generation`, on timeout or on abort. */
  wait(channel: string, generation: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const state = this.channel(channel);
    if (generation !== state.generation) return Promise.resolve();
    return state.waiters.wait(timeoutMs, signal);
  }

  private channel(name: string): Channel {
    const channel = this.channels.get(name);
    if (channel) return channel;
    const created: Channel = {
      name,
      ready: null,
      base: 0,
      head: 0,
      buffer: [],
      start: 0,
      followers: 0,
      lastUsed: Date.now(),
      dirty: false,
      announced: 0,
      retries: 0,
      retryTimer: undefined,
      generation: 0,
      waiters: new WakeSet(),
      reads: new SharedRun(() => this.readLog(created)),
    };
    this.channels.set(name, created);
    if (!this.closed) this.timer ??= setInterval(() => this.safetyPoll(), SAFETY_POLL_MS).unref();
    return created;
  }

  /** The reader starts at the visibility bound: anything older is read by the subscriptions that need it. */
  private ready(channel: Channel): Promise<void> {
    channel.ready ??= this.storage.events.latestSequence().then(
      (bound) => {
        channel.base = Math.max(channel.base, bound);
        channel.head = Math.max(channel.head, bound);
      },
      (error: Error) => {
        channel.ready = null;
        throw error;
      },
    );
    return channel.ready;
  }

  /** A notification: read the channel now if someone follows it, else at the next read. */
  private poke(channel: Channel): void {
    channel.dirty = true;
    if (channel.followers > 0) channel.reads.run().catch(() => undefined);
  }

  private safetyPoll(): void {
    const now = Date.now();
    for (const channel of this.channels.values()) {
      if (channel.followers > 0) this.poke(channel);
      else if (now - channel.lastUsed >= this.limits.idleChannelMs) this.forget(channel);
    }
    if (this.channels.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private forget(channel: Channel): void {
    this.channels.delete(channel.name);
    this.wake(channel);
  }

  private async readLog(channel: Channel): Promise<void> {
    await this.ready(channel);
    channel.dirty = false;
    try {
      for (;;) {
        const batch = await this.storage.events.stream({ channel: channel.name, afterSequence: channel.head, limit: this.limits.readBatch });
        if (batch.length > 0) this.append(channel, batch);
        if (batch.length < this.limits.readBatch || this.closed) break;
      }
    } catch (error) {
      channel.dirty = true;
      this.logger.warn(`reading channel ${channel.name} failed (${(error as Error).message}); retried at the next notification or poll`);
      throw error;
    }
    this.retryAnnounced(channel);
  }

  /**
   * An announced event is committed, but a read answers only below the visibility bound, which a
   * transaction still running elsewhere on the cluster can hold back for longer than the read
   * waits (docs/adr/0005-events.md). Read again soon (5 ms, doubling to 250 ms) rather than at the
   * next safety poll, while someone follows the channel; after 10 tries the safety poll takes over.
   */
  private retryAnnounced(channel: Channel): void {
    if (channel.head >= channel.announced || channel.followers === 0 || this.closed) {
      channel.retries = 0;
      return;
    }
    if (channel.retryTimer || channel.retries >= MAX_RETRIES) return;
    const delay = Math.min(5 * 2 ** channel.retries, 250);
    channel.retries += 1;
    channel.retryTimer = setTimeout(() => {
      channel.retryTimer = undefined;
      this.poke(channel);
    }, delay);
    channel.retryTimer.unref();
  }

  private append(channel: Channel, batch: EventRecord[]): void {
    for (const event of batch) channel.buffer.push(event);
    channel.head = batch[batch.length - 1].sequenceId;
    const excess = channel.buffer.length - channel.start - this.limits.bufferEvents;
    if (excess > 0) {
      channel.start += excess;
      channel.base = channel.buffer[channel.start - 1].sequenceId;
      if (channel.start >= this.limits.bufferEvents) {
        channel.buffer = channel.buffer.slice(channel.start);
        channel.start = 0;
      }
    }
    this.wake(channel);
  }

  private wake(channel: Channel): void {
    channel.generation += 1;
    channel.waiters.wakeAll();
  }

  /** From memory: the matching events after the position, up to the limit. */
  private fromBuffer(channel: Channel, query: EventStreamQuery): FanoutRead {
    const { buffer } = channel;
    let low = channel.start;
    let high = buffer.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (buffer[middle].sequenceId <= query.afterSequence) low = middle + 1;
      else high = middle;
    }
    const events: EventRecord[] = [];
    for (let index = low; index < buffer.length; index += 1) {
      const event = buffer[index];
      if (!matchesStreamQuery(event, query)) continue;
      events.push(event);
      if (events.length >= query.limit) return { events, cursor: event.sequenceId };
    }
    return { events, cursor: Math.max(query.afterSequence, channel.head) };
  }

  /**
   * Behind the buffer: the subscription's own read of the log. A short answer covers everything up
   * to the head as it was before the read (those events were read earlier, so they are committed and
   * below any later visibility bound), which brings the subscription back to the buffer.
   */
  private async catchUp(channel: Channel, query: EventStreamQuery): Promise<FanoutRead> {
    const head = channel.head;
    const events = await this.storage.events.stream(query);
    const last = events.length > 0 ? events[events.length - 1].sequenceId : query.afterSequence;
    if (events.length >= query.limit) return { events, cursor: last };
    return { events, cursor: Math.max(last, head, query.afterSequence) };
  }
}
