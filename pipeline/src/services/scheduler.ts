/**
 * scheduler: creates `kbuild` and `job` nodes when a node makes a configured **transition**.
 * It only creates nodes, so slow jobs never stall event intake (docs/pipeline.md#services, decision D4). Duplicates are
 * prevented three ways (docs/pipeline.md#services): the SDK drops non-transitions (sdk/README.md#events-delivery-guarantees), each entry re-checks the
 * transition on the payload, and each creation is `createChild` under a key derived from
 * (parent, job, runtime, platform, retry_counter), which `ensure` looks up before creating.
 * Telemetry (docs/pipeline.md): a `job_submission` per job created (retries included, with
 * `retry` > 0), the same event with `error_type`/`error_msg` plus a `runtime_error` when the
 * creation fails, and a `job_skip` per job not created.
 */
import type { JobConfig, SchedulerEntry } from '../config';
import { passesAllowDeny } from '../config';
import type { Delivery, EventPayload, MaestroNode, TelemetryEventInput } from '../maestro';
import { consumeEvents, kernelRevision, type RunningService, type ServiceContext } from '../service';

/** Fields a job copies from its parent's `data` (docs/pipeline.md#services step 4). */
export const INHERITED_DATA = ['kernel_type', 'arch', 'defconfig', 'config_full', 'compiler'] as const;

function fieldOf(payload: EventPayload, key: string, previous: boolean): unknown {
  if (previous && key === 'state') return payload.previous_state;
  if (previous && key === 'result') return payload.previous_result;
  return (payload as unknown as Record<string, unknown>)[key];
}

function matchesCondition(match: Record<string, string>, payload: EventPayload, previous: boolean): boolean {
  return Object.entries(match).every(([k, v]) => fieldOf(payload, k, previous) === v);
}

/**
 * True when the delivery is a transition into the entry's condition (docs/pipeline.md#services): the payload matches
 * every `event` key, and either the node was just created or its previous state/result did not
 * match. An update without `previous_state` (a fabricated event) never matches, and neither does
 * an update that leaves state and result unchanged (the level-trigger trap, docs/pipeline.md#tests).
 */
export function entryMatches(entry: SchedulerEntry, payload: EventPayload): boolean {
  if (!matchesCondition(entry.match, payload, false)) return false;
  if (payload.op === 'created') return true;
  if (payload.op !== 'updated' || payload.previous_state === undefined || payload.previous_state === null) return false;
  if (payload.previous_state === payload.state && (payload.previous_result ?? null) === (payload.result ?? null)) return false;
  const constrainsStateOrResult = 'state' in entry.match || 'result' in entry.match;
  return constrainsStateOrResult ? !matchesCondition(entry.match, payload, true) : true;
}

/** The parent's `jobfilter` (docs/pipeline.md#services step 2): listed jobs pass, and `X+` passes `X` and everything below it. */
export function passesJobfilter(jobfilter: string[] | null | undefined, job: string, parentPath: string[] | null | undefined): boolean {
  if (!jobfilter || jobfilter.length === 0) return true;
  if (jobfilter.includes(job)) return true;
  const names = new Set([job, ...(parentPath ?? [])]);
  return jobfilter.some((f) => f.endsWith('+') && names.has(f.slice(0, -1)));
}

/** The job's `rules` (docs/pipeline.md#services step 3) against the parent's kernel revision. */
export function passesRules(job: JobConfig, parent: MaestroNode): boolean {
  const kr = kernelRevision(parent.data);
  return passesAllowDeny(job.rules.tree, kr.tree as string | undefined) && passesAllowDeny(job.rules.branch, kr.branch as string | undefined);
}

/** The server-side filter: the union of kinds and states the entries name (docs/pipeline.md#services). */
export function unionFilter(entries: readonly SchedulerEntry[]): Record<string, string[]> {
  const filter: Record<string, string[]> = {};
  const kinds = [...new Set(entries.map((e) => e.match.kind).filter((k): k is string => !!k))].sort();
  if (kinds.length) filter.kind = kinds;
  // A state constraint is only safe to send when every entry has one; otherwise it would hide events.
  if (entries.every((e) => e.match.state)) filter.state = [...new Set(entries.map((e) => e.match.state!))].sort();
  return filter;
}

/** The runtime and platform (telemetry's `runtime` and `device_type`) of every job this pipeline runs. */
export const SHELL_RUNTIME = 'shell';

export class Scheduler {
  constructor(private readonly ctx: ServiceContext) {}

