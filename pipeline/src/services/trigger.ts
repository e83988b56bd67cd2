/**
 * trigger: polls local git repositories and creates one `checkout` node per new commit.
 * Restart-safe by construction: the walk stops at the first commit that already has a checkout
 * (asked of the server, not of memory), and each creation is an `ensure` under a key derived from
 * (tree, branch, commit), so a crash between creation and the next poll creates nothing twice.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { BuildConfig } from '../config';
import { firstParentHistory, revParse, updateMirror } from '../git';
import { ensureLogged, type RunningService, type ServiceContext } from '../service';

/** KernelCI's treeid: hex SHA-256 of url, branch and commit joined by newlines (docs/pipeline.md#services). */
export function treeId(url: string, branch: string, commit: string): string {
  return createHash('sha256').update(`${url}\n${branch}\n${commit}`).digest('hex');
}

/** `submitter` of the checkouts the trigger creates. */
export const TRIGGER_SUBMITTER = 'service:pipeline';

/** Walks back at most this many first-parent commits per poll (docs/pipeline.md#services step 3). */
export const MAX_WALK = 10;

export class Trigger {
  #owner: string | undefined;

  constructor(private readonly ctx: ServiceContext) {}

  /** Learns the owner used in the "already has a checkout" lookups (docs/pipeline.md#services). */
  async init(): Promise<void> {
    this.#owner = (await this.ctx.maestro.users.whoami()).username;
  }

  /** One poll over every build config; a failing tree is logged and retried next time (docs/pipeline.md#services). */
  async pollOnce(): Promise<void> {
    for (const bc of this.ctx.config.buildConfigs) {
      try {
        await this.pollBuildConfig(bc);
      } catch (err) {
        this.ctx.log.warn('poll failed; will retry at the next poll', { action: 'trigger.poll-failed', build_config: bc.name, error: err });
      }
    }
  }

  async pollBuildConfig(bc: BuildConfig): Promise<void> {
    const { config, maestro, log } = this.ctx;
    const tree = config.trees[bc.tree]!;
    const mirror = join(config.workDir, this.ctx.instance, 'git', `${bc.tree}.git`);
    await updateMirror(mirror, tree.fetchUrl);
    const head = await revParse(mirror, `refs/heads/${bc.branch}`);
    if (!head) {
      log.warn('branch not found', { action: 'trigger.no-branch', tree: bc.tree, branch: bc.branch });
      return;
    }
    // Only the trigger's own checkouts count: a user's custom checkout (pipeline-api) of a commit
    // does not stand in for the branch's regular one.
    const base = {
      kind: 'checkout' as const,
      'data.kernel_revision.tree': bc.tree,
      'data.kernel_revision.branch': bc.branch,
      submitter: TRIGGER_SUBMITTER,
      ...(this.#owner ? { owner: this.#owner } : {}),
    };
    // The first time a branch is seen (no checkout of it at all), only `initial_backfill` commits count.
    const seenBefore = (await maestro.nodes.count(base)) > 0;
    const history = await firstParentHistory(mirror, head, seenBefore ? MAX_WALK : bc.initialBackfill);
    const missing: string[] = [];
    for (const sha of history) {
      if ((await maestro.nodes.count({ ...base, 'data.kernel_revision.commit': sha })) > 0) break;
      missing.push(sha);
    }
    for (const sha of missing.reverse()) await this.createCheckout(bc, tree.fetchUrl, sha);
  }

  async createCheckout(bc: BuildConfig, url: string, sha: string): Promise<void> {
    const { maestro, crash } = this.ctx;
    const key = await maestro.deriveKey('checkout', bc.tree, bc.branch, sha);
    const { created } = await ensureLogged(
      this.ctx,
      'checkout',
      {
        kind: 'checkout',
        name: 'checkout',
        path: ['checkout'],
        data: { kernel_revision: { tree: bc.tree, url, branch: bc.branch, commit: sha } },
        treeid: treeId(url, bc.branch, sha),
        submitter: TRIGGER_SUBMITTER,
        timeout: new Date(Date.now() + bc.checkoutTimeoutMs),
      },
      key,
      { tree: bc.tree, branch: bc.branch, commit: sha },
    );
    if (created) crash('trigger:after-create');
  }
}

export async function startTrigger(ctx: ServiceContext): Promise<RunningService> {
  const trigger = new Trigger(ctx);
  await trigger.init();
  let stopping = false;
  let wake: (() => void) | undefined;
  const done = (async () => {
    while (!stopping) {
      await trigger.pollOnce();
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ctx.config.trigger.pollIntervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      wake?.();
      await done;
    },
    done,
  };
}
