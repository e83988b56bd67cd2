/**
 * report: a markdown summary of each checkout once it is `done`. The server holds a checkout
 * in `closing` while anything below it is pending, so the tree is complete when the event comes.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Delivery, MaestroNode, NodeTree } from '../maestro';
import { renderReport } from '../report-render';
import { consumeEvents, findNewest, isCustomRun, kernelRevision, type RunningService, type ServiceContext } from '../service';

export class Report {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly print: (text: string) => void = (text) => process.stdout.write(`${text}\n`),
  ) {}

  async handle(delivery: Delivery): Promise<void> {
    const node = await delivery.node();
    await this.report(node, delivery.sequence);
  }

  /**
   * The previous checkout of the same tree and branch (docs/pipeline.md#services), in whatever state: under faults an
   * older checkout can finish after a newer one. Newest first with
   * `sort: "-created"` where the server allows it (keyset pagination, sdk/README.md#nodes). In KernelCI mode the SDK
   * refuses `sort`, so the candidates are read unsorted and the newest is picked here.
   */
  async previousCheckout(node: MaestroNode): Promise<NodeTree | null> {
    const kr = kernelRevision(node.data);
    const filter = {
      kind: 'checkout',
      'data.kernel_revision.tree': String(kr.tree ?? ''),
      'data.kernel_revision.branch': String(kr.branch ?? ''),
      created: { lt: node.created },
    } as const;
    // Custom runs (pipeline-api: bisection, patchsets) are not part of the branch's history.
    const prev = await findNewest(this.ctx.maestro, filter, (n) => !isCustomRun(n));
    return prev ? this.ctx.maestro.nodes.tree(prev) : null;
  }

  async report(node: MaestroNode, sequence: number | null = null): Promise<void> {
    const { config, maestro, log, crash } = this.ctx;
    if (node.kind !== 'checkout' || node.state !== 'done') return;
    if (node.artifacts?.report) {
      log.info('report already recorded', { action: 'report.exists', node: node.id, sequence });
      return;
    }
    const tree = await maestro.nodes.tree(node);
    const text = renderReport({ tree, previous: await this.previousCheckout(node) });
    const dir = join(config.storage.root, 'reports');
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${node.id}.md`);
    await writeFile(`${file}.tmp-${process.pid}`, text);
    await rename(`${file}.tmp-${process.pid}`, file);
    if (!this.ctx.quiet) this.print(text);
    const url = `${config.storage.url}/reports/${node.id}.md`;
    await maestro.nodes.patch(node.id, { artifacts: { report: url } }, { noEvent: true });
    // sha256 lets the fault-injection test prove a rewritten report is identical (docs/pipeline.md#tests).
    const sha256 = createHash('sha256').update(text).digest('hex');
    log.info('report written', { action: 'report.written', node: node.id, file, url, sha256, sequence });
    crash('report:after-write-before-ack');
  }
}

export async function startReport(ctx: ServiceContext): Promise<RunningService> {
  const report = new Report(ctx);
  return consumeEvents(ctx, { filter: { kind: 'checkout', state: 'done' } }, (d) => report.handle(d));
}
