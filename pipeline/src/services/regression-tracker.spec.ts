import { createLogger } from '../log';
import type { MaestroNode } from '../maestro';
import type { ServiceContext } from '../service';
import { connectToFakeApi } from '../testing/harness';
import { RegressionTracker } from './regression-tracker';

const PATH = ['checkout', 'kbuild-toy', 'unit', 'math', 'div'];

function setup() {
  const fake = connectToFakeApi();
  const lines: Record<string, unknown>[] = [];
  const ctx = {
    maestro: fake.maestro,
    log: createLogger({ service: 'regression-tracker', write: (l) => lines.push(JSON.parse(l) as Record<string, unknown>) }),
    crash: () => undefined,
    instance: 'regression-tracker',
    quiet: true,
  } as unknown as ServiceContext;
  const tracker = new RegressionTracker(ctx);
  let commit = 0;
  /** A done run of `div` on the next commit. */
  const run = (result: 'pass' | 'fail' | 'incomplete', options: { platform?: string; arch?: string; submitter?: string } = {}): MaestroNode => {
    commit += 1;
    return fake.insert({
      kind: 'test',
      name: 'div',
      path: PATH,
      group: 'unit',
      state: 'done',
      result,
      submitter: options.submitter ?? 'service:pipeline',
      data: {
        kernel_revision: { tree: 'toy', branch: 'main', url: 'file:///toy', commit: commit.toString(16).padStart(40, '0') },
        arch: options.arch ?? 'x86_64',
        defconfig: 'toy_defconfig',
        compiler: 'gcc',
        platform: options.platform ?? 'shell',
      },
    });
  };
  const regressions = () => fake.stored().filter((n) => n.kind === 'regression');
  return { fake, tracker, run, regressions, lines };
}

