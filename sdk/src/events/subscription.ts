/**
 * The event subscriber: a durable, acknowledged stream over socket.io (primary) or HTTP long-poll
 * (fallback). `Subscription` composes the parts: a transport behind one interface
 * (socket-transport.ts, long-poll-transport.ts), the acknowledgement tracker (ack-tracker.ts), the
 * de-duplicator (dedup.ts) and the dispatcher (dispatcher.ts). Events are acknowledged only after
 * their handler finishes, at the low-water mark; redeliveries are dropped by sequence (or by
 * fingerprint without sequences); gaps are reported.
 *
 * socket.io-client and cloudevents are loaded by dynamic `import()` when the subscription starts, so
 * the core entry point does not bundle them.
 */
import { sleep } from '../backoff.js';
import type { ClientContext } from '../context.js';
import { EventGapError, MaestroError, ProtocolError, UnsupportedFeatureError } from '../errors.js';
import type { CallOptions } from '../transport.js';
import type { Node } from '../types.js';
import { AckTracker, type Track } from './ack-tracker.js';
import type { ParsedEvent } from './codec.js';
import { Deduplicator, fingerprintOf } from './dedup.js';
import { deferred } from './deferred.js';
import { Dispatcher, type Entry, type Handler } from './dispatcher.js';
import type { Codec, EventTransport, TransportHost } from './event-transport.js';
import { matchesFilter, passesTransition, type TransitionRule } from './filter.js';
import { storedRange, storedToEvent } from './history.js';
import { LongPollTransport } from './long-poll-transport.js';
import { SocketTransport } from './socket-transport.js';
import type { CloseOptions, Delivery, NodeEventPayload, SubscribeOptions, SubscriptionState, SubscriptionStats } from './types.js';

export type { Handler } from './dispatcher.js';

/** Internal: reads a node (the client's `nodes.get`), for `Delivery.node()`. */
export type NodeReader = (id: string, opts?: CallOptions) => Promise<Node>;

type StateListener = (state: SubscriptionState) => void;
type HeartbeatListener = (at: Date) => void;

/**
 * A subscription: an `AsyncIterable<Delivery>` (iterator form), or driven by a handler (callback
 * form, `events.consume`). `done` settles when it closes: resolved after a clean close, rejected with
 * the error that closed it otherwise.
 */
export class Subscription implements AsyncIterable<Delivery> {
  /** Settles when the subscription is closed. */
  readonly done: Promise<void>;
  /** Time of the last heartbeat (socket.io ping or BEEP), for watchdogs. */
  lastHeartbeatAt: Date | null = null;

  readonly #ctx: ClientContext;
  readonly #getNode: NodeReader;
  readonly #opts: SubscribeOptions;
  readonly #channel: string;
  readonly #handler: Handler | undefined;
  readonly #rule: TransitionRule | undefined;
  readonly #maxBuffered: number;
  #state: SubscriptionState = { type: 'connecting' };
  readonly #stateListeners = new Set<StateListener>();
  readonly #heartbeatListeners = new Set<HeartbeatListener>();
  readonly #stats: SubscriptionStats = { delivered: 0, acked: 0, duplicatesDropped: 0, gaps: 0, queueDepth: 0, reconnects: 0 };

  readonly #tracker = new AckTracker();
  readonly #dedup = new Deduplicator();
  readonly #dispatcher: Dispatcher;
  #transport: EventTransport | undefined;
  #codec: Codec | undefined;
  #iterPending: Entry | undefined;

  #closing = false;
  readonly #abort = new AbortController();
  readonly #done = deferred();
  readonly #ready = deferred();
  readonly #untrack: () => void;

