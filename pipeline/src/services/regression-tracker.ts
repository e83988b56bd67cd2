/**
 * regression-tracker: KernelCI's regression model on the pipeline's own runs. When a `kbuild` or
 * `job` reaches `done`, every leaf of its result tree (the node itself when it has no children)
 * that passed or failed is compared with the previous run of the same test in the same
 * configuration (see `runConfiguration`) on the same tree and branch:
 *
 * - fail after pass → a `regression` node (`result: fail`, active) with `fail_node`, `pass_node`;
 * - fail while a regression is active → appended to its `node_sequence`;
 * - pass while a regression is active → appended, and the regression becomes inactive (`pass`).
 *
 * One regression per (test, configuration, introduction): it is created with `nodes.ensure` under
 * a key derived from the test's path, its configuration and the failing node, and a node already in
 * a regression (`fail_node` or `node_sequence`) is never added twice, so redelivered events and
 * restarts change nothing. The consumer handles events in order, one at a time; when a checkout
 * reaches `done` its jobs have all been handled, and the tracker records
 * `debug.regressions_tracked` on it for the email service.
 */
import type { Delivery, MaestroNode, NodeFilter, NodeKind } from '../maestro';
import { consumeEvents, ensureLogged, findNewest, isCustomRun, kernelRevision, type RunningService, type ServiceContext } from '../service';

/** Configuration fields that must be equal for two nodes to be runs of the same test. */
export const CONFIGURATION_FIELDS = ['arch', 'defconfig', 'config_full', 'compiler', 'platform'] as const;

/** Nodes of one job's result tree read at most. */
const MAX_TREE_NODES = 10_000;

export interface RunConfiguration {
  tree: string;
  branch: string;
  path: string[];
  data: Partial<Record<(typeof CONFIGURATION_FIELDS)[number], string>>;
}

/** What identifies "the same test in the same configuration" for a node, or null if it has no revision. */
export function runConfiguration(node: MaestroNode): RunConfiguration | null {
  const kr = kernelRevision(node.data);
  if (typeof kr.tree !== 'string' || typeof kr.branch !== 'string') return null;
  const data: RunConfiguration['data'] = {};
  for (const f of CONFIGURATION_FIELDS) {
    const v = node.data?.[f];
    if (typeof v === 'string') data[f] = v;
  }
  return { tree: kr.tree, branch: kr.branch, path: node.path ?? [node.name], data };
}

function sameConfiguration(a: RunConfiguration, b: RunConfiguration): boolean {
  return (
    a.tree === b.tree &&
    a.branch === b.branch &&
    a.path.join('/') === b.path.join('/') &&
    CONFIGURATION_FIELDS.every((f) => (a.data[f] ?? null) === (b.data[f] ?? null))
  );
}

/** The configuration a regression node records, in `runConfiguration`'s shape. */
function regressionConfiguration(reg: MaestroNode): RunConfiguration | null {
  const kr = reg.data?.failed_kernel_revision as Record<string, unknown> | undefined;
  if (!kr || typeof kr.tree !== 'string' || typeof kr.branch !== 'string') return null;
  const data: RunConfiguration['data'] = {};
  for (const f of CONFIGURATION_FIELDS) if (typeof reg.data?.[f] === 'string') data[f] = reg.data[f] as string;
  return { tree: kr.tree, branch: kr.branch, path: reg.path ?? [reg.name], data };
}

function sequenceOf(reg: MaestroNode): string[] {
  const seq = reg.data?.node_sequence;
  return Array.isArray(seq) ? (seq as string[]) : [];
}

export type TrackOutcome = 'created' | 'exists' | 'appended' | 'fixed' | 'unchanged' | 'none';

export class RegressionTracker {
  constructor(private readonly ctx: ServiceContext) {}

  async handle(delivery: Delivery): Promise<void> {
    const node = await delivery.node();
    if (node.kind === 'checkout') {
      await this.markTracked(node, delivery.sequence);
      return;
    }
    await this.trackJob(node, delivery.sequence);
  }

  /** A checkout is done and its jobs' events came before: the email service may read regressions. */
  async markTracked(checkout: MaestroNode, sequence: number | null): Promise<void> {
    if (checkout.state !== 'done' || checkout.debug?.regressions_tracked === true) return;
    await this.ctx.maestro.nodes.patch(checkout.id, { debug: { regressions_tracked: true } }, { noEvent: true });
    this.ctx.log.info('checkout tracked', { action: 'regression.checkout-tracked', node: checkout.id, sequence });
  }

  /** Tracks every leaf of a done kbuild or job. */
  async trackJob(job: MaestroNode, sequence: number | null = null): Promise<TrackOutcome[]> {
    if (job.state !== 'done' || (job.kind !== 'kbuild' && job.kind !== 'job')) return [];
    if (isCustomRun(job)) {
      this.ctx.log.info('custom run; not tracked', { action: 'regression.skipped-custom', node: job.id, sequence });
      return [];
    }
    // A kbuild's jobs are tracked by their own events; a job's result tree comes with it.
    const leaves = job.kind === 'kbuild' ? [job] : await this.leaves(job);
    const outcomes: TrackOutcome[] = [];
    for (const leaf of leaves) outcomes.push(await this.track(leaf, sequence));
    return outcomes;
  }