describe('regression tracker rules', () => {
  it('first failure after a pass creates one active regression in KernelCI shape', async () => {
    const { tracker, run, regressions } = setup();
    const pass = run('pass');
    expect(await tracker.track(pass)).toBe('none');
    const fail = run('fail');
    expect(await tracker.track(fail)).toBe('created');
    expect(regressions()).toHaveLength(1);
    expect(regressions()[0]).toMatchObject({
      kind: 'regression',
      name: 'div',
      path: PATH,
      group: 'unit',
      state: 'done',
      result: 'fail',
      data: {
        fail_node: fail.id,
        pass_node: pass.id,
        node_sequence: [],
        failed_kernel_revision: fail.data!.kernel_revision,
        arch: 'x86_64',
        defconfig: 'toy_defconfig',
        compiler: 'gcc',
        platform: 'shell',
      },
    });
  });

  it('a failure with no previous run, or after a failure, creates nothing', async () => {
    const { tracker, run, regressions } = setup();
    expect(await tracker.track(run('fail'))).toBe('none');
    expect(await tracker.track(run('fail'))).toBe('none');
    expect(regressions()).toHaveLength(0);
  });

  it('still failing appends to node_sequence; a pass makes the regression inactive', async () => {
    const { tracker, run, regressions } = setup();
    await tracker.track(run('pass'));
    await tracker.track(run('fail'));
    const again = run('fail');
    expect(await tracker.track(again)).toBe('appended');
    expect(regressions()[0]!.data!.node_sequence).toEqual([again.id]);
    const fixed = run('pass');
    expect(await tracker.track(fixed)).toBe('fixed');
    expect(regressions()).toHaveLength(1);
    expect(regressions()[0]).toMatchObject({ result: 'pass', data: { node_sequence: [again.id, fixed.id] } });
    // Inactive: a later pass changes nothing.
    expect(await tracker.track(run('pass'))).toBe('none');
  });

  it('flaky pass/fail/pass/fail: one regression per introduction', async () => {
    const { tracker, run, regressions } = setup();
    await tracker.track(run('pass'));
    const f1 = run('fail');
    await tracker.track(f1);
    await tracker.track(run('pass'));
    const f2 = run('fail');
    expect(await tracker.track(f2)).toBe('created');
    const regs = regressions().sort((a, b) => (a.created < b.created ? -1 : 1));
    expect(regs.map((r) => [r.data!.fail_node, r.result])).toEqual([
      [f1.id, 'pass'],
      [f2.id, 'fail'],
    ]);
  });

  it('redelivered events change nothing', async () => {
    const { tracker, run, regressions, fake } = setup();
    await tracker.track(run('pass'));
    const fail = run('fail');
    await tracker.track(fail);
    expect(await tracker.track(fail)).toBe('unchanged');
    const again = run('fail');
    await tracker.track(again);
    expect(await tracker.track(again)).toBe('unchanged');
    expect(regressions()).toHaveLength(1);
    expect(regressions()[0]!.data!.node_sequence).toEqual([again.id]);
    // A fresh tracker (a restart) finds the same regression through its key and the store.
    const before = fake.api.nodes.size;
    const restarted = new RegressionTracker((tracker as unknown as { ctx: ServiceContext }).ctx);
    expect(await restarted.track(fail)).toBe('unchanged');
    expect(fake.api.nodes.size).toBe(before);
  });

  it('two configurations of the same test are tracked apart', async () => {
    const { tracker, run, regressions } = setup();
    await tracker.track(run('pass', { platform: 'shell' }));
    await tracker.track(run('pass', { platform: 'qemu' }));
    const shellFail = run('fail', { platform: 'shell' });
    expect(await tracker.track(shellFail)).toBe('created');
    // qemu's previous run passed too; its own regression, not an append to shell's.
    const qemuFail = run('fail', { platform: 'qemu' });
    expect(await tracker.track(qemuFail)).toBe('created');
    expect(regressions().map((r) => r.data!.platform).sort()).toEqual(['qemu', 'shell']);
    // Fixing shell leaves qemu active.
    expect(await tracker.track(run('pass', { platform: 'shell' }))).toBe('fixed');
    expect(regressions().map((r) => [r.data!.platform, r.result]).sort()).toEqual([
      ['qemu', 'fail'],
      ['shell', 'pass'],
    ]);
  });

  it('ignores incomplete runs and custom runs (pipeline-api) as previous runs', async () => {
    const { tracker, run, regressions } = setup();
    await tracker.track(run('pass'));
    await tracker.track(run('incomplete'));
    run('fail', { submitter: 'user:alice' }); // a bisection run in between
    expect(await tracker.track(run('fail'))).toBe('created');
    expect(regressions()).toHaveLength(1);
  });

  it('trackJob walks a job result tree to its leaves and marks the checkout for the email service', async () => {
    const { tracker, fake } = setup();
    const kr = { tree: 'toy', branch: 'main', url: 'file:///toy', commit: 'a'.repeat(40) };
    const job = fake.insert({ kind: 'job', name: 'unit', path: ['checkout', 'kbuild-toy', 'unit'], state: 'done', result: 'fail', treeid: 't', data: { kernel_revision: kr, runtime: 'shell' } });
    const suite = fake.insert({ kind: 'job', name: 'math', parent: job.id, path: [...job.path!, 'math'], state: 'done', result: 'fail', treeid: 't', data: { kernel_revision: kr } });
    fake.insert({ kind: 'test', name: 'div', parent: suite.id, path: [...suite.path!, 'div'], state: 'done', result: 'fail', treeid: 't', data: { kernel_revision: kr } });
    fake.insert({ kind: 'test', name: 'add', parent: suite.id, path: [...suite.path!, 'add'], state: 'done', result: 'pass', treeid: 't', data: { kernel_revision: kr } });
    // A retry of the same job: same paths, another root; not part of the first job's tree.
    const retry = fake.insert({ kind: 'job', name: 'unit', path: ['checkout', 'kbuild-toy', 'unit'], state: 'done', result: 'pass', treeid: 't', data: { kernel_revision: kr } });
    fake.insert({ kind: 'test', name: 'sub', parent: retry.id, path: [...retry.path!, 'sub'], state: 'done', result: 'pass', treeid: 't', data: { kernel_revision: kr } });
    const writes = () => fake.api.calls.filter((c) => c.method !== 'GET').length;
    const before = writes();
    expect((await tracker.leaves(job)).map((n) => n.name).sort()).toEqual(['add', 'div']);
    expect((await tracker.leaves(retry)).map((n) => n.name)).toEqual(['sub']);
    expect(writes()).toBe(before); // reads only
    // A job without results is its own leaf.
    const lone = fake.insert({ kind: 'job', name: 'smoke', path: ['checkout', 'kbuild-toy', 'smoke'], state: 'done', result: 'pass', treeid: 't', data: { kernel_revision: kr } });
    expect((await tracker.leaves(lone)).map((n) => n.id)).toEqual([lone.id]);
    const checkout = fake.insert({ kind: 'checkout', name: 'checkout', state: 'done', result: 'pass', data: { kernel_revision: kr } });
    await tracker.markTracked(checkout, null);
    expect((await fake.maestro.nodes.get(checkout.id)).debug).toMatchObject({ regressions_tracked: true });
  });
});
