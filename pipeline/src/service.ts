/**
 * What every service receives, and the one way event services consume (B1.3): a durable
 * subscription named `<instance>:<channel>`, transitions only, acknowledged by the SDK after the
 * handler resolves, closed with a drain on shutdown.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PipelineConfig } from './config';
import type { CrashFn } from './crash';
import type { Logger } from './log';
import type { ConsumeOptions, Delivery, Maestro, Subscription } from './maestro';

export interface ServiceContext {
  config: PipelineConfig;
  maestro: Maestro;
  log: Logger;
  crash: CrashFn;
  /** `--instance`, defaulting to the service name; names the durable subscription and work dirs. */
  instance: string;
  /** `--quiet`: the report service does not print reports. */
  quiet: boolean;
}

/** A running service: `stop()` stops taking work, lets the current handler finish, and resolves. */
export interface RunningService {
  stop(): Promise<void>;
  /** Settles when the service ends on its own (a terminal subscription error rejects it). */
  done: Promise<void>;
}

/** How long a stopping service lets the current handler finish (B1.3). */
export const DRAIN_TIMEOUT_MS = 20_000;

/**
 * Subscribes durably and logs the subscription's life: `subscription.resumed` when the server
 * resumed an existing cursor (B9.1 looks for it after each restart), `subscription.reconnecting`
 * and `subscription.gap` as they happen.
 *
 * A restarted process has no acknowledged mark yet, so it subscribes without `from_sequence` and
 * the server resumes from the durable cursor it stored (A11.4); the SDK then reports a plain
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
        // The SDK retries and dead-letters (A11.5); this line says which node failed and why.
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

/** `data.kernel_revision` of a node, or an empty object. */
export function kernelRevision(data: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const kr = data?.kernel_revision;
  return typeof kr === 'object' && kr !== null ? (kr as Record<string, unknown>) : {};
}

/** Milliseconds until a naive-UTC timestamp (A1.4), or Infinity when absent. */
export function msUntil(timestamp: string | null | undefined, now = Date.now()): number {
  if (!timestamp) return Infinity;
  const hasZone = /[zZ]|[+-]\d\d:?\d\d$/.test(timestamp);
  return Date.parse(hasZone ? timestamp : `${timestamp}Z`) - now;
}
