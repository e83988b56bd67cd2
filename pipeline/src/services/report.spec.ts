import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MaestroNode } from '../maestro';
import { createHarness, type Harness } from '../testing/harness';
import { Report } from './report';

describe('report', () => {
  let h: Harness;
  beforeEach(() => {
    h = createHarness({ storageUrl: 'http://127.0.0.1:8002' });
  });
  afterEach(() => h.cleanup());

  const doneCheckout = (commit: string, describe: string, treeid: string): MaestroNode => {
    const c = h.insert({ kind: 'checkout', name: 'checkout', path: ['checkout'], treeid, data: { kernel_revision: { tree: 'toy', branch: 'main', commit, describe } } });
    return h.update(c.id, { state: 'done', result: 'pass' }, { noEvent: true });
  };
  const delivery = (node: MaestroNode) => ({ payload: { op: 'updated', id: node.id, kind: 'checkout', name: 'checkout', state: 'done' as const, result: node.result, previous_state: 'closing' as const }, sequence: 9, node: () => h.maestro.nodes.get(node.id) });

  it('writes, prints and records the report without an event', async () => {
    const c = doneCheckout('a'.repeat(40), 'v0.1', 't1');
    const printed: string[] = [];
    await new Report(h.ctx('report', { quiet: false }), (t) => printed.push(t)).handle(delivery(c));
    const file = join(h.config.storage.root, 'reports', `${c.id}.md`);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# toy\/main v0\.1 \(aaaaaaaaaaaa\)\n/);
    expect(printed).toEqual([text]);
    expect((await h.maestro.nodes.get(c.id)).artifacts).toEqual({ report: `http://127.0.0.1:8002/reports/${c.id}.md` });
    const patch = h.calls.find((x) => x.method === 'nodes.patch')!;
    expect(patch.args[2]).toEqual({ noEvent: true });
    expect(h.api.events.filter((e) => e.data.op === 'updated')).toHaveLength(0);
    expect(h.actions('report.written')).toEqual([expect.objectContaining({ node: c.id, sequence: 9 })]);
  });

  it('does nothing twice: a recorded report is not rewritten', async () => {
    const c = doneCheckout('a'.repeat(40), 'v0.1', 't1');
    const report = new Report(h.ctx('report'));
    await report.handle(delivery(c));
    await report.handle(delivery(c));
    expect(h.actions('report.written')).toHaveLength(1);
    expect(h.actions('report.exists')).toHaveLength(1);
  });

  it('compares with the newest earlier done checkout of the same tree and branch', async () => {
    doneCheckout('1'.repeat(40), 'v0.0', 't0');
    doneCheckout('a'.repeat(40), 'v0.1', 't1');
    const other = h.insert({ kind: 'checkout', name: 'checkout', treeid: 'tx', data: { kernel_revision: { tree: 'toy', branch: 'other', commit: 'f'.repeat(40) } } });
    h.update(other.id, { state: 'done' }, { noEvent: true });
    const b = doneCheckout('b'.repeat(40), 'v0.1-1-gbbbbbbb', 't2');
    await new Report(h.ctx('report')).handle(delivery(b));
    expect(readFileSync(join(h.config.storage.root, 'reports', `${b.id}.md`), 'utf8')).toContain('Compared with v0.1 (aaaaaaaaaaaa).');
  });

  it('falls back to picking the newest itself when the server cannot sort (KernelCI mode)', async () => {
    doneCheckout('a'.repeat(40), 'v0.1', 't1');
    doneCheckout('1'.repeat(40), 'v0.0', 't0');
    const b = doneCheckout('b'.repeat(40), 'v0.1-1-gbbbbbbb', 't2');
    // Reverse creation order for the unsorted read, so picking the first would be wrong.
    h.update([...h.api.nodes.keys()][1]!, { created: '2026-01-01T00:00:00.000500' }, { noEvent: true });
    const find = h.maestro.nodes.find;
    h.maestro.nodes.find = async (filter, options) => {
      if (options.sort) throw Object.assign(new Error('sort needs a Maestro server'), { name: 'UnsupportedFeatureError' });
      return (await find(filter, options)).reverse();
    };
    await new Report(h.ctx('report')).handle(delivery(b));
    expect(readFileSync(join(h.config.storage.root, 'reports', `${b.id}.md`), 'utf8')).toContain('Compared with v0.1 (aaaaaaaaaaaa).');
  });

  it('rewrites identical text after a crash between writing and acknowledging', async () => {
    const crashy = createHarness({ crashAt: ['report:after-write-before-ack'] });
    try {
      const c = crashy.insert({ kind: 'checkout', name: 'checkout', path: ['checkout'], treeid: 't', data: { kernel_revision: { tree: 'toy', branch: 'main', commit: 'c'.repeat(40) } } });
      crashy.update(c.id, { state: 'done' }, { noEvent: true });
      const d = { payload: { op: 'updated', id: c.id, kind: 'checkout', name: 'checkout', state: 'done' as const, result: null, previous_state: 'closing' as const }, sequence: 1, node: () => crashy.maestro.nodes.get(c.id) };
      const report = new Report(crashy.ctx('report'));
      await expect(report.handle(d)).rejects.toThrow('report:after-write-before-ack');
      await report.handle(d);
      expect(crashy.actions('report.written')).toHaveLength(1);
      expect(crashy.actions('report.exists')).toHaveLength(1);
    } finally {
      await crashy.cleanup();
    }
  });
});
