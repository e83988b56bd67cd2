/**
 * tarball (docs/pipeline.md#services): archives each new checkout's commit onto `storage` and makes the checkout
 * `available` with a holdoff. The archive name depends only on the commit, and an existing file is
 * reused, so a crash between archiving and the state change just reuses the file on redelivery.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isLoopbackHost } from '../config';
import { archive, archivePatched, commitInfo, parseVersion, revParse, updateMirror } from '../git';
import type { Delivery, MaestroNode } from '../maestro';
import { consumeEvents, kernelRevision, type RunningService, type ServiceContext } from '../service';

/** The patch artifacts of a patchset node (`patch0`, `patch1`, …) in order. */
export function patchArtifacts(node: MaestroNode): string[] {
  return Object.entries(node.artifacts ?? {})
    .filter(([k]) => /^patch\d+$/.test(k))
    .sort(([a], [b]) => Number(a.slice(5)) - Number(b.slice(5)))
    .map(([, url]) => url);
}

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
      // A patchset (pipeline-api) is the same commit with patches applied: its own archive.
      const patches = node.name === 'patchset' ? patchArtifacts(node) : [];
      const suffix = patches.length ? `-patchset-${node.id}` : '';
      const file = `${safeName(treeName)}-${safeName(branch)}-${safeName(info.describe)}${suffix}.tar.gz`;
      const target = join(config.storage.root, 'tarballs', file);
      if (existsSync(target)) {
        log.info('archive exists; reused', { action: 'tarball.reused', node: node.id, file });
      } else if (patches.length) {
        await this.archiveWithPatches(node, mirror, sha, patches, `${treeName}-${info.describe}`, target);
        log.info('patched archive written', { action: 'tarball.archived', node: node.id, file, patches: patches.length });
      } else {
        await archive(mirror, sha, `${treeName}-${info.describe}`, target);
        log.info('archive written', { action: 'tarball.archived', node: node.id, file });
      }
      artifactUrl = `${config.storage.url}/tarballs/${encodeURIComponent(file)}`;
    } catch (err) {
      // KernelCI's tarball exits here; we fail the checkout and keep serving others (docs/pipeline.md#services).
      log.warn('cannot archive the commit; checkout failed', { action: 'checkout.failed', node: node.id, error: err });
      await maestro.nodes.setState(node.id, 'done', {
        result: 'fail',
        // Checkout error codes (docs/nodes.md#model, CheckoutErrorCode) are not node ErrorCodes, so they go in `data`.
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

  /** Downloads the patches (loopback only when offline) and archives the patched tree. */
  async archiveWithPatches(node: MaestroNode, mirror: string, sha: string, urls: string[], prefix: string, target: string): Promise<void> {
    const dir = join(this.ctx.config.workDir, this.ctx.instance, 'patches', node.id);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    try {
      const files: string[] = [];
      for (const [i, url] of urls.entries()) {
        const parsed = new URL(url);
        if (this.ctx.config.offline && !isLoopbackHost(parsed.hostname)) throw new Error(`patch ${i + 1}: offline: true forbids ${parsed.hostname}`);
        const res = await fetch(url);
        if (!res.ok) throw new Error(`patch ${i + 1}: GET ${url}: ${res.status}`);
        const file = join(dir, `${String(i).padStart(4, '0')}.patch`);
        await writeFile(file, Buffer.from(await res.arrayBuffer()));
        files.push(file);
      }
      await archivePatched(mirror, sha, files, prefix, target);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

export async function startTarball(ctx: ServiceContext): Promise<RunningService> {
  const tarball = new Tarball(ctx);
  return consumeEvents(ctx, { filter: { op: 'created', kind: 'checkout' } }, (d) => tarball.handle(d));
}