  #skipped(parent: MaestroNode, jobName: string, reason: string): void {
    this.ctx.maestro.telemetry.add({ kind: 'job_skip', runtime: SHELL_RUNTIME, job_name: jobName, node_id: parent.id, error_type: reason });
  }

  async handle(delivery: Delivery): Promise<void> {
    const { config, log, crash } = this.ctx;
    const entries = config.scheduler.filter((e) => entryMatches(e, delivery.payload));
    if (entries.length === 0) return;
    const parent = await delivery.node(); // once per delivery, not per job (docs/pipeline.md#services step 1)
    if (parent.state === 'done') {
      // A child of a done node would never run: the server already closed the tree.
      log.warn('parent already done; no jobs created', { action: 'job.skipped-parent-done', node: parent.id, sequence: delivery.sequence });
      for (const entry of entries) this.#skipped(parent, config.jobs[entry.job]!.name, 'parent_done');
      return;
    }
    for (const entry of entries) {
      const job = config.jobs[entry.job]!;
      if (!passesJobfilter(parent.jobfilter, job.name, parent.path)) {
        log.info('job filtered out by jobfilter', { action: 'job.filtered', node: parent.id, job: job.name });
        this.#skipped(parent, job.name, 'jobfilter');
        continue;
      }
      if (!passesRules(job, parent)) {
        log.info('job filtered out by its rules', { action: 'job.filtered', node: parent.id, job: job.name });
        this.#skipped(parent, job.name, 'rules');
        continue;
      }
      crash('scheduler:before-create');
      await this.createJob(parent, job, delivery.sequence);
    }
    crash('scheduler:after-create-before-ack');
  }

  /**
   * Creates `job` below `parent` under the key derived from (parent, job, runtime, platform,
   * retry_counter). A retry (job-retry, `POST /api/jobretry`) passes `retryCounter` > 0 and lands
   * on a key of its own, so each retry level exists at most once; `submitter` overrides the one
   * inherited from the parent for nodes created on a user's behalf.
   */
  async createJob(
    parent: MaestroNode,
    job: JobConfig,
    sequence: number | null,
    options: { retryCounter?: number; submitter?: string; retryOf?: string } = {},
  ): Promise<{ node: MaestroNode; created: boolean }> {
    const { maestro, log } = this.ctx;
    const retryCounter = options.retryCounter ?? 0;
    const key = await maestro.deriveKey('job', parent.id, job.name, 'shell', 'shell', retryCounter);
    const data: Record<string, unknown> = { runtime: 'shell', platform: 'shell' };
    if (job.kind === 'kbuild') {
      for (const k of ['arch', 'defconfig', 'compiler'] as const) if (job.params[k] !== undefined) data[k] = job.params[k];
    } else {
      for (const k of INHERITED_DATA) if (parent.data?.[k] !== undefined && parent.data[k] !== null) data[k] = parent.data[k];
    }
    // createChild copies the parent's submitter: a request made on a user's behalf names the user.
    const asParent = options.submitter ? { ...parent, submitter: options.submitter } : parent;
    const kr = kernelRevision(parent.data);
    const text = (v: unknown) => (typeof v === 'string' ? v : null);
    const submission: TelemetryEventInput = {
      kind: 'job_submission',
      runtime: SHELL_RUNTIME,
      device_type: SHELL_RUNTIME,
      job_name: job.name,
      tree: text(kr.tree),
      branch: text(kr.branch),
      arch: text(data.arch),
      retry: retryCounter,
      ...(options.retryOf ? { extra: { retry_of: options.retryOf } } : {}),
    };
    let result: { node: MaestroNode; created: boolean };
    try {
      result = await maestro.nodes.createChild(
        asParent,
        { kind: job.kind, name: job.name, group: job.name, data, timeout: new Date(Date.now() + job.timeoutMs), ...(retryCounter ? { retry_counter: retryCounter } : {}) },
        { key },
      );
    } catch (err) {
      // The job was not submitted: `node_id` names the parent the job was meant for.
      const error_type = err instanceof Error ? err.name : 'Error';
      const error_msg = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      maestro.telemetry.add({ ...submission, node_id: parent.id, error_type, error_msg });
      maestro.telemetry.add({ kind: 'runtime_error', runtime: SHELL_RUNTIME, node_id: parent.id, job_name: job.name, error_type, error_msg });
      throw err;
    }
    const { node, created } = result;
    // A duplicate (redelivery, restart) was submitted and reported the first time.
    if (created) maestro.telemetry.add({ ...submission, node_id: node.id });
    log.info(created ? 'job created' : 'job already existed', {
      action: created ? 'job.created' : 'job.skipped-duplicate',
      node: node.id,
      parent: parent.id,
      job: job.name,
      sequence,
      ...(retryCounter ? { retry_counter: retryCounter } : {}),
      ...(options.retryOf ? { retry_of: options.retryOf } : {}),
    });
    return { node, created };
  }
}

export async function startScheduler(ctx: ServiceContext): Promise<RunningService> {
  const scheduler = new Scheduler(ctx);
  return consumeEvents(ctx, { filter: unionFilter(ctx.config.scheduler) }, (d) => scheduler.handle(d));
}
