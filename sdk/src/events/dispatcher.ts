/**
 * The dispatcher of a subscription: the buffer of deliveries, and for the callback form the
 * handler runs — `concurrency` at a time, events about one node one at a time and in order, each
 * retried with backoff, with an optional per-attempt timeout and a dead-letter step at the end.
 */
import { backoffDelay } from '../backoff.js';
import { TimeoutError } from '../errors.js';
import type { Logger } from '../transport.js';
import type { Track } from './ack-tracker.js';
import type { Delivery, HandlerContext, SubscribeOptions } from './types.js';

/** A delivery handler of the callback form. */
export type Handler = (delivery: Delivery, ctx: HandlerContext) => unknown;

/** One buffered delivery. */
export interface Entry {
  delivery: Delivery;
  seq: number | null;
  nodeId: string | undefined;
  finished: boolean;
  nackDelayMs?: number;
  fingerprint: string | undefined;
  track: Track;
}

/** What the dispatcher needs from its subscription. */
export interface DispatcherHost {
  readonly handler: Handler | undefined;
  readonly opts: Pick<SubscribeOptions, 'onHandlerError' | 'handlerTimeoutMs' | 'onDeadLetter'>;
  readonly logger: Logger;
  closing(): boolean;
  /** Sleeps, rejecting when the subscription closes. */
  sleep(ms: number): Promise<void>;
  /** The delivery was handled (or dead-lettered): acknowledge it. */
  finished(entry: Entry): void;
  /** A handler failed for good under the `stop` policy. */
  stop(error: unknown): void;
}

const RETRY_BACKOFF = { baseDelayMs: 1_000, maxDelayMs: 30_000 };

/** Buffers deliveries and runs the handler over them. */
export class Dispatcher {
  readonly #buffer: Entry[] = [];
  readonly #running = new Map<Entry, AbortController>();
  readonly #runningNodes = new Set<string>();
  readonly #waiters = new Set<() => void>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  /** Handler runs at once (callback form). */
  concurrency: number;

  readonly #host: DispatcherHost;

  constructor(host: DispatcherHost, concurrency: number) {
    this.#host = host;
    this.concurrency = concurrency;
  }

  /** Buffered deliveries. */
  get depth(): number {
    return this.#buffer.length;
  }

  /** Handler runs in progress. */
  get busy(): number {
    return this.#running.size;
  }

  /** Buffers a delivery and dispatches what can run. */
  push(entry: Entry): void {
    this.#buffer.push(entry);
    this.pump();
  }

  /** The next buffered delivery (iterator form). */
  shift(): Entry | undefined {
    return this.#buffer.shift();
  }

  /** Puts a delivery back at the head of the buffer after its nack delay. */
  requeue(entry: Entry): void {
    const delay = entry.nackDelayMs ?? 0;
    entry.nackDelayMs = undefined;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this.#host.closing()) return;
      this.#buffer.unshift(entry);
      this.pump();
    }, delay);
    this.#timers.add(timer);
  }

  /** Wakes waiters and starts handler runs while there is room. */
  pump(): void {
    this.wake();
    if (!this.#host.handler || this.#host.closing()) return;
    while (this.#running.size < this.concurrency) {
      // Events about one node run one at a time, in order: take the first entry whose node is idle.
      const index = this.#buffer.findIndex((e) => e.nodeId === undefined || !this.#runningNodes.has(e.nodeId));
      if (index < 0) return;
      const [entry] = this.#buffer.splice(index, 1);
      void this.#run(entry!);
    }
  }

  /** Resolves at the next change (a delivery buffered, a run ended, the subscription closing). */
  wait(): Promise<void> {
    return new Promise<void>((resolve) => {
      const w = (): void => {
        this.#waiters.delete(w);
        resolve();
      };
      this.#waiters.add(w);
    });
  }

  /** Resolves every pending {@link wait}. */
  wake(): void {
    for (const w of [...this.#waiters]) w();
  }

  /** Aborts running handlers and pending requeues. */
  abort(reason: unknown): void {
    for (const controller of this.#running.values()) controller.abort(reason);
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  async #run(entry: Entry): Promise<void> {
    const { opts } = this.#host;
    const policy = { retries: opts.onHandlerError?.retries ?? 5, then: opts.onHandlerError?.then ?? 'dead-letter' };
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
          const work = Promise.resolve().then(() => this.#host.handler!(entry.delivery, { signal: attemptAbort.signal, attempt }));
          if (opts.handlerTimeoutMs !== undefined) {
            const ms = opts.handlerTimeoutMs;
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
              await this.#host.sleep(backoffDelay(attempt, RETRY_BACKOFF));
            } catch {
              return;
            }
            continue;
          }
          if (policy.then === 'stop') {
            this.#host.stop(error);
            return;
          }
          await this.#deadLetter(entry, error);
          break;
        } finally {
          if (timer) clearTimeout(timer);
          controller.signal.removeEventListener('abort', onOuter);
        }
      }
      if (entry.nackDelayMs !== undefined) this.requeue(entry);
      else this.#host.finished(entry);
    } finally {
      this.#running.delete(entry);
      if (entry.nodeId) this.#runningNodes.delete(entry.nodeId);
      this.pump();
      this.wake();
    }
  }

  async #deadLetter(entry: Entry, error: unknown): Promise<void> {
    try {
      if (this.#host.opts.onDeadLetter) await this.#host.opts.onDeadLetter(entry.delivery, error);
      else this.#host.logger.error('event handler failed for good; acknowledging the event', { sequence: entry.seq, error: String(error) });
    } catch (deadLetterError) {
      this.#host.logger.error('onDeadLetter threw', { error: String(deadLetterError) });
    }
  }
}