  /**
   * The leaves of a job's result tree. One query: the nodes of the job's `treeid` whose `path`
   * holds the job's name (indexes `node_treeid` and the `path` GIN index), kept when their parent
   * chain reaches the job (a retry of the same job has the same paths but another root).
   */
  async leaves(root: MaestroNode): Promise<MaestroNode[]> {
    const candidates = root.treeid ? await this.ctx.maestro.nodes.find({ treeid: root.treeid, path: root.name }, { max: MAX_TREE_NODES }) : [];
    const depth = (n: MaestroNode) => (n.path ?? []).length;
    const inTree = new Set([root.id]);
    const nodes: MaestroNode[] = [];
    for (const n of [...candidates].sort((x, y) => depth(x) - depth(y))) {
      if (n.parent && inTree.has(n.parent) && !inTree.has(n.id)) {
        inTree.add(n.id);
        nodes.push(n);
      }
    }
    const parents = new Set(nodes.map((n) => n.parent));
    const leaves = nodes.filter((n) => !parents.has(n.id));
    return leaves.length ? leaves : [root];
  }

  /** The newest done pass/fail run of the same test and configuration created before `node`. */
  async previousRun(node: MaestroNode, cfg: RunConfiguration): Promise<MaestroNode | undefined> {
    const filter: NodeFilter = {
      kind: node.kind as NodeKind,
      name: node.name,
      'data.kernel_revision.tree': cfg.tree,
      'data.kernel_revision.branch': cfg.branch,
      state: 'done',
      result: { in: ['pass', 'fail'] },
      created: { lt: node.created },
      ...Object.fromEntries(Object.entries(cfg.data).map(([k, v]) => [`data.${k}`, v])),
    };
    return findNewest(this.ctx.maestro, filter, (n) => !isCustomRun(n) && sameConfiguration(runConfiguration(n)!, cfg));
  }

  /** The active regression of the test in this configuration, if any. */
  async activeRegression(node: MaestroNode, cfg: RunConfiguration): Promise<MaestroNode | undefined> {
    const filter: NodeFilter = {
      kind: 'regression',
      name: node.name,
      result: 'fail',
      'data.failed_kernel_revision.tree': cfg.tree,
      'data.failed_kernel_revision.branch': cfg.branch,
      ...Object.fromEntries(Object.entries(cfg.data).map(([k, v]) => [`data.${k}`, v])),
    };
    return findNewest(this.ctx.maestro, filter, (r) => {
      const rc = regressionConfiguration(r);
      return rc !== null && sameConfiguration(rc, cfg);
    });
  }

  async track(node: MaestroNode, sequence: number | null = null): Promise<TrackOutcome> {
    const { maestro, log } = this.ctx;
    if (node.state !== 'done' || (node.result !== 'pass' && node.result !== 'fail')) return 'none';
    const cfg = runConfiguration(node);
    if (!cfg) return 'none';
    const active = await this.activeRegression(node, cfg);
    if (active) {
      const seq = sequenceOf(active);
      if (active.data?.fail_node === node.id || seq.includes(node.id)) return 'unchanged';
      const failNode = await maestro.nodes.get(String(active.data?.fail_node)).catch(() => null);
      // A run older than the failure that opened the regression says nothing about it.
      if (failNode && node.created <= failNode.created) return 'unchanged';
      if (node.result === 'fail') {
        await maestro.nodes.patch(active.id, { data: { node_sequence: [...seq, node.id] } });
        log.info('regression still failing', { action: 'regression.appended', node: active.id, run: node.id, path: cfg.path.join('/'), sequence });
        return 'appended';
      }
      await maestro.nodes.setState(active.id, 'done', { result: 'pass', data: { node_sequence: [...seq, node.id] } });
      log.info('regression fixed', { action: 'regression.fixed', node: active.id, run: node.id, path: cfg.path.join('/'), sequence });
      return 'fixed';
    }
    if (node.result !== 'fail') return 'none';
    const previous = await this.previousRun(node, cfg);
    if (!previous || previous.result !== 'pass') return 'none';
    const key = await maestro.deriveKey('regression', cfg.tree, cfg.branch, cfg.path, cfg.data, node.id);
    const data: Record<string, unknown> = {
      fail_node: node.id,
      pass_node: previous.id,
      node_sequence: [],
      failed_kernel_revision: node.data?.kernel_revision,
      ...cfg.data,
    };
    for (const f of ['error_code', 'error_msg', 'device'] as const) if (typeof node.data?.[f] === 'string') data[f] = node.data[f];
    const { created } = await ensureLogged(
      this.ctx,
      'regression',
      { kind: 'regression', name: node.name, path: cfg.path, group: node.group, state: 'done', result: 'fail', data },
      key,
      { fail_node: node.id, pass_node: previous.id, path: cfg.path.join('/'), sequence },
    );
    if (created) this.ctx.crash('regression-tracker:after-create-before-ack');
    return created ? 'created' : 'exists';
  }
}

export async function startRegressionTracker(ctx: ServiceContext): Promise<RunningService> {
  const tracker = new RegressionTracker(ctx);
  // One at a time and in order: a checkout's `done` comes after its jobs' (see markTracked).
  return consumeEvents(ctx, { filter: { kind: ['kbuild', 'job', 'checkout'], state: 'done' }, concurrency: 1 }, (d) => tracker.handle(d));
}
