/**
 * The HTTP long-poll transport of a subscription (KernelCI's `/subscribe`, `/listen`): one event
 * per `/listen`, and the next `/listen` acknowledges it, so delivery is one at a time and a listen
 * waits until the previous delivery is handled. A failed subscription is abandoned and recreated
 * with backoff; a recreated non-durable one reports a gap.
 */
import { backoffDelay } from '../backoff.js';
import { ConflictError, ForbiddenError, ProtocolError, UnauthorizedError } from '../errors.js';
import { send } from '../routes.js';
import type { ParsedEvent } from './codec.js';
import type { EventTransport, TransportHost } from './event-transport.js';

const RESUBSCRIBE_BACKOFF = { baseDelayMs: 1_000, maxDelayMs: 30_000 };
const HEALTHY_RESET_MS = 60_000;
const REPLAY_WINDOW_MS = 60_000;
const KERNELCI_CATCHUP_CAP = 1_000;

/** Feeds a subscription from HTTP long-poll. */
export class LongPollTransport implements EventTransport {
  readonly name = 'long-poll' as const;
  readonly #host: TransportHost;
  #listenAbort: AbortController | undefined;
  #subscription: number | null = null;
  #replayWindowUntil = 0;
  #replayCount = 0;

  constructor(host: TransportHost) {
    this.#host = host;
  }

  /** Runs until the subscription closes. */
  async start(): Promise<void> {
    const host = this.#host;
    host.serialize();
    const promisc = host.opts.promiscuous === true || host.opts.filter?.owner !== undefined;
    let failures = 0;
    let lastFailureAt = 0;
    // The backoff resets after 60 s of healthy delivery.
    const failed = (): void => {
      const now = Date.now();
      failures = now - lastFailureAt >= HEALTHY_RESET_MS ? 1 : failures + 1;
      lastFailureAt = now;
    };
    let subscribedOnce = false;
    while (!host.closing()) {
      if (failures > 0) {
        const delayMs = backoffDelay(failures, RESUBSCRIBE_BACKOFF);
        host.setState({ type: 'reconnecting', attempt: failures, delayMs });
        try {
          await host.sleep(delayMs);
        } catch {
          return;
        }
        if (host.closing()) return;
        host.countReconnect();
      }
      let subId: number;
      try {
        const query: Record<string, string> = { promisc: promisc ? 'true' : 'false' };
        if (host.opts.subscriberId) query.subscriber_id = host.opts.subscriberId;
        const { data } = await send<{ id: number }>(
          host.ctx,
          'POST /subscribe/{channel}',
          { path: { channel: host.channel }, query },
          { op: 'never', signal: host.signal },
        );
        subId = data.id;
      } catch (error) {
        if (host.closing()) return;
        if (ForbiddenError.is(error) || ConflictError.is(error) || UnauthorizedError.is(error)) {
          await host.closeWith(error);
          return;
        }
        failed();
        continue;
      }
      this.#subscription = subId;
      this.#replayWindowUntil = Date.now() + REPLAY_WINDOW_MS;
      this.#replayCount = 0;
      if (!subscribedOnce) {
        subscribedOnce = true;
        host.subscribed(null);
      } else {
        host.setState({ type: 'resumed', replayed: 0 });
        // A non-durable subscription that had to be recreated lost whatever was published meanwhile.
        if (!host.opts.subscriberId) await host.gap(0, 0, false);
      }
      const ok = await this.#listenLoop(subId);
      if (host.closing()) return;
      if (!ok) {
        failed();
        // Never listen on an abandoned id again: unsubscribe it (best effort) and subscribe anew.
        void send(host.ctx, 'POST /unsubscribe/{sub_id}', { path: { sub_id: subId } }, { op: 'never' }).catch(() => undefined);
        this.#subscription = null;
      }
    }
  }

  /** Listens until a failure (returns false) or close (returns true). */
  async #listenLoop(subId: number): Promise<boolean> {
    const host = this.#host;
    while (!host.closing()) {
      this.#listenAbort = new AbortController();
      let body: { data?: unknown } | null;
      try {
        ({ data: body } = await send<{ data?: unknown } | null>(
          host.ctx,
          'GET /listen/{sub_id}',
          { path: { sub_id: subId } },
          { op: 'never', phase: 'listen', timeoutMs: host.ctx.options.listenTimeoutMs, signal: this.#listenAbort.signal },
        ));
      } catch (error) {
        if (host.closing()) return true;
        if (ForbiddenError.is(error) || UnauthorizedError.is(error)) {
          await host.closeWith(error);
          return true;
        }
        return false;
      }
      if (!body || typeof body.data !== 'string') {
        host.protocolError(new ProtocolError('listen answered without a data string'), null);
        continue;
      }
      let parsed: ParsedEvent;
      try {
        parsed = host.codec.parseCloudEvent(body.data);
      } catch (error) {
        host.protocolError(error, null);
        continue;
      }
      if (parsed.event.data === 'BEEP') {
        host.heartbeat();
        this.#closeReplayWindow();
        continue;
      }
      const inWindow = Date.now() < this.#replayWindowUntil;
      if (inWindow && parsed.sequence === null) this.#replayCount++;
      const track = host.ingest(parsed, inWindow && parsed.sequence === null);
      // The next listen acknowledges this event, so it waits until the delivery is handled.
      if (track && !track.done) await new Promise<void>((resolve) => (track.resolve = resolve));
    }
    return true;
  }

  #closeReplayWindow(): void {
    if (this.#replayWindowUntil === 0) return;
    this.#replayWindowUntil = 0;
    // KernelCI caps a catch-up at 1000 events: exactly that many means some may be missing.
    if (this.#replayCount === KERNELCI_CATCHUP_CAP) void this.#host.gap(0, 0, false);
  }

  acknowledged(): void {
    // The next `/listen` is the acknowledgement.
  }

  relieved(): void {
    // One event at a time: the buffer never fills.
  }

  async stop(): Promise<void> {
    this.#listenAbort?.abort(new ProtocolError('subscription closed'));
    if (this.#subscription === null) return;
    const id = this.#subscription;
    this.#subscription = null;
    await send(this.#host.ctx, 'POST /unsubscribe/{sub_id}', { path: { sub_id: id } }, { op: 'never' }).catch(() => undefined);
  }
}