  /** Internal: use `events.subscribe` or `events.consume`. */
  constructor(ctx: ClientContext, getNode: NodeReader, opts: SubscribeOptions, handler?: Handler) {
    this.#ctx = ctx;
    this.#getNode = getNode;
    this.#opts = { ...opts, filter: opts.filter ? { ...opts.filter } : undefined };
    this.#channel = opts.channel ?? 'node';
    this.#handler = handler;
    this.#maxBuffered = Math.max(1, opts.maxBuffered ?? 1000);
    this.#rule = opts.transitionsOnly
      ? { onMissingPrevious: (typeof opts.transitionsOnly === 'object' && opts.transitionsOnly.onMissingPrevious) || 'drop' }
      : undefined;
    this.#dispatcher = new Dispatcher(
      {
        handler,
        opts: this.#opts,
        logger: ctx.logger,
        closing: () => this.#closing,
        sleep: (ms) => sleep(ms, this.#abort.signal),
        finished: (entry) => this.#finish(entry),
        stop: (error) => this.#fail(error),
      },
      Math.max(1, opts.concurrency ?? 1),
    );
    this.done = this.#done.promise;
    this.#untrack = ctx.track(this);
    if (opts.signal) {
      if (opts.signal.aborted) queueMicrotask(() => void this.close({ drain: false }));
      else opts.signal.addEventListener('abort', () => void this.close({ drain: false }), { once: true });
    }
    queueMicrotask(() => {
      this.#start().catch((error) => this.#fail(error));
    });
  }

  /** The current state. */
  get state(): SubscriptionState {
    return this.#state;
  }

  /** `"socket.io"` or `"long-poll"` once started. */
  get transport(): 'socket.io' | 'long-poll' | undefined {
    return this.#transport?.name;
  }

