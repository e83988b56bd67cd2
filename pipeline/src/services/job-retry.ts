/**
 * job-retry: re-submits a `kbuild` or `job` that ended `incomplete` for an infrastructure reason,
 * as KernelCI's job_retry service does, up to `job_retry.max_retries` times. The retry is a new
 * sibling node (same parent, job, runtime and platform) with `retry_counter` + 1, created by the
 * scheduler's `createJob` under the key that includes the counter: a redelivered event, a restart
 * or a manual `POST /api/jobretry` of the same node all land on the same node. A test failure
 * (`fail`) and an `incomplete` with any other error code are never retried.
 */
import type { JobRetryConfig } from '../config';
import type { Delivery, MaestroNode } from '../maestro';
import { consumeEvents, type RunningService, type ServiceContext } from '../service';
import { Scheduler } from './scheduler';

export type RetryDecision = { retry: true; retryCounter: number } | { retry: false; reason: string };

/** The retry rule, on the node as stored. */
export function retryDecision(node: MaestroNode, config: JobRetryConfig, jobs: Record<string, unknown>): RetryDecision {
  if (node.kind !== 'job' && node.kind !== 'kbuild') return { retry: false, reason: `kind ${node.kind} is never retried` };
  if (node.state !== 'done' || node.result !== 'incomplete') return { retry: false, reason: `only done/incomplete is retried, not ${node.state}/${node.result}` };
  if (node.data?.runtime !== 'shell' || !Object.prototype.hasOwnProperty.call(jobs, node.name)) return { retry: false, reason: 'not a job of this pipeline' };
  const code = typeof node.data?.error_code === 'string' ? node.data.error_code : null;
  if (!code || !config.errorCodes.includes(code)) return { retry: false, reason: `error code ${code ?? 'none'} is not an infrastructure error` };
  const counter = node.retry_counter ?? 0;
  if (counter >= config.maxRetries) return { retry: false, reason: `already retried ${counter} time(s) (max ${config.maxRetries})` };
  return { retry: true, retryCounter: counter + 1 };
}

export class JobRetry {
  readonly #scheduler: Scheduler;

  constructor(private readonly ctx: ServiceContext) {
    this.#scheduler = new Scheduler(ctx);
  }

  async handle(delivery: Delivery): Promise<void> {
    // Payload check before any read: only shell nodes of configured jobs can be retried here.
    const p = delivery.payload;
    if (p.data?.runtime !== 'shell' || !p.name || !Object.prototype.hasOwnProperty.call(this.ctx.config.jobs, p.name)) return;
    await this.retry(await delivery.node(), delivery.sequence);
  }

  async retry(node: MaestroNode, sequence: number | null = null): Promise<MaestroNode | null> {
    const { config, maestro, log } = this.ctx;
    const decision = retryDecision(node, config.jobRetry, config.jobs);
    if (!decision.retry) {
      log.info('not retried', { action: 'job.not-retried', node: node.id, job: node.name, reason: decision.reason, sequence });
      return null;
    }
    if (!node.parent) return null;
    const parent = await maestro.nodes.get(node.parent);
    const { node: retry, created } = await this.#scheduler.createJob(parent, config.jobs[node.name]!, sequence, { retryCounter: decision.retryCounter, retryOf: node.id });
    log.info(created ? 'job retried' : 'retry already existed', { action: created ? 'job.retried' : 'job.retry-exists', node: retry.id, retry_of: node.id, job: node.name, retry_counter: decision.retryCounter, error_code: node.data?.error_code, sequence });
    if (created) this.ctx.crash('job-retry:after-create-before-ack');
    return retry;
  }
}

export async function startJobRetry(ctx: ServiceContext): Promise<RunningService> {
  const jobRetry = new JobRetry(ctx);
  return consumeEvents(ctx, { filter: { kind: ['job', 'kbuild'], state: 'done', result: 'incomplete' } }, (d) => jobRetry.handle(d));
}
