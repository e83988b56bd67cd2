/**
 * tarball (B4.1): archives each new checkout's commit onto `storage` and makes the checkout
 * `available` with a holdoff. The archive name depends only on the commit, and an existing file is
 * reused, so a crash between archiving and the state change just reuses the file on redelivery.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { archive, commitInfo, parseVersion, revParse, updateMirror } from '../git';
import type { Delivery, MaestroNode } from '../maestro';
import { consumeEvents, kernelRevision, type RunningService, type ServiceContext } from '../service';

/** A file-name-safe rendering of a branch or describe string. */
export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-');
}

export class Tarball {
  constructor(private readonly ctx: ServiceContext) {}

  async handle(delivery: Delivery): Promise<void> {
    const { log } = this.ctx;
    const node = await delivery.node();
    if (node.state !== 'running') {
      log.info('checkout no longer running; nothing to do', { action: 'tarball.skipped', node: node.id, state: node.state, sequence: delivery.sequence });
      return;
    }
    await this.archiveCheckout(node, delivery.sequence);
  }

  async archiveCheckout(node: MaestroNode, sequence: number | null = null): Promise<void> {
    const { config, maestro, log, crash } = this.ctx;
    const kr = kernelRevision(node.data);
    const treeName = String(kr.tree ?? '');
    const branch = String(kr.branch ?? '');
    const sha = String(kr.commit ?? '');
    const tree = config.trees[treeName];
    const bc = config.buildConfigs.find((b) => b.tree === treeName && b.branch === branch);
    if (!tree || !bc) {
      // Not ours (another trigger's tree): leave it to whoever configured it.
      log.info('checkout of an unconfigured tree; ignored', { action: 'tarball.ignored', node: node.id, tree: treeName, branch });
      return;
    }
    const mirror = join(config.workDir, this.ctx.instance, 'git', `${treeName}.git`);
    let artifactUrl: string;
    let info: Awaited<ReturnType<typeof commitInfo>>;
    let tip: boolean;
    try {
      await updateMirror(mirror, tree.fetchUrl);
      if (!/^[0-9a-f]{7,64}$/.test(sha) || !(await revParse(mirror, sha))) throw new Error(`commit ${sha} not found in ${tree.url}`);
      info = await commitInfo(mirror, sha);
      tip = (await revParse(mirror, `refs/heads/${branch}`)) === sha;
      const file = `${safeName(treeName)}-${safeName(branch)}-${safeName(info.describe)}.tar.gz`;
      const target = join(config.storage.root, 'tarballs', file);
      if (existsSync(target)) {
        log.info('archive exists; reused', { action: 'tarball.reused', node: node.id, file });
      } else {
        await archive(mirror, sha, `${treeName}-${info.describe}`, target);
        log.info('archive written', { action: 'tarball.archived', node: node.id, file });
      }
      artifactUrl = `${config.storage.url}/tarballs/${encodeURIComponent(file)}`;
    } catch (err) {
      // KernelCI's tarball exits here; we fail the checkout and keep serving others (B4.1).
      log.warn('cannot archive the commit; checkout failed', { action: 'checkout.failed', node: node.id, error: err });
      await maestro.nodes.setState(node.id, 'done', {
        result: 'fail',
        // Checkout error codes (contract §6.2, CheckoutErrorCode) are not node ErrorCodes, so they go in `data`.
        data: { error_code: 'git_checkout_failure', error_msg: (err as Error).message.slice(0, 500) },
        expect: { state: 'running' },
      });
      return;
    }
    crash('tarball:after-archive-before-update');
    const version = parseVersion(info.describe);
    await maestro.nodes.setState(node.id, 'available', {
      result: 'pass',
      holdoff: bc.holdoffMs,
      artifacts: { tarball: artifactUrl },
      data: {
        kernel_revision: {
          describe: info.describe,
          ...(version ? { version } : {}),
          commit_tags: info.tags,
          commit_message: info.subject,
          tip_of_branch: tip,
        },
      },
      expect: { state: 'running' },
    });
    log.info('checkout available', { action: 'checkout.available', node: node.id, describe: info.describe, sequence });
  }
}

export async function startTarball(ctx: ServiceContext): Promise<RunningService> {
  const tarball = new Tarball(ctx);
  return consumeEvents(ctx, { filter: { op: 'created', kind: 'checkout' } }, (d) => tarball.handle(d));
}
