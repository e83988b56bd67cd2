/**
 * The event subscriber (SDK A11): a durable, acknowledged stream over socket.io (primary) or HTTP
 * long-poll (fallback). Events are acknowledged only after their handler finishes, at the low-water
 * mark; redeliveries are dropped by sequence (or by fingerprint without sequences); gaps are reported.
 *
 * socket.io-client and cloudevents are loaded by dynamic `import()` when the subscription starts, so
 * the core entry point does not bundle them (A12.3).
 */
import { backoffDelay, sleep } from '../backoff.js';
import type { MaestroClient } from '../client.js';
import type { ClientContext } from '../context.js';
import {
  EventGapError,
  isConflictError,
  isForbiddenError,
  isMaestroError,
  isUnauthorizedError,
  ProtocolError,
  SubscriptionReplacedError,
  TimeoutError,
  UnauthorizedError,
  UnsupportedFeatureError,
  type MaestroError,
} from '../errors.js';
import { canonicalJson } from '../keys.js';
import { send } from '../routes.js';
import type { Node } from '../types.js';
import type { ParsedEvent } from './codec.js';
import { matchesFilter, passesTransition, toServerFilter, type TransitionRule } from './filter.js';
import { historyPages } from './history.js';
import type { SocketHub, SocketListener } from './socket.js';
import type {
  CloseOptions,
  Delivery,
  HandlerContext,
  NodeEventPayload,
  SubscribeOptions,
  SubscriptionState,
  SubscriptionStats,
} from './types.js';

type Codec = typeof import('./codec.js');

const ACK_COALESCE_MS = 250;
const RESUBSCRIBE_BACKOFF = { baseDelayMs: 1_000, maxDelayMs: 30_000 };
const HEALTHY_RESET_MS = 60_000;
const FINGERPRINT_TTL_MS = 10 * 60_000;
const FINGERPRINT_MAX = 10_000;
const REPLAY_WINDOW_MS = 60_000;
const KERNELCI_CATCHUP_CAP = 1_000;

/** A delivery handler of the callback form. */
export type Handler = (delivery: Delivery, ctx: HandlerContext) => unknown;

interface Entry {
  delivery: Delivery;
  seq: number | null;
  nodeId: string | undefined;
  finished: boolean;
  nackDelayMs?: number;
  fingerprint: string | undefined;
}

interface Track {
  seq: number | null;
  done: boolean;
  resolve?: () => void;
}

type StateListener = (state: SubscriptionState) => void;
type HeartbeatListener = (at: Date) => void;

