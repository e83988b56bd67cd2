import type { SchedulerEntry } from '../config';
import type { EventPayload, MaestroNode } from '../maestro';
import { createHarness, type Harness } from '../testing/harness';
import { entryMatches, passesJobfilter, passesRules, Scheduler, unionFilter } from './scheduler';

const kbuildEntry: SchedulerEntry = { job: 'smoke', channel: 'node', runtime: 'shell', match: { kind: 'kbuild', name: 'kbuild-toy', state: 'available', result: 'pass' } };
const checkoutEntry: SchedulerEntry = { job: 'kbuild-toy', channel: 'node', runtime: 'shell', match: { kind: 'checkout', state: 'available' } };
const nameOnly: SchedulerEntry = { job: 'smoke', channel: 'node', runtime: 'shell', match: { kind: 'kbuild', name: 'kbuild-toy' } };

const payload = (p: Partial<EventPayload>): EventPayload => ({ op: 'updated', id: 'n1', kind: 'kbuild', name: 'kbuild-toy', state: 'available', result: 'pass', ...p });

describe('entryMatches: transitions only, per entry', () => {
  it.each<[string, SchedulerEntry, Partial<EventPayload>, boolean]>([
    ['a move into the condition', kbuildEntry, { previous_state: 'running', previous_result: null }, true],
    ['a creation already in the condition', kbuildEntry, { op: 'created' }, true],
    ['the level-trigger trap: same state and result', kbuildEntry, { previous_state: 'available', previous_result: 'pass' }, false],
    ['a fabricated update without previous_state', kbuildEntry, {}, false],
    ['previous_state null', kbuildEntry, { previous_state: null }, false],
    ['a result change within the state', kbuildEntry, { previous_state: 'available', previous_result: null }, true],
    ['a move into a failing build', kbuildEntry, { result: 'fail', previous_state: 'running', previous_result: null }, false],
    ['a move out of the condition', kbuildEntry, { state: 'done', previous_state: 'available', previous_result: 'pass' }, false],
    ['another job name', kbuildEntry, { name: 'kbuild-other', previous_state: 'running' }, false],
    ['another kind', checkoutEntry, { kind: 'kbuild', previous_state: 'running' }, false],
    ['a checkout becoming available', checkoutEntry, { kind: 'checkout', name: 'checkout', result: 'pass', previous_state: 'running' }, true],
    ['an entry without state: a state change', nameOnly, { previous_state: 'running' }, true],
    ['an entry without state: no change', nameOnly, { previous_state: 'available', previous_result: 'pass' }, false],
    ['an unknown op', kbuildEntry, { op: 'deleted', previous_state: 'running' }, false],
  ])('%s', (_name, entry, p, expected) => {
    expect(entryMatches(entry, payload(p))).toBe(expected);
  });
});

describe('jobfilter, rules and the server-side filter', () => {
  it('passes listed jobs and X+ prefixes of the job or its parent path', () => {
    expect(passesJobfilter(null, 'smoke', ['checkout'])).toBe(true);
    expect(passesJobfilter([], 'smoke', ['checkout'])).toBe(true);
    expect(passesJobfilter(['smoke'], 'smoke', ['checkout'])).toBe(true);
    expect(passesJobfilter(['unit'], 'smoke', ['checkout'])).toBe(false);
    expect(passesJobfilter(['kbuild-toy+'], 'smoke', ['checkout', 'kbuild-toy'])).toBe(true);
    expect(passesJobfilter(['smoke+'], 'smoke', ['checkout'])).toBe(true);
    expect(passesJobfilter(['kbuild-toy'], 'smoke', ['checkout', 'kbuild-toy'])).toBe(false);
  });

  it("applies the job's tree and branch rules to the parent's kernel revision", () => {
    const parent = { data: { kernel_revision: { tree: 'toy', branch: 'main' } } } as unknown as MaestroNode;
    const job = (rules: object) => ({ name: 'j', kind: 'job' as const, command: 'x', timeoutMs: 1, holdoffMs: 0, results: null, params: {}, rules });
    expect(passesRules(job({}), parent)).toBe(true);
    expect(passesRules(job({ tree: { allow: ['toy'], deny: [] } }), parent)).toBe(true);
    expect(passesRules(job({ tree: { allow: [], deny: ['toy'] } }), parent)).toBe(false);
    expect(passesRules(job({ branch: { allow: ['next'], deny: [] } }), parent)).toBe(false);
  });

  it('sends the union of kinds, and states only when every entry names one', () => {
    expect(unionFilter([checkoutEntry, kbuildEntry])).toEqual({ kind: ['checkout', 'kbuild'], state: ['available'] });
    expect(unionFilter([checkoutEntry, nameOnly])).toEqual({ kind: ['checkout', 'kbuild'] });
  });
});