  /** Counters. */
  stats(): SubscriptionStats {
    return { ...this.#stats, queueDepth: this.#dispatcher.depth };
  }

  /** Listens to state changes or heartbeats; returns a function that removes the listener. */
  on(event: 'state', listener: StateListener): () => void;
  on(event: 'heartbeat', listener: HeartbeatListener): () => void;
  on(event: 'state' | 'heartbeat', listener: StateListener | HeartbeatListener): () => void {
    const set = (event === 'state' ? this.#stateListeners : this.#heartbeatListeners) as Set<typeof listener>;
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Resolves when the server first confirmed the subscription; rejects if it closes before. Await it
   * before writing when you need the events of your own writes: until then they are not delivered.
   */
  whenSubscribed(): Promise<void> {
    return this.#ready.promise;
  }

  // ------------------------------------------------------------------ start and transports

  async #start(): Promise<void> {
    this.#codec = await import('./codec.js');
    if (this.#closing) return;
    const choice = this.#opts.transport ?? 'auto';
    const mode = await this.#ctx.mode();
    if (choice === 'long-poll' || (choice === 'auto' && mode === 'kernelci')) {
      if (this.#opts.from !== undefined && this.#opts.from !== 'now') {
        throw new UnsupportedFeatureError('starting at a sequence number needs socket.io', { feature: 'socketio-events' });
      }
      this.#transport = new LongPollTransport(this.#host());
    } else {
      this.#transport = new SocketTransport(this.#host());
    }
    await this.#transport.start();
  }

  /** The operations the transports may use. */
  #host(): TransportHost {
    return {
      ctx: this.#ctx,
      opts: this.#opts,
      channel: this.#channel,
      codec: this.#codec!,
      signal: this.#abort.signal,
      tracker: this.#tracker,
      state: () => this.#state,
      depth: () => this.#dispatcher.depth,
      maxBuffered: this.#maxBuffered,
      closing: () => this.#closing,
      setState: (state) => this.#setState(state),
      subscribed: (resumedFrom) => {
        this.#setState({ type: 'subscribed', resumedFrom });
        this.#ready.resolve();
      },
      heartbeat: () => this.#heartbeat(),
      ingest: (parsed, replayed) => this.#ingest(parsed, replayed),
      protocolError: (error, seq) => this.#protocolError(error, seq),
      gap: (from, to, certain) => this.#handleGap(from, to, certain),
      closeWith: (error, reason) => this.#closeWith(error, reason),
      countReconnect: () => void this.#stats.reconnects++,
      serialize: () => {
        if (this.#dispatcher.concurrency > 1) {
          this.#ctx.logger.info('long-poll delivers one event at a time: concurrency lowered to 1');
          this.#dispatcher.concurrency = 1;
        }
      },
      degrade: () => {
        this.#setState({ type: 'degraded', transport: 'long-poll' });
        this.#transport = new LongPollTransport(this.#host());
        void this.#transport.start().catch((error) => this.#fail(error));
      },
      sleep: (ms) => sleep(ms, this.#abort.signal),
    };
  }

  #setState(state: SubscriptionState): void {
    this.#state = state;
    for (const l of [...this.#stateListeners]) {
      try {
        l(state);
      } catch (error) {
        this.#ctx.logger.error('subscription state listener threw', { error: String(error) });
      }
    }
  }

  #heartbeat(): void {
    const at = new Date();
    this.lastHeartbeatAt = at;
    for (const l of [...this.#heartbeatListeners]) l(at);
  }

  async #handleGap(from: number, to: number, certain: boolean): Promise<void> {
    this.#stats.gaps++;
    this.#setState({ type: 'gap', from, to, certain });
    const policy = this.#opts.onGap ?? (this.#opts.subscriberId ? 'backfill' : 'emit');
    if (policy === 'error') {
      await this.#closeWith(new EventGapError(`events ${from}–${to} may have been lost`, { from, to, certain }));
      return;
    }
    if (policy === 'backfill' && from > 0) {
      // Read the range from the history and deliver it, replayed, before live delivery resumes.
      const historyFilter = { channel: this.#channel, ...(typeof this.#opts.filter?.kind === 'string' ? { kind: this.#opts.filter.kind } : {}) };
      for await (const stored of storedRange(this.#ctx, historyFilter, from, to, this.#abort.signal)) {
        this.#ingest({ event: this.#codec!.parseCloudEvent(storedToEvent(stored)).event, sequence: stored.sequence_id }, true);
      }
    }
  }

  #protocolError(error: unknown, seq: number | null): void {
    const pe = MaestroError.is(error) ? (error as ProtocolError) : new ProtocolError(String(error), { cause: error });
    try {
      if (this.#opts.onProtocolError) this.#opts.onProtocolError(pe);
      else this.#ctx.logger.warn('skipping an invalid event', { error: pe.message });
    } finally {
      // A malformed event never stalls the stream: acknowledge and skip it.
      if (seq !== null && !this.#tracker.isDuplicate(seq)) this.#finishTrack(this.#tracker.open(seq));
    }
  }

  // ------------------------------------------------------------------ ingestion and acknowledgement

  /** Filters, de-duplicates and buffers one event; returns its track, or undefined when dropped as a duplicate. */
  #ingest(parsed: ParsedEvent, replayed: boolean): Track | undefined {
    const { event, sequence } = parsed;
    if (sequence !== null && this.#tracker.isDuplicate(sequence)) {
      this.#stats.duplicatesDropped++;
      return undefined;
    }
    const payload = (event.data && typeof event.data === 'object' ? event.data : {}) as NodeEventPayload;
    let fingerprint: string | undefined;
    if (sequence === null && typeof event.data === 'object') {
      fingerprint = fingerprintOf(payload);
      if (replayed && this.#dedup.seenRecently(fingerprint)) {
        this.#stats.duplicatesDropped++;
        return undefined;
      }
    }
    const track = this.#tracker.open(sequence);
    const wanted = matchesFilter(payload, this.#opts.filter) && (!this.#rule || passesTransition(payload, this.#opts.filter, this.#rule));
    if (!wanted) {
      this.#finishTrack(track);
      return track;
    }
    this.#stats.delivered++;
    const entry: Entry = {
      delivery: undefined as never,
      seq: sequence,
      nodeId: typeof payload.id === 'string' ? payload.id : undefined,
      finished: false,
      fingerprint,
      track,
    };
    entry.delivery = this.#makeDelivery(entry, event, payload, sequence, replayed);
    this.#dispatcher.push(entry);
    return track;
  }

  #makeDelivery(entry: Entry, event: Delivery['event'], payload: NodeEventPayload, sequence: number | null, replayed: boolean): Delivery {
    let node: Promise<Node> | undefined;
    const getNode = this.#getNode;
    return Object.freeze({
      event,
      payload,
      sequence,
      replayed,
      channel: this.#channel,
      receivedAt: new Date(),
      ack: () => this.#finish(entry),
      nack: (opts: { delayMs?: number } = {}) => {
        entry.nackDelayMs = opts.delayMs ?? 0;
        if (this.#handler || entry.finished) return;
        if (this.#iterPending === entry) this.#iterPending = undefined;
        this.#dispatcher.requeue(entry);
      },
      node: () => {
        if (typeof payload.id !== 'string') return Promise.reject(new ProtocolError('this event names no node'));
        node ??= getNode(payload.id);
        return node;
      },
    });
  }

  #finish(entry: Entry): void {
    if (entry.finished) return;
    entry.finished = true;
    if (this.#iterPending === entry) this.#iterPending = undefined;
    if (entry.fingerprint) this.#dedup.remember(entry.fingerprint);
    this.#finishTrack(entry.track);
    this.#transport?.relieved();
  }

  #finishTrack(track: Track): void {
    const { released, advanced } = this.#tracker.finish(track);
    this.#stats.acked += released;
    if (advanced) this.#transport?.acknowledged();
  }

  // ------------------------------------------------------------------ iterator form

  /** Yields deliveries; with `autoAck` (default) a delivery is acknowledged when the loop asks for the next. */
  [Symbol.asyncIterator](): AsyncIterator<Delivery> {
    if (this.#handler) throw new ProtocolError('a subscription with a handler cannot also be iterated');
    return {
      next: async (): Promise<IteratorResult<Delivery>> => {
        if (this.#iterPending && this.#opts.autoAck !== false) this.#finish(this.#iterPending);
        for (;;) {
          const entry = this.#dispatcher.shift();
          if (entry) {
            this.#iterPending = entry;
            this.#transport?.relieved();
            return { value: entry.delivery, done: false };
          }
          if (this.#closing) {
            await this.done.catch(() => undefined);
            return { value: undefined, done: true };
          }
          await this.#dispatcher.wait();
        }
      },
      return: async (): Promise<IteratorResult<Delivery>> => {
        // Leaving the loop leaves the current delivery unacknowledged unless ack() was called.
        this.#iterPending = undefined;
        await this.close({ drain: false });
        return { value: undefined, done: true };
      },
    };
  }

  // ------------------------------------------------------------------ shutdown

  #fail(error: unknown): void {
    if (this.#closing) return;
    void this.#closeWith(error);
  }

  async #closeWith(error: unknown, reason?: string): Promise<void> {
    await this.#shutdown({ drain: false }, reason ?? (error ? 'error' : 'closed'), error);
  }

  /** Stops taking deliveries, lets in-flight handlers finish (until `timeoutMs`), flushes acknowledgements and unsubscribes. */
  close(opts: CloseOptions = {}): Promise<void> {
    return this.#shutdown(opts, 'closed', undefined).then(() => this.done.catch(() => undefined));
  }

  async #shutdown(opts: CloseOptions, reason: string, error: unknown): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#setState({ type: 'closing' });
    this.#dispatcher.wake();
    const drain = opts.drain ?? true;
    if (drain && this.#dispatcher.busy > 0) {
      // The deadline's timer is cleared once the handlers are done: a pending 30 s timer would keep the
      // process alive after a clean close.
      const stopDeadline = new AbortController();
      const deadline = sleep(opts.timeoutMs ?? 30_000, stopDeadline.signal).then(
        () => 'timeout' as const,
        () => 'tick' as const,
      );
      try {
        while (this.#dispatcher.busy > 0) {
          if ((await Promise.race([this.#dispatcher.wait().then(() => 'tick' as const), deadline])) === 'timeout') break;
        }
      } finally {
        stopDeadline.abort();
      }
    }
    const closed = new ProtocolError('subscription closed');
    this.#dispatcher.abort(closed);
    this.#abort.abort(closed);
    await this.#transport?.stop();
    this.#untrack();
    this.#setState({ type: 'closed', reason, ...(error !== undefined ? { error } : {}) });
    this.#ready.reject(error ?? new ProtocolError(`subscription ${reason} before it was confirmed`));
    if (error !== undefined) this.#done.reject(error);
    else this.#done.resolve();
  }
}