function fingerprintOf(payload: NodeEventPayload): string {
  const { id, op, state, result, previous_state, previous_result, data } = payload;
  const text = canonicalJson([id, op, state, result, previous_state, previous_result, data ?? null]);
  // FNV-1a keeps the LRU small; collisions only risk dropping a KernelCI replay that looks identical.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return `${String(id)}:${h.toString(36)}:${text.length}`;
}

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
  readonly #client: MaestroClient;
  readonly #opts: SubscribeOptions;
  readonly #channel: string;
  readonly #handler: Handler | undefined;
  readonly #rule: TransitionRule | undefined;
  readonly #maxBuffered: number;
  #concurrency: number;
  #state: SubscriptionState = { type: 'connecting' };
  readonly #stateListeners = new Set<StateListener>();
  readonly #heartbeatListeners = new Set<HeartbeatListener>();
  readonly #stats: SubscriptionStats = { delivered: 0, acked: 0, duplicatesDropped: 0, gaps: 0, queueDepth: 0, reconnects: 0 };

  // Acknowledgement bookkeeping (A11.5): arrival order, the handled low-water mark and what was sent.
  readonly #tracks: Track[] = [];
  readonly #seen = new Set<number>();
  #mark: number | null = null;
  #sentMark: number | null = null;
  #ackTimer: ReturnType<typeof setTimeout> | undefined;
  #highestSeen: number | null = null;

  readonly #buffer: Entry[] = [];
  readonly #running = new Map<Entry, AbortController>();
  readonly #runningNodes = new Set<string>();
  readonly #waiters = new Set<() => void>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #fingerprints = new Map<string, number>();
  #iterPending: Entry | undefined;

  #codec: Codec | undefined;
  #hub: SocketHub | undefined;
  #listener: SocketListener | undefined;
  #subscription: number | null = null;
  #transport: 'socket.io' | 'long-poll' | undefined;
  #paused = false;
  #held: unknown[] | null = null;
  #listenAbort: AbortController | undefined;
  #httpSubscription: number | null = null;
  #replayWindowUntil = 0;
  #replayCount = 0;

  #closing = false;
  readonly #abort = new AbortController();
  #resolveDone!: () => void;
  #rejectDone!: (error: unknown) => void;
  #readyResolve!: () => void;
  #readyReject!: (error: unknown) => void;
  readonly #ready: Promise<void>;
  readonly #untrack: () => void;

  /** Internal: use `events.subscribe` or `events.consume`. */
  constructor(ctx: ClientContext, client: MaestroClient, opts: SubscribeOptions, handler?: Handler) {
    this.#ctx = ctx;
    this.#client = client;
    this.#opts = { ...opts, filter: opts.filter ? { ...opts.filter } : undefined };
    this.#channel = opts.channel ?? 'node';
    this.#handler = handler;
    this.#concurrency = Math.max(1, opts.concurrency ?? 1);
    this.#maxBuffered = Math.max(1, opts.maxBuffered ?? 1000);
    this.#rule = opts.transitionsOnly
      ? { onMissingPrevious: (typeof opts.transitionsOnly === 'object' && opts.transitionsOnly.onMissingPrevious) || 'drop' }
      : undefined;
    this.done = new Promise<void>((resolve, reject) => {
      this.#resolveDone = resolve;
      this.#rejectDone = reject;
    });
    // `done` may legitimately go unobserved; its rejection must not crash the process.
    this.done.catch(() => undefined);
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#readyResolve = resolve;
      this.#readyReject = reject;
    });
    this.#ready.catch(() => undefined);
    this.#untrack = ctx.track(this);
    if (opts.signal) {
      if (opts.signal.aborted) queueMicrotask(() => void this.close({ drain: false }));
      else opts.signal.addEventListener('abort', () => void this.close({ drain: false }), { once: true });
    }
    queueMicrotask(() => {
      this.#start().catch((error) => this.#fail(error));
    });
  }

  /** The current state (A11.9). */
  get state(): SubscriptionState {
    return this.#state;
  }

  /** `"socket.io"` or `"long-poll"` once started. */
  get transport(): 'socket.io' | 'long-poll' | undefined {
    return this.#transport;
  }

  /** Counters (A11.5). */
  stats(): SubscriptionStats {
    return { ...this.#stats, queueDepth: this.#buffer.length };
  }

  /** Listens to state changes or heartbeats; returns a function that removes the listener. */
  on(event: 'state', listener: StateListener): () => void;
  on(event: 'heartbeat', listener: HeartbeatListener): () => void;
  on(event: 'state' | 'heartbeat', listener: StateListener | HeartbeatListener): () => void {
    const set = (event === 'state' ? this.#stateListeners : this.#heartbeatListeners) as Set<typeof listener>;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Resolves when the server first confirmed the subscription; rejects if it closes before. */
  whenSubscribed(): Promise<void> {
    return this.#ready;
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
      return this.#runLongPoll();
    }
    const { hubOf } = await import('./socket.js');
    if (this.#closing) return;
    this.#transport = 'socket.io';
    this.#hub = hubOf(this.#ctx);
    this.#listener = this.#socketListener();
    this.#hub.attach(this.#listener);
    await this.#hub.connected();
    if (!this.#closing) await this.#socketSubscribe(false);
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

  #socketListener(): SocketListener {
    return {
      onEvent: (message) => {
        if (this.#held) this.#held.push(message);
        else this.#ingestSocket(message);
      },
      onClosed: (reason) => {
        this.#subscription = null;
        if (this.#closing) return;
        if (reason === 'replaced') {
          void this.#closeWith(new SubscriptionReplacedError('another consumer took over this durable subscriber id', { subscriberId: this.#opts.subscriberId }));
        } else if (reason === 'unauthorized') {
          void this.#closeWith(new UnauthorizedError({ status: 401, detail: 'Unauthorized' }));
        } else if (reason === 'expired') {
          void this.#resubscribeLater(1, reason);
        } else {
          void this.#closeWith(undefined, reason);
        }
      },
      onReconnected: () => {
        if (this.#closing || this.#state.type === 'connecting') return;
        this.#stats.reconnects++;
        void this.#socketSubscribe(true).catch((error) => this.#fail(error));
      },
      onDisconnected: (cause) => {
        this.#subscription = null;
        if (!this.#closing) this.#setState({ type: 'reconnecting', attempt: 0, delayMs: 0, cause });
      },
      onReconnecting: (attempt, cause) => {
        if (!this.#closing) this.#setState({ type: 'reconnecting', attempt, delayMs: 0, cause });
      },
      onHeartbeat: () => this.#heartbeat(),
      onFatal: (kind, cause) => {
        if (this.#closing) return;
        if (kind === 'unauthorized') {
          void this.#closeWith(new UnauthorizedError({ status: 401, detail: 'Unauthorized', cause }));
          return;
        }
        // No realtime endpoint (A11.4): long-poll for the rest of this subscription's life.
        this.#detachSocket();
        this.#setState({ type: 'degraded', transport: 'long-poll' });
        void this.#runLongPoll().catch((error) => this.#fail(error));
      },
    };
  }

  #detachSocket(): void {
    if (this.#hub && this.#listener) this.#hub.detach(this.#listener);
    this.#hub = undefined;
    this.#listener = undefined;
  }

  async #resubscribeLater(attempt: number, cause: unknown): Promise<void> {
    const delayMs = backoffDelay(attempt, RESUBSCRIBE_BACKOFF);
    this.#setState({ type: 'reconnecting', attempt, delayMs, cause });
    try {
      await this.#sleep(delayMs);
      if (!this.#closing && this.#hub?.isConnected) await this.#socketSubscribe(true);
    } catch (error) {
      if (!this.#closing) this.#fail(error);
    }
  }

  async #socketSubscribe(resuming: boolean): Promise<void> {
    const hub = this.#hub!;
    const filter = toServerFilter(this.#opts.filter);
    const promisc = this.#opts.promiscuous === true || this.#opts.filter?.owner !== undefined;
    let from: number | undefined;
    if (this.#mark !== null) from = this.#mark;
    else if (!resuming && typeof this.#opts.from === 'number') from = this.#opts.from;
    const payload = {
      channel: this.#channel,
      ...(filter ? { filter } : {}),
      ...(promisc ? { promisc: true } : {}),
      ...(this.#opts.subscriberId ? { subscriber_id: this.#opts.subscriberId } : {}),
      ...(from !== undefined ? { from_sequence: from } : {}),
    };
    let ack: { subscription: number; cursor: number; oldest_sequence_id: number | null };
    try {
      ack = await hub.request<typeof ack>('subscribe', payload);
    } catch (error) {
      if (isForbiddenError(error) || isConflictError(error) || isUnauthorizedError(error)) {
        await this.#closeWith(error as MaestroError);
        return;
      }
      throw error;
    }
    if (this.#closing) {
      await hub.request('unsubscribe', { subscription: ack.subscription }).catch(() => undefined);
      return;
    }
    this.#subscription = ack.subscription;
    // A resume (from a mark, a start sequence or a durable cursor) that starts before the oldest retained
    // event may have missed the expired ones (A11.6).
    const resumed = from !== undefined || this.#opts.subscriberId !== undefined;
    const gap = resumed && ack.oldest_sequence_id !== null && ack.oldest_sequence_id > ack.cursor + 1;
    if (gap) this.#held = [];
    hub.bind(ack.subscription, this.#listener!);
    if (resuming) {
      const replayed = this.#highestSeen !== null && this.#highestSeen > ack.cursor ? this.#highestSeen - ack.cursor : 0;
      this.#setState({ type: 'resumed', replayed });
    } else {
      this.#setState({ type: 'subscribed', resumedFrom: from ?? null });
      this.#readyResolve();
    }
    if (gap) await this.#handleGap(ack.cursor + 1, ack.oldest_sequence_id! - 1, false);
  }

  async #handleGap(from: number, to: number, certain: boolean): Promise<void> {
    this.#stats.gaps++;
    this.#setState({ type: 'gap', from, to, certain });
    const policy = this.#opts.onGap ?? (this.#opts.subscriberId ? 'backfill' : 'emit');
    try {
      if (policy === 'error') {
        await this.#closeWith(new EventGapError(`events ${from}–${to} may have been lost`, { from, to, certain }));
        return;
      }
      if (policy === 'backfill' && from > 0) {
        // Read the range from the history (A11.6) and deliver it, replayed, before live delivery resumes.
        const historyFilter = { channel: this.#channel, ...(typeof this.#opts.filter?.kind === 'string' ? { kind: this.#opts.filter.kind } : {}) };
        for await (const page of historyPages(this.#ctx, historyFilter, { signal: this.#abort.signal })) {
          for (const stored of page) {
            if (stored.sequence_id < from || stored.sequence_id > to) continue;
            this.#ingest({ event: this.#codec!.parseCloudEvent(storedToEvent(stored)).event, sequence: stored.sequence_id }, true);
          }
          if (page.length > 0 && page[page.length - 1]!.sequence_id > to) break;
        }
      }
    } finally {
      const held = this.#held ?? [];
      this.#held = null;
      for (const m of held) this.#ingestSocket(m as Parameters<SocketListener['onEvent']>[0]);
    }
  }

  #ingestSocket(message: { sequence_id: number; event: unknown }): void {
    if (this.#closing) return;
    let parsed: ParsedEvent;
    try {
      parsed = this.#codec!.parseCloudEvent(message.event);
    } catch (error) {
      this.#protocolError(error, typeof message?.sequence_id === 'number' ? message.sequence_id : null);
      return;
    }
    if (parsed.sequence === null && typeof message.sequence_id === 'number') parsed = { ...parsed, sequence: message.sequence_id };
    this.#ingest(parsed, false);
    this.#applyBackpressure();
  }

  #protocolError(error: unknown, seq: number | null): void {
    const pe = isMaestroError(error) ? (error as ProtocolError) : new ProtocolError(String(error), { cause: error });
    try {
      if (this.#opts.onProtocolError) this.#opts.onProtocolError(pe);
      else this.#ctx.logger.warn('skipping an invalid event', { error: pe.message });
    } finally {
      // A malformed event never stalls the stream: acknowledge and skip it (A11.10).
      if (seq !== null && !this.#isDuplicate(seq)) this.#finishTrack(this.#newTrack(seq));
    }
  }

  #applyBackpressure(): void {
    // Non-durable socket.io subscriptions unsubscribe when the buffer is full and resume from the mark (A11.7).
    if (this.#opts.subscriberId || this.#transport !== 'socket.io' || this.#paused) return;
    if (this.#buffer.length < this.#maxBuffered || this.#subscription === null) return;
    this.#paused = true;
    const id = this.#subscription;
    this.#subscription = null;
    this.#hub?.unbind(id);
    void this.#hub?.request('unsubscribe', { subscription: id }).catch(() => undefined);
  }

  #maybeResume(): void {
    if (!this.#paused || this.#buffer.length > this.#maxBuffered / 2 || this.#closing) return;
    this.#paused = false;
    void this.#socketSubscribe(true).catch((error) => this.#fail(error));
  }

  // ------------------------------------------------------------------ long-poll (A11.8)

  async #runLongPoll(): Promise<void> {
    this.#transport = 'long-poll';
    if (this.#concurrency > 1) {
      this.#ctx.logger.info('long-poll delivers one event at a time: concurrency lowered to 1');
      this.#concurrency = 1;
    }
    const promisc = this.#opts.promiscuous === true || this.#opts.filter?.owner !== undefined;
    let failures = 0;
    let lastFailureAt = 0;
    // The backoff resets after 60 s of healthy delivery (A11.8).
    const failed = (): void => {
      const now = Date.now();
      failures = now - lastFailureAt >= HEALTHY_RESET_MS ? 1 : failures + 1;
      lastFailureAt = now;
    };
    let subscribedOnce = false;
    while (!this.#closing) {
      if (failures > 0) {
        const delayMs = backoffDelay(failures, RESUBSCRIBE_BACKOFF);
        this.#setState({ type: 'reconnecting', attempt: failures, delayMs });
        try {
          await this.#sleep(delayMs);
        } catch {
          return;
        }
        if (this.#closing) return;
        this.#stats.reconnects++;
      }
      let subId: number;
      try {
        const query: Record<string, string> = { promisc: promisc ? 'true' : 'false' };
        if (this.#opts.subscriberId) query.subscriber_id = this.#opts.subscriberId;
        const { data } = await send<{ id: number }>(
          this.#ctx,
          'POST /subscribe/{channel}',
          { path: { channel: this.#channel }, query },
          { op: 'never', signal: this.#abort.signal },
        );
        subId = data.id;
      } catch (error) {
        if (this.#closing) return;
        if (isForbiddenError(error) || isConflictError(error) || isUnauthorizedError(error)) {
          await this.#closeWith(error as MaestroError);
          return;
        }
        failed();
        continue;
      }
      this.#httpSubscription = subId;
      this.#replayWindowUntil = Date.now() + REPLAY_WINDOW_MS;
      this.#replayCount = 0;
      if (!subscribedOnce) {
        subscribedOnce = true;
        this.#setState({ type: 'subscribed', resumedFrom: null });
        this.#readyResolve();
      } else {
        this.#setState({ type: 'resumed', replayed: 0 });
        // A non-durable subscription that had to be recreated lost whatever was published meanwhile (A11.6).
        if (!this.#opts.subscriberId) await this.#handleGap(0, 0, false);
      }
      const ok = await this.#listenLoop(subId);
      if (this.#closing) return;
      if (!ok) {
        failed();
        // Never listen on an abandoned id again: unsubscribe it (best effort) and subscribe anew (A11.8).
        void send(this.#ctx, 'POST /unsubscribe/{sub_id}', { path: { sub_id: subId } }, { op: 'never' }).catch(() => undefined);
        this.#httpSubscription = null;
      }
    }
  }

  /** Listens until a failure (returns false) or close (returns true). */
  async #listenLoop(subId: number): Promise<boolean> {
    while (!this.#closing) {
      this.#listenAbort = new AbortController();
      let body: { data?: unknown } | null;
      try {
        ({ data: body } = await send<{ data?: unknown } | null>(
          this.#ctx,
          'GET /listen/{sub_id}',
          { path: { sub_id: subId } },
          { op: 'never', phase: 'listen', timeoutMs: this.#ctx.options.listenTimeoutMs, signal: this.#listenAbort.signal },
        ));
      } catch (error) {
        if (this.#closing) return true;
        if (isForbiddenError(error) || isUnauthorizedError(error)) {
          await this.#closeWith(error as MaestroError);
          return true;
        }
        return false;
      }
      if (!body || typeof body.data !== 'string') {
        this.#protocolError(new ProtocolError('listen answered without a data string'), null);
        continue;
      }
      let parsed: ParsedEvent;
      try {
        parsed = this.#codec!.parseCloudEvent(body.data);
      } catch (error) {
        this.#protocolError(error, null);
        continue;
      }
      if (parsed.event.data === 'BEEP') {
        this.#heartbeat();
        this.#closeReplayWindow();
        continue;
      }
      const inWindow = Date.now() < this.#replayWindowUntil;
      if (inWindow && parsed.sequence === null) this.#replayCount++;
      const track = this.#ingest(parsed, inWindow && parsed.sequence === null);
      // The next listen acknowledges this event, so it waits until the delivery is handled (A11.8).
      if (track && !track.done) await new Promise<void>((resolve) => (track.resolve = resolve));
    }
    return true;
  }

  #closeReplayWindow(): void {
    if (this.#replayWindowUntil === 0) return;
    this.#replayWindowUntil = 0;
    // KernelCI caps a catch-up at 1000 events: exactly that many means some may be missing (A11.6).
    if (this.#replayCount === KERNELCI_CATCHUP_CAP) void this.#handleGap(0, 0, false);
  }

  // ------------------------------------------------------------------ ingestion, dedup and dispatch

  #isDuplicate(seq: number): boolean {
    return (this.#mark !== null && seq <= this.#mark) || this.#seen.has(seq);
  }

  #newTrack(seq: number | null): Track {
    const track: Track = { seq, done: false };
    this.#tracks.push(track);
    if (seq !== null) {
      this.#seen.add(seq);
      if (this.#highestSeen === null || seq > this.#highestSeen) this.#highestSeen = seq;
    }
    return track;
  }

  /** Filters, de-duplicates and buffers one event; returns its track, or undefined when dropped as a duplicate. */
  #ingest(parsed: ParsedEvent, replayed: boolean): Track | undefined {
    const { event, sequence } = parsed;
    if (sequence !== null && this.#isDuplicate(sequence)) {
      this.#stats.duplicatesDropped++;
      return undefined;
    }
    const payload = (event.data && typeof event.data === 'object' ? event.data : {}) as NodeEventPayload;
    let fingerprint: string | undefined;
    if (sequence === null && typeof event.data === 'object') {
      fingerprint = fingerprintOf(payload);
      const seenAt = this.#fingerprints.get(fingerprint);
      if (replayed && seenAt !== undefined && Date.now() - seenAt < FINGERPRINT_TTL_MS) {
        this.#stats.duplicatesDropped++;
        return undefined;
      }
    }
    const track = this.#newTrack(sequence);
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
    };
    entry.delivery = this.#makeDelivery(entry, event, payload, sequence, replayed);
    (entry as Entry & { track: Track }).track = track;
    this.#buffer.push(entry);
    this.#pump();
    return track;
  }

  #makeDelivery(entry: Entry, event: Delivery['event'], payload: NodeEventPayload, sequence: number | null, replayed: boolean): Delivery {
    let node: Promise<Node> | undefined;
    const client = this.#client;
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
        if (!this.#handler && !entry.finished) this.#requeue(entry);
      },
      node: () => {
        if (typeof payload.id !== 'string') return Promise.reject(new ProtocolError('this event names no node'));
        node ??= client.nodes.get(payload.id);
        return node;
      },
    });
  }

  #requeue(entry: Entry): void {
    const delay = entry.nackDelayMs ?? 0;
    entry.nackDelayMs = undefined;
    if (this.#iterPending === entry) this.#iterPending = undefined;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this.#closing) return;
      this.#buffer.unshift(entry);
      this.#pump();
    }, delay);
    this.#timers.add(timer);
  }

  #finish(entry: Entry): void {
    if (entry.finished) return;
    entry.finished = true;
    if (this.#iterPending === entry) this.#iterPending = undefined;
    if (entry.fingerprint) this.#rememberFingerprint(entry.fingerprint);
    this.#finishTrack((entry as Entry & { track: Track }).track);
    this.#maybeResume();
  }

  #rememberFingerprint(fp: string): void {
    this.#fingerprints.delete(fp);
    this.#fingerprints.set(fp, Date.now());
    if (this.#fingerprints.size > FINGERPRINT_MAX) this.#fingerprints.delete(this.#fingerprints.keys().next().value!);
  }

  #finishTrack(track: Track): void {
    track.done = true;
    track.resolve?.();
    // Low-water mark: the highest sequence below which every delivered event has finished (A11.5).
    let advanced = false;
    while (this.#tracks.length > 0 && this.#tracks[0]!.done) {
      const t = this.#tracks.shift()!;
      if (t.seq !== null) {
        this.#seen.delete(t.seq);
        if (this.#mark === null || t.seq > this.#mark) this.#mark = t.seq;
        advanced = true;
      }
      this.#stats.acked++;
    }
    if (advanced) this.#scheduleAck();
  }

  #scheduleAck(): void {
    if (this.#transport !== 'socket.io' || this.#ackTimer !== undefined) return;
    this.#ackTimer = setTimeout(() => {
      this.#ackTimer = undefined;
      void this.#flushAck();
    }, ACK_COALESCE_MS);
  }

  async #flushAck(): Promise<void> {
    if (this.#ackTimer !== undefined) {
      clearTimeout(this.#ackTimer);
      this.#ackTimer = undefined;
    }
    const mark = this.#mark;
    if (mark === null || this.#subscription === null || !this.#hub || (this.#sentMark !== null && mark <= this.#sentMark)) return;
    try {
      await this.#hub.request('ack', { subscription: this.#subscription, sequence_id: mark });
      if (this.#sentMark === null || mark > this.#sentMark) this.#sentMark = mark;
    } catch (error) {
      this.#ctx.logger.warn('acknowledgement failed; the events will be redelivered and de-duplicated', { error: String(error) });
    }
  }

  #pump(): void {
    for (const w of [...this.#waiters]) w();
    if (!this.#handler || this.#closing) return;
    while (this.#running.size < this.#concurrency) {
      // Events about one node run one at a time, in order: take the first entry whose node is idle.
      const index = this.#buffer.findIndex((e) => e.nodeId === undefined || !this.#runningNodes.has(e.nodeId));
      if (index < 0) return;
      const [entry] = this.#buffer.splice(index, 1);
      void this.#run(entry!);
    }
  }

  async #run(entry: Entry): Promise<void> {
    const policy = { retries: this.#opts.onHandlerError?.retries ?? 5, then: this.#opts.onHandlerError?.then ?? 'dead-letter' };
    const controller = new AbortController();
    this.#running.set(entry, controller);
    if (entry.nodeId) this.#runningNodes.add(entry.nodeId);
    try {
      for (let attempt = 1; ; attempt++) {
        const attemptAbort = new AbortController();
        const onOuter = (): void => attemptAbort.abort(controller.signal.reason);
        controller.signal.addEventListener('abort', onOuter, { once: true });
        let timer: ReturnType<typeof setTimeout> | undefined;
        try {
          const work = Promise.resolve().then(() => this.#handler!(entry.delivery, { signal: attemptAbort.signal, attempt }));
          if (this.#opts.handlerTimeoutMs !== undefined) {
            const ms = this.#opts.handlerTimeoutMs;
            const timeout = new Promise<never>((_, reject) => {
              timer = setTimeout(() => {
                const error = new TimeoutError(`event handler did not finish within ${ms} ms`, { phase: 'handler', timeoutMs: ms });
                attemptAbort.abort(error);
                reject(error);
              }, ms);
            });
            await Promise.race([work, timeout]);
          } else {
            await work;
          }
          break;
        } catch (error) {
          if (controller.signal.aborted) return;
          if (attempt <= policy.retries) {
            try {
              await this.#sleep(backoffDelay(attempt, RESUBSCRIBE_BACKOFF));
            } catch {
              return;
            }
            continue;
          }
          if (policy.then === 'stop') {
            void this.#closeWith(error);
            return;
          }
          await this.#deadLetter(entry, error);
          break;
        } finally {
          if (timer) clearTimeout(timer);
          controller.signal.removeEventListener('abort', onOuter);
        }
      }
      if (entry.nackDelayMs !== undefined) this.#requeue(entry);
      else this.#finish(entry);
    } finally {
      this.#running.delete(entry);
      if (entry.nodeId) this.#runningNodes.delete(entry.nodeId);
      this.#pump();
      for (const w of [...this.#waiters]) w();
    }
  }

  async #deadLetter(entry: Entry, error: unknown): Promise<void> {
    try {
      if (this.#opts.onDeadLetter) await this.#opts.onDeadLetter(entry.delivery, error);
      else this.#ctx.logger.error('event handler failed for good; acknowledging the event', { sequence: entry.seq, error: String(error) });
    } catch (deadLetterError) {
      this.#ctx.logger.error('onDeadLetter threw', { error: String(deadLetterError) });
    }
  }

  #sleep(ms: number): Promise<void> {
    return sleep(ms, this.#abort.signal);
  }

  #wait(): Promise<void> {
    return new Promise<void>((resolve) => {
      const w = (): void => {
        this.#waiters.delete(w);
        resolve();
      };
      this.#waiters.add(w);
    });
  }

  // ------------------------------------------------------------------ iterator form (A11.9)

  /** Yields deliveries; with `autoAck` (default) a delivery is acknowledged when the loop asks for the next. */
  [Symbol.asyncIterator](): AsyncIterator<Delivery> {
    if (this.#handler) throw new ProtocolError('a subscription with a handler cannot also be iterated');
    return {
      next: async (): Promise<IteratorResult<Delivery>> => {
        if (this.#iterPending && this.#opts.autoAck !== false) this.#finish(this.#iterPending);
        for (;;) {
          const entry = this.#buffer.shift();
          if (entry) {
            this.#iterPending = entry;
            this.#maybeResume();
            return { value: entry.delivery, done: false };
          }
          if (this.#closing) {
            await this.done.catch(() => undefined);
            return { value: undefined, done: true };
          }
          await this.#wait();
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

  // ------------------------------------------------------------------ shutdown (A11.11)

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
    for (const w of [...this.#waiters]) w();
    const drain = opts.drain ?? true;
    if (drain && this.#running.size > 0) {
      // The deadline's timer is cleared once the handlers are done: a pending 30 s timer would keep the
      // process alive after a clean close.
      const stopDeadline = new AbortController();
      const deadline = sleep(opts.timeoutMs ?? 30_000, stopDeadline.signal).then(
        () => 'timeout' as const,
        () => 'tick' as const,
      );
      try {
        while (this.#running.size > 0) {
          if ((await Promise.race([this.#wait().then(() => 'tick' as const), deadline])) === 'timeout') break;
        }
      } finally {
        stopDeadline.abort();
      }
    }
    for (const controller of this.#running.values()) controller.abort(new ProtocolError('subscription closed'));
    this.#abort.abort(new ProtocolError('subscription closed'));
    this.#listenAbort?.abort(new ProtocolError('subscription closed'));
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    if (this.#transport === 'socket.io') {
      await this.#flushAck();
      if (this.#subscription !== null && this.#hub?.isConnected) {
        await this.#hub.request('unsubscribe', { subscription: this.#subscription }).catch(() => undefined);
      }
      this.#subscription = null;
    }
    if (this.#ackTimer !== undefined) clearTimeout(this.#ackTimer);
    this.#detachSocket();
    if (this.#httpSubscription !== null) {
      const id = this.#httpSubscription;
      this.#httpSubscription = null;
      await send(this.#ctx, 'POST /unsubscribe/{sub_id}', { path: { sub_id: id } }, { op: 'never' }).catch(() => undefined);
    }
    this.#untrack();
    this.#setState({ type: 'closed', reason, ...(error !== undefined ? { error } : {}) });
    this.#readyReject(error ?? new ProtocolError(`subscription ${reason} before it was confirmed`));
    if (error !== undefined) this.#rejectDone(error);
    else this.#resolveDone();
  }
}

function storedToEvent(stored: { id: string; timestamp: string; data: unknown; owner: string | null; sequence_id: number }): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: stored.id,
    source: 'https://api.kernelci.org/',
    type: 'api.kernelci.org',
    time: /[zZ]|[+-]\d\d:\d\d$/.test(stored.timestamp) ? stored.timestamp : `${stored.timestamp}+00:00`,
    data: stored.data,
    ...(stored.owner ? { owner: stored.owner } : {}),
  };
}
