/**
 * `nodes.waitFor` (SDK A10). To avoid the subscribe/read race it subscribes first (non-durable,
 * filtered on the node id, promiscuous), then reads and tests, then re-reads on each matching event:
 * events carry no artifacts, so tests always see a fresh read. It polls instead when asked, without
 * a token, in KernelCI mode (no server-side event filters) or when the event transport fails.
 */
import { sleep } from './backoff.js';
import type { ClientContext, Closable } from './context.js';
import { NotFoundError, ProtocolError, WaitConditionUnreachableError, WaitTimeoutError } from './errors.js';
import type { Subscription } from './events/subscription.js';
import type { SubscribeOptions } from './events/types.js';
import type { NodeResult, NodeState } from './states.js';
import type { CallOptions } from './transport.js';
import type { Node } from './types.js';

/** Internal: opens a subscription (the client's `events.subscribe`). */
export type SubscribeFn = (opts: SubscribeOptions) => Subscription;

/** Internal: what `waitFor` needs from the client: a node read and a subscription. */
export interface WaitDeps {
  getNode(id: string, opts?: CallOptions): Promise<Node>;
  subscribe: SubscribeFn;
}

/** What `waitFor` waits for: a state, `{ state?, result? }` (values or lists), or a predicate. */
export type WaitCondition =
  | NodeState
  | { state?: NodeState | readonly NodeState[]; result?: NodeResult | null | readonly (NodeResult | null)[] }
  | ((node: Node) => boolean);

/** Options of `nodes.waitFor`. */
export interface WaitOptions {
  /** Overall deadline; required. */
  timeoutMs: number;
  /** First poll interval (grows ×1.5 up to 15 s); default 2 000 ms. */
  pollIntervalMs?: number;
  /** `"auto"` (default): events when possible, else polling. */
  via?: 'auto' | 'events' | 'poll';
  signal?: AbortSignal;
  /** Predicates only: reject with `WaitConditionUnreachableError` once the node is done. */
  stopWhenDone?: boolean;
}

const MAX_POLL_MS = 15_000;

function oneOf<T>(value: T | readonly T[] | undefined, actual: T): boolean {
  if (value === undefined) return true;
  return Array.isArray(value) ? (value as readonly T[]).includes(actual) : value === actual;
}

/** Internal: implements `nodes.waitFor`. */
export async function waitFor(ctx: ClientContext, deps: WaitDeps, target: Node | string, condition: WaitCondition, opts: WaitOptions): Promise<Node> {
  const id = typeof target === 'string' ? target : target.id;
  const test = (node: Node): boolean =>
    typeof condition === 'function'
      ? condition(node)
      : typeof condition === 'string'
        ? node.state === condition
        : oneOf(condition.state, node.state) && oneOf(condition.result, node.result);
  const structural = typeof condition !== 'function';

  const stop = new AbortController();
  const deadline = setTimeout(() => stop.abort('timeout'), opts.timeoutMs);
  const onCaller = (): void => stop.abort('caller');
  opts.signal?.addEventListener('abort', onCaller, { once: true });
  let wake: (() => void) | undefined;
  const kick = (): void => wake?.();
  const closable: Closable = { close: async () => stop.abort('closed') };
  const untrack = ctx.track(closable);
  let sub: Subscription | undefined;
  let lastNode: Node | undefined;

  try {
    let polling = opts.via === 'poll' || !ctx.hasToken || (await ctx.mode()) === 'kernelci';
    if (!polling) {
      try {
        sub = deps.subscribe({ filter: { node_id: id }, promiscuous: true, transport: 'socket.io', maxBuffered: 10 });
        sub.on('state', (s) => {
          if (s.type === 'resumed' || s.type === 'degraded') kick();
          if (s.type === 'closed') {
            polling = true;
            kick();
          }
        });
        await Promise.race([sub.whenSubscribed(), aborted(stop.signal)]);
        void drain(sub, kick);
      } catch (error) {
        if (stop.signal.aborted) throw error;
        ctx.logger.info('waitFor: event transport unavailable, polling', { error: String(error) });
        await sub?.close({ drain: false });
        sub = undefined;
        polling = true;
      }
    }
    let interval = opts.pollIntervalMs ?? 2_000;
    for (;;) {
      if (stop.signal.aborted) break;
      const node = await deps.getNode(id, { signal: stop.signal }).catch((error) => {
        if (stop.signal.aborted) return undefined;
        if (NotFoundError.is(error)) throw error;
        ctx.logger.debug('waitFor: read failed, retrying', { error: String(error) });
        return undefined;
      });
      if (node) {
        lastNode = node;
        if (test(node)) return node;
        if (node.state === 'done' && (structural || opts.stopWhenDone)) {
          throw new WaitConditionUnreachableError(`node ${id} is done and cannot meet the condition`, { node });
        }
      }
      const woke = new Promise<void>((resolve) => (wake = resolve));
      // With events, the timer is only a safety net; without, it is the poll interval. Each nap is
      // cancelled when it ends: a wake-up must not leave its timer and an abort listener on `stop`
      // behind (eleven events used to trigger Node's MaxListenersExceededWarning).
      const nap = new AbortController();
      const endNap = (): void => nap.abort();
      stop.signal.addEventListener('abort', endNap, { once: true });
      try {
        await Promise.race([woke, sleep(polling ? interval : MAX_POLL_MS, nap.signal).catch(() => undefined)]);
      } finally {
        stop.signal.removeEventListener('abort', endNap);
        nap.abort();
      }
      if (polling) interval = Math.min(MAX_POLL_MS, interval * 1.5);
    }
    if (stop.signal.reason === 'caller') throw opts.signal!.reason;
    if (stop.signal.reason === 'closed') throw new ProtocolError('client closed while waiting');
    throw new WaitTimeoutError(`node ${id} did not meet the condition within ${opts.timeoutMs} ms`, { timeoutMs: opts.timeoutMs, lastNode });
  } finally {
    clearTimeout(deadline);
    opts.signal?.removeEventListener('abort', onCaller);
    untrack();
    stop.abort('done');
    await sub?.close({ drain: false });
  }
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal.aborted) reject(new ProtocolError(`wait ended: ${String(signal.reason)}`));
    signal.addEventListener('abort', () => reject(new ProtocolError(`wait ended: ${String(signal.reason)}`)), { once: true });
  });
}

async function drain(sub: Subscription, kick: () => void): Promise<void> {
  try {
    for await (const _delivery of sub) kick();
  } catch {
    kick();
  }
}
