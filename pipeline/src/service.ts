/**
 * What every service receives, and the one way event services consume (docs/pipeline.md#restarts-lose-nothing-and-duplicate-nothing): a durable
 * subscription named `<instance>:<channel>`, transitions only, acknowledged by the SDK after the
 * handler resolves, closed with a drain on shutdown.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PipelineConfig } from './config';
import type { CrashFn } from './crash';
import type { Logger } from './log';
import type { ConsumeOptions, Delivery, Maestro, MaestroNode, NodeFilter, NodeInput, Subscription } from './maestro';

export interface ServiceContext {
  config: PipelineConfig;
  maestro: Maestro;
  log: Logger;
  crash: CrashFn;
  /** `--instance`, defaulting to the service name; names the durable subscription and work dirs. */
  instance: string;
  /** `--quiet`: the report service does not print reports. */
  quiet: boolean;
  /**
   * Job names whose first run (retry_counter 0) runtime-shell ends `incomplete` with the
   * `Infrastructure` error code instead of running: `PIPELINE_INJECT_INFRA_FAILURE=<job>,…`, for
   * the demo and the tests of job-retry.
   */
  injectInfraFailure?: readonly string[];
}

/** A running service: `stop()` stops taking work, lets the current handler finish, and resolves. */
export interface RunningService {
  stop(): Promise<void>;
  /** Settles when the service ends on its own (a terminal subscription error rejects it). */
  done: Promise<void>;
}

/** How long a stopping service lets the current handler finish (docs/pipeline.md#restarts-lose-nothing-and-duplicate-nothing). */
export const DRAIN_TIMEOUT_MS = 20_000;

/**
 * Subscribes durably and logs the subscription's life: `subscription.resumed` when the server
 * resumed an existing cursor (docs/pipeline.md#tests looks for it after each restart), `subscription.reconnecting`
 * and `subscription.gap` as they happen.
 *
 * A restarted process has no acknowledged mark yet, so it subscribes without `from_sequence` and
 * the server resumes from the durable cursor it stored (sdk/README.md#events-delivery-guarantees); the SDK then reports a plain
 * `subscribed`. A marker file in the instance's work directory, written at the first successful
 * subscription, is how the service knows that this subscription resumes an earlier one.
 */
export function consumeEvents(
  ctx: ServiceContext,
  options: Omit<ConsumeOptions, 'subscriberId' | 'transitionsOnly'>,
  handler: (delivery: Delivery) => Promise<void>,
): RunningService {
  const channel = options.channel ?? 'node';
  const subscriberId = `${ctx.instance}:${channel}`;
  const marker = join(ctx.config.workDir, ctx.instance, `subscribed-${channel}`);
  let resuming = existsSync(marker);
  const sub: Subscription = ctx.maestro.events.consume(
    { ...options, channel, subscriberId, transitionsOnly: true, onHandlerError: options.onHandlerError ?? { retries: 5, then: 'dead-letter' } },
    async (delivery) => {
      try {
        await handler(delivery);
      } catch (err) {
        // The SDK retries and dead-letters (sdk/README.md#events-delivery-guarantees); this line says which node failed and why.
        ctx.log.warn('handler failed', { action: 'handler.failed', node: delivery.payload.id, sequence: delivery.sequence, error: err });
        throw err;
      }
    },
  );
  sub.on('state', (state) => {
    switch (state.type) {
      case 'subscribed':
        if (resuming || (state.resumedFrom !== undefined && state.resumedFrom !== null)) {
          ctx.log.info('subscription resumed', { action: 'subscription.resumed', subscriber: subscriberId, sequence: state.resumedFrom ?? null });
        } else {
          ctx.log.info('subscribed', { action: 'subscription.subscribed', subscriber: subscriberId });
          mkdirSync(join(ctx.config.workDir, ctx.instance), { recursive: true });
          writeFileSync(marker, `${subscriberId}\n`);
        }
        resuming = true;
        break;
      case 'resumed':
        ctx.log.info('subscription resumed', { action: 'subscription.resumed', subscriber: subscriberId, replayed: state.replayed });
        break;
      case 'reconnecting':
        ctx.log.warn('subscription reconnecting', { action: 'subscription.reconnecting', subscriber: subscriberId, attempt: state.attempt, error: state.cause });
        break;
      case 'gap':
        ctx.log.warn('events may have been missed', { action: 'subscription.gap', subscriber: subscriberId, from: state.from, to: state.to, certain: state.certain });
        break;
      case 'degraded':
        ctx.log.warn('subscription degraded', { action: 'subscription.degraded', subscriber: subscriberId, transport: state.transport });
        break;
      default:
        break;
    }
  });
  return {
    stop: () => sub.close({ drain: true, timeoutMs: DRAIN_TIMEOUT_MS }),
    done: sub.done,
  };
}

/**
 * `nodes.ensure` with its log line: `<what>.created` when this call created the node, and
 * `<what>.exists` when the key found it (a redelivery or a restart), with `fields` added.
 */
export async function ensureLogged(
  ctx: Pick<ServiceContext, 'maestro' | 'log'>,
  what: string,
  input: NodeInput,
  key: string,
  fields: Record<string, unknown>,
): Promise<{ node: MaestroNode; created: boolean }> {
  const outcome = await ctx.maestro.nodes.ensure(input, { key });
  ctx.log.info(outcome.created ? `${what} created` : `${what} already existed`, {
    action: `${what}.${outcome.created ? 'created' : 'exists'}`,
    node: outcome.node.id,
    ...fields,
  });
  return outcome;
}

/** `data.kernel_revision` of a node, or an empty object. */
export function kernelRevision(data: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const kr = data?.kernel_revision;
  return typeof kr === 'object' && kr !== null ? (kr as Record<string, unknown>) : {};
}

/** Milliseconds until a naive-UTC timestamp (docs/sdk.md), or Infinity when absent. */
export function msUntil(timestamp: string | null | undefined, now = Date.now()): number {
  if (!timestamp) return Infinity;
  const hasZone = /[zZ]|[+-]\d\d:?\d\d$/.test(timestamp);
  return Date.parse(hasZone ? timestamp : `${timestamp}Z`) - now;
}

/** Nodes read at most when the server cannot sort (KernelCI mode). */
export const MAX_UNSORTED_SCAN = 10_000;

/**
 * The newest node matching `filter` that `accept` takes: `sort: "-created"` where the server allows
 * it (keyset pagination on an index, sdk/README.md#nodes), reading at most `max` candidates. In KernelCI mode the
 * SDK refuses `sort`, so the candidates are read unsorted and ordered here.
 */
export async function findNewest(maestro: Maestro, filter: NodeFilter, accept: (node: MaestroNode) => boolean = () => true, max = 20): Promise<MaestroNode | undefined> {
  let candidates: MaestroNode[];
  try {
    candidates = await maestro.nodes.find(filter, { sort: '-created', max });
  } catch (err) {
    if ((err as Error)?.name !== 'UnsupportedFeatureError') throw err;
    candidates = (await maestro.nodes.find(filter, { max: MAX_UNSORTED_SCAN })).sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0));
  }
  return candidates.find(accept);
}

/** True for nodes made on a user's request (pipeline-api): custom checkouts, patchsets, manual retries' trees. */
export function isCustomRun(node: Pick<MaestroNode, 'jobfilter' | 'submitter'>): boolean {
  return (node.jobfilter?.length ?? 0) > 0 || (typeof node.submitter === 'string' && node.submitter.startsWith('user:'));
}
