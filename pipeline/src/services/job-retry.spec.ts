import { DEFAULT_RETRY_ERROR_CODES } from '../config';
import type { MaestroNode } from '../maestro';
import { createHarness, type Harness } from '../testing/harness';
import { JobRetry, retryDecision } from './job-retry';

const config = { maxRetries: 2, errorCodes: DEFAULT_RETRY_ERROR_CODES };
const jobs = { smoke: {}, 'kbuild-toy': {} };

function node(overrides: Partial<MaestroNode>): MaestroNode {
  return {
    id: 'f'.repeat(24),
    kind: 'job',
    name: 'smoke',
    path: ['checkout', 'kbuild-toy', 'smoke'],
    group: 'smoke',
    parent: 'e'.repeat(24),
    state: 'done',
    result: 'incomplete',
    data: { runtime: 'shell', error_code: 'Infrastructure' },
    artifacts: {},
    treeid: null,
    owner: 'pipeline',
    jobfilter: null,
    retry_counter: 0,
    created: '2026-01-01T00:00:00',
    updated: '2026-01-01T00:00:00',
    timeout: '2026-01-01T01:00:00',
    holdoff: null,
    ...overrides,
  };
}

describe('job retry rules', () => {
  it('retries an infrastructure incomplete with retry_counter + 1', () => {
    expect(retryDecision(node({}), config, jobs)).toEqual({ retry: true, retryCounter: 1 });
    expect(retryDecision(node({ kind: 'kbuild', name: 'kbuild-toy', data: { runtime: 'shell', error_code: 'kbuild_internal_error' } }), config, jobs)).toEqual({ retry: true, retryCounter: 1 });
    expect(retryDecision(node({ retry_counter: 1 }), config, jobs)).toEqual({ retry: true, retryCounter: 2 });
  });

  it('never retries a test failure, a pass, another error code, or past the limit', () => {
    for (const n of [
      node({ result: 'fail' }),
      node({ result: 'pass' }),
      node({ data: { runtime: 'shell', error_code: 'node_timeout' } }),
      node({ data: { runtime: 'shell' } }),
      node({ retry_counter: 2 }),
      node({ state: 'running' }),
      node({ kind: 'test' }),
      node({ name: 'other-lab-job' }),
      node({ data: { runtime: 'lava', error_code: 'Infrastructure' } }),
    ]) {
      expect(retryDecision(n, config, jobs).retry).toBe(false);
    }
  });
});

describe('job-retry service', () => {
  let h: Harness;
  beforeEach(() => (h = createHarness()));
  afterEach(() => h.cleanup());

  it('creates one sibling per retry level, however often the event comes', async () => {
    const kbuild = h.insert({ kind: 'kbuild', name: 'kbuild-toy', path: ['checkout', 'kbuild-toy'], state: 'available', result: 'pass', data: { arch: 'x86_64' } });
    const first = h.insert({ kind: 'job', name: 'smoke', parent: kbuild.id, path: ['checkout', 'kbuild-toy', 'smoke'], state: 'done', result: 'incomplete', data: { runtime: 'shell', platform: 'shell', error_code: 'Infrastructure' } });
    const service = new JobRetry(h.ctx('job-retry', { config: { ...h.config, jobRetry: { maxRetries: 1, errorCodes: DEFAULT_RETRY_ERROR_CODES } } }));
    const retry = await service.retry(first);
    expect(retry).toMatchObject({ kind: 'job', name: 'smoke', parent: kbuild.id, retry_counter: 1, state: 'running', data: expect.objectContaining({ runtime: 'shell', arch: 'x86_64' }) });
    expect(await service.retry(first)).toMatchObject({ id: retry!.id });
    // The retry fails again: the limit (1) stops it.
    h.update(retry!.id, { state: 'done', result: 'incomplete', data: { ...retry!.data, error_code: 'Infrastructure' } });
    expect(await service.retry(await h.maestro.nodes.get(retry!.id))).toBeNull();
    expect(h.stored().filter((n) => n.name === 'smoke')).toHaveLength(2);
    expect(h.actions('job.retried')).toHaveLength(1);
    expect(h.actions('job.retry-exists')).toHaveLength(1);
    expect(h.actions('job.not-retried')[0]).toMatchObject({ reason: 'already retried 1 time(s) (max 1)' });
    // The retry is reported once, as a job_submission with retry 1 naming the node it retries.
    expect((await h.telemetry())).toEqual([
      expect.objectContaining({ kind: 'job_submission', runtime: 'shell', job_name: 'smoke', node_id: retry!.id, arch: 'x86_64', retry: 1, extra: { retry_of: first.id } }),
    ]);
  });
});