describe('Scheduler.handle', () => {
  let h: Harness;
  beforeEach(() => {
    h = createHarness();
  });
  afterEach(() => h.cleanup());

  const checkout = () =>
    h.insert({ kind: 'checkout', name: 'checkout', path: ['checkout'], treeid: 't1', data: { kernel_revision: { tree: 'toy', branch: 'main', commit: 'abc' } } });
  const deliver = (node: MaestroNode, p: Partial<EventPayload>) => ({
    payload: { op: 'updated', id: node.id, kind: node.kind, name: node.name, state: node.state, result: node.result, ...p } as EventPayload,
    sequence: 7,
    node: () => h.maestro.nodes.get(node.id),
  });

  it('creates a kbuild with params once, and logs a redelivery as a skipped duplicate', async () => {
    const c = checkout();
    const available = h.update(c.id, { state: 'available', result: 'pass' }, { noEvent: true });
    const scheduler = new Scheduler(h.ctx('scheduler'));
    await scheduler.handle(deliver(available, { previous_state: 'running', previous_result: null }));
    await scheduler.handle(deliver(available, { previous_state: 'running', previous_result: null }));
    const kids = h.stored().filter((n) => n.parent === c.id);
    expect(kids).toHaveLength(1);
    expect(kids[0]).toMatchObject({
      kind: 'kbuild',
      name: 'kbuild-toy',
      group: 'kbuild-toy',
      path: ['checkout', 'kbuild-toy'],
      data: { runtime: 'shell', platform: 'shell', arch: 'x86_64', defconfig: 'toy_defconfig', compiler: 'gcc', kernel_revision: { tree: 'toy' } },
    });
    const timeoutIn = Date.parse(`${kids[0]!.timeout}Z`) - Date.now();
    expect(timeoutIn).toBeGreaterThan(290_000);
    expect(timeoutIn).toBeLessThanOrEqual(300_000);
    expect(h.actions('job.created')).toEqual([expect.objectContaining({ node: kids[0]!.id, parent: c.id, job: 'kbuild-toy', sequence: 7 })]);
    expect(h.actions('job.skipped-duplicate')).toHaveLength(1);
    // One job_submission: the duplicate was submitted, and reported, the first time.
    expect((await h.telemetry())).toEqual([
      { kind: 'job_submission', runtime: 'shell', device_type: 'shell', job_name: 'kbuild-toy', node_id: kids[0]!.id, tree: 'toy', branch: 'main', arch: 'x86_64', retry: 0 },
    ]);
  });

  it('reports a failed submission as job_submission with the error and a runtime_error, and still fails the delivery', async () => {
    const c = h.update(checkout().id, { state: 'available' }, { noEvent: true });
    h.maestro.nodes.createChild = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { name: 'NetworkError' }));
    await expect(new Scheduler(h.ctx('scheduler')).handle(deliver(c, { previous_state: 'running' }))).rejects.toThrow('ECONNREFUSED');
    expect((await h.telemetry())).toEqual([
      { kind: 'job_submission', runtime: 'shell', device_type: 'shell', job_name: 'kbuild-toy', node_id: c.id, tree: 'toy', branch: 'main', arch: 'x86_64', retry: 0, error_type: 'NetworkError', error_msg: 'connect ECONNREFUSED' },
      { kind: 'runtime_error', runtime: 'shell', node_id: c.id, job_name: 'kbuild-toy', error_type: 'NetworkError', error_msg: 'connect ECONNREFUSED' },
    ]);
  });

  it('derives the key from parent, job, runtime, platform and retry counter', async () => {
    const c = h.update(checkout().id, { state: 'available' }, { noEvent: true });
    await new Scheduler(h.ctx('scheduler')).handle(deliver(c, { previous_state: 'running' }));
    const [, , { key }] = h.calls.find((x) => x.method === 'nodes.createChild')!.args as [unknown, unknown, { key: string }];
    expect(key).toBe(await h.maestro.deriveKey('job', c.id, 'kbuild-toy', 'shell', 'shell', 0));
  });

  it('creates both jobs under a passing kbuild, copying build fields from the parent', async () => {
    const c = checkout();
    const kb = h.insert({
      kind: 'kbuild',
      name: 'kbuild-toy',
      parent: c.id,
      path: ['checkout', 'kbuild-toy'],
      treeid: 't1',
      state: 'available',
      result: 'pass',
      data: { arch: 'x86_64', defconfig: 'd', compiler: 'gcc', kernel_type: 'bzImage', config_full: 'd+x', other: 'no' },
    });
    await new Scheduler(h.ctx('scheduler')).handle(deliver(kb, { previous_state: 'running', previous_result: null }));
    const jobs = h.stored().filter((n) => n.parent === kb.id).sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(jobs.map((j) => [j.kind, j.name, j.retry_counter])).toEqual([
      ['job', 'smoke', 0],
      ['job', 'unit', 0],
    ]);
    expect(jobs[0]!.data).toEqual({ runtime: 'shell', platform: 'shell', arch: 'x86_64', defconfig: 'd', compiler: 'gcc', kernel_type: 'bzImage', config_full: 'd+x' });
  });

  it('reads the parent once per delivery, and never for a non-matching one', async () => {
    const c = checkout();
    let reads = 0;
    const scheduler = new Scheduler(h.ctx('scheduler'));
    const counted = (p: Partial<EventPayload>) => {
      const d = deliver(c, p);
      return { ...d, node: () => ((reads += 1), d.node()) };
    };
    await scheduler.handle(counted({ state: 'available', previous_state: 'available' }));
    expect(reads).toBe(0);
    const kb = h.insert({ kind: 'kbuild', name: 'kbuild-toy', parent: c.id, path: ['checkout', 'kbuild-toy'], state: 'available', result: 'pass' });
    const d = deliver(kb, { previous_state: 'running' });
    await scheduler.handle({ ...d, node: () => ((reads += 1), d.node()) });
    expect(reads).toBe(1);
  });

  it('honours the jobfilter and skips a parent that is already done', async () => {
    const c = h.update(checkout().id, { state: 'available', jobfilter: ['something-else'] }, { noEvent: true });
    const scheduler = new Scheduler(h.ctx('scheduler'));
    await scheduler.handle(deliver(c, { previous_state: 'running' }));
    expect(h.actions('job.filtered')).toHaveLength(1);
    const done = h.update(c.id, { state: 'done', jobfilter: null }, { noEvent: true });
    await scheduler.handle(deliver(done, { state: 'available', previous_state: 'running' }));
    expect(h.actions('job.skipped-parent-done')).toHaveLength(1);
    expect(h.stored().filter((n) => n.parent === c.id)).toHaveLength(0);
    expect((await h.telemetry())).toEqual([
      { kind: 'job_skip', runtime: 'shell', job_name: 'kbuild-toy', node_id: c.id, error_type: 'jobfilter' },
      { kind: 'job_skip', runtime: 'shell', job_name: 'kbuild-toy', node_id: c.id, error_type: 'parent_done' },
    ]);
  });

  it('survives a crash before and after creating: the redelivery creates nothing twice', async () => {
    const crashy = createHarness({ crashAt: ['scheduler:before-create', 'scheduler:after-create-before-ack'] });
    try {
      const c = crashy.insert({ kind: 'checkout', name: 'checkout', path: ['checkout'], state: 'available' });
      const d = { payload: { op: 'updated', id: c.id, kind: 'checkout', name: 'checkout', state: 'available', result: null, previous_state: 'running' } as EventPayload, sequence: 1, node: () => crashy.maestro.nodes.get(c.id) };
      const scheduler = new Scheduler(crashy.ctx('scheduler'));
      await expect(scheduler.handle(d)).rejects.toThrow('scheduler:before-create');
      await expect(scheduler.handle(d)).rejects.toThrow('scheduler:after-create-before-ack');
      await scheduler.handle(d);
      expect(crashy.stored().filter((n) => n.parent === c.id)).toHaveLength(1);
      expect(crashy.actions('job.created')).toHaveLength(1);
      expect(crashy.actions('job.skipped-duplicate')).toHaveLength(1);
    } finally {
      await crashy.cleanup();
    }
  });
});
