import { ObjectId } from 'bson';
import { BadRequestError } from '../common/errors/domain-errors';
import { coerceKernelVersion, NODE_KINDS, normaliseArtifactUrl, validateNodeKind } from './node-kinds';

const REVISION = {
  tree: 'mainline',
  url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git',
  branch: 'master',
  commit: '052d534373b7ed33712a63d5e17b2b6cdbce84fd',
  describe: 'v6.7-9928-g052d534373b7',
  version: { version: 6, patchlevel: 7, extra: '-9928-g052d534373b7' },
};
const ID = '65a3982ee98651d0fe82b010';

/** The 400 detail of a failing call, or undefined when it passes. */
function failure(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestError);
    return (error as BadRequestError).detail as string;
  }
  return undefined;
}

const generic = (kind: string, data: unknown, artifacts?: unknown) => failure(() => validateNodeKind({ kind, data, artifacts }, 'generic'));

describe('validateNodeKind: kinds', () => {
  it('lists the six supported kinds', () => {
    expect(NODE_KINDS).toEqual(['checkout', 'kbuild', 'job', 'test', 'process', 'regression']);
  });

  it.each(['node', 'foo', '', 'Checkout', 'toString', '__proto__'])('refuses kind %p', (kind) => {
    expect(generic(kind, {})).toBe(`Unsupported node kind: ${kind}`);
  });
});

describe('validateNodeKind: reports', () => {
  it('reports a missing revision URL with its dotted location', () => {
    const { url: _url, ...revision } = REVISION;
    const detail = generic('checkout', { kernel_revision: revision });
    expect(detail).toMatch(/^1 validation error for Checkout\n/);
    expect(detail!.split('\n')).toEqual(['1 validation error for Checkout', 'data.kernel_revision.url', '  Field required [type=missing]']);
  });

  it.each(['checkout', 'kbuild', 'test', 'job', 'regression'])('refuses data: null for %s', (kind) => {
    const model = kind[0].toUpperCase() + kind.slice(1);
    expect(generic(kind, null)).toBe(`1 validation error for ${model}\ndata\n  Input should be a valid dictionary [type=dict_type]`);
  });

  it('counts several errors in the plural, in schema order', () => {
    const detail = generic('kbuild', { arch: 1, error_code: 'nope', kernel_revision: { ...REVISION, version: { version: '6', patchlevel: 7 } } });
    expect(detail!.split('\n')).toEqual([
      '3 validation errors for Kbuild',
      'data.kernel_revision.version.version',
      '  Input should be a valid integer [type=int_type]',
      'data.arch',
      '  Input should be a valid string [type=string_type]',
      'data.error_code',
      expect.stringMatching(/^ {2}Input should be 'invalid_job_params', .* or 'kbuild_internal_error' \[type=enum\]$/),
    ]);
  });

  it('checks artifact URLs before data (400 on PATCH)', () => {
    const detail = generic('process', null, { log: 'ftp://x.org/log', ok: 'https://x.org' });
    expect(detail!.split('\n').slice(0, 2)).toEqual(['1 validation error for Process', 'artifacts.log']);
    expect(generic('checkout', {}, { log: 'not a url' })).toContain('artifacts.log');
    expect(generic('checkout', {}, null)).toBeUndefined();
    expect(generic('checkout', {}, 'x')).toContain('\nartifacts\n');
  });
});

describe('validateNodeKind: per-kind rules', () => {
  it.each([
    ['checkout', { kernel_revision: REVISION, error_code: 'git_checkout_failure', architecture_filter: ['x86_64'], extra: 'kept' }],
    ['checkout', {}],
    ['kbuild', { kernel_revision: REVISION, arch: 'arm64', defconfig: 'defconfig', compiler: 'gcc-12', fragments: ['kselftest'], error_code: 'Infrastructure', regression: ID }],
    ['test', { test_source: 'https://github.com/x/y.git', test_revision: { ...REVISION, commit_tags: ['a'], tip_of_branch: true }, runtime: 'lava-collabora', misc: { a: 1 } }],
    ['job', { platform: 'qemu', error_code: 'Unexisting permission codename.', regression: ID.toUpperCase() }],
    ['regression', { fail_node: ID, pass_node: ID, node_sequence: [ID, ID], failed_kernel_revision: REVISION }],
    ['process', { anything: [1, { goes: true }] }],
    ['process', null],
    ['test', { kernel_revision: null, misc: null }],
    ['checkout', { kernel_revision: { ...REVISION, url: 'git://git.kernel.org/linux.git', version: { version: 6, patchlevel: 7, sublevel: '3' } } }],
  ])('accepts %s data %j', (kind, data) => {
    expect(generic(kind, data)).toBeUndefined();
  });

  it.each([
    ['checkout', { error_code: 'node_timeouts' }, 'data.error_code'],
    ['checkout', { error_code: 'Infrastructure' }, 'data.error_code'],
    ['checkout', { kernel_revision: { ...REVISION, url: 'git.kernel.org/linux' } }, 'data.kernel_revision.url'],
    ['checkout', { kernel_revision: { ...REVISION, tree: null } }, 'data.kernel_revision.tree'],
    ['checkout', { kernel_revision: 'mainline' }, 'data.kernel_revision'],
    ['checkout', { kernel_revision: { ...REVISION, version: { version: 6 } } }, 'data.kernel_revision.version.patchlevel'],
    ['checkout', { kernel_revision: { ...REVISION, version: { version: 6.5, patchlevel: 7 } } }, 'data.kernel_revision.version.version'],
    ['checkout', { kernel_revision: { ...REVISION, version: { version: true, patchlevel: 7 } } }, 'data.kernel_revision.version.version'],
    ['checkout', { kernel_revision: { ...REVISION, commit_tags: [1] } }, 'data.kernel_revision.commit_tags.0'],
    ['checkout', { architecture_filter: 'x86_64' }, 'data.architecture_filter'],
    ['kbuild', { regression: 'x' }, 'data.regression'],
    ['kbuild', { fragments: [null] }, 'data.fragments.0'],
    ['test', { test_source: '/relative' }, 'data.test_source'],
    ['test', { misc: [] }, 'data.misc'],
    ['test', { test_revision: { ...REVISION, tip_of_branch: 'maybe' } }, 'data.test_revision.tip_of_branch'],
    ['job', { error_code: 'git_checkout_failure' }, 'data.error_code'],
    ['regression', { node_sequence: [ID, 'nope'] }, 'data.node_sequence.1'],
    ['regression', { fail_node: 5 }, 'data.fail_node'],
    ['process', [1, 2], 'data'],
  ])('refuses %s data %j at %s', (kind, data, loc) => {
    expect(generic(kind, data)?.split('\n')).toEqual([expect.stringMatching(/^1 validation error for [A-Z][a-z]+$/), loc, expect.stringMatching(/^ {2}\S/)]);
  });

  it('returns data untouched in generic mode, unknown keys included', () => {
    const data = { kernel_revision: { ...REVISION, mine: 1 }, custom: { deep: true } };
    expect(validateNodeKind({ kind: 'checkout', data }, 'generic')).toBe(data);
  });
});

describe('validateNodeKind: normalise mode (step 5)', () => {
  const normalise = (kind: string, data: unknown) => validateNodeKind({ kind, data }, 'normalise');

  it('drops unknown keys and fills absent fields with null or their default', () => {
    const data = { kernel_revision: { ...REVISION, url: 'HTTPS://Git.Kernel.org', unknown: 1 }, custom: 'dropped' };
    expect(normalise('checkout', data)).toEqual({
      kernel_revision: {
        tree: 'mainline',
        url: 'https://git.kernel.org/',
        branch: 'master',
        commit: REVISION.commit,
        describe: REVISION.describe,
        version: { version: 6, patchlevel: 7, sublevel: null, extra: '-9928-g052d534373b7', name: null },
        patchset: null,
        commit_tags: [],
        commit_message: null,
        tip_of_branch: null,
      },
      error_code: null,
      error_msg: null,
      architecture_filter: null,
    });
    expect(data.custom).toBe('dropped');
  });

  it('gives schema order and defaults for test data', () => {
    const out = normalise('test', { misc: { a: 1 }, platform: 'qemu' })!;
    expect(Object.keys(out)).toEqual([
      'error_code', 'error_msg', 'test_source', 'test_revision', 'platform', 'device', 'runtime', 'job_id', 'job_context',
      'regression', 'kernel_revision', 'arch', 'defconfig', 'config_full', 'compiler', 'kernel_type', 'misc',
    ]);
    expect(out.platform).toBe('qemu');
    expect(normalise('job', {})!.misc).toEqual({});
  });

  it('stores ObjectId fields as BSON ObjectIds, serialised back as hex strings', () => {
    const out = normalise('regression', { fail_node: ID.toUpperCase(), pass_node: ID })!;
    expect(out.fail_node).toBeInstanceOf(ObjectId);
    expect(out.node_sequence).toEqual([]);
    expect(JSON.parse(JSON.stringify(out))).toMatchObject({ fail_node: ID, pass_node: ID, node_sequence: [], error_code: null });
  });

  it('converts lax values the way pydantic does', () => {
    const out = normalise('checkout', { kernel_revision: { ...REVISION, tip_of_branch: 'yes', version: { version: 6, patchlevel: 7, sublevel: ' 12 ' } } })!;
    const revision = out.kernel_revision as Record<string, unknown>;
    expect(revision.tip_of_branch).toBe(true);
    expect((revision.version as Record<string, unknown>).sublevel).toBe(12);
  });

  it('keeps process data as sent', () => {
    const data = { anything: { goes: [1] } };
    expect(normalise('process', data)).toBe(data);
    expect(normalise('process', null)).toBeNull();
  });

  it('refuses a string version number: there is no coercion in hierarchies', () => {
    const detail = failure(() => normalise('checkout', { kernel_revision: { ...REVISION, version: { version: '6', patchlevel: 7 } } }));
    expect(detail).toContain('data.kernel_revision.version.version');
  });
});

describe('coerceKernelVersion', () => {
  const withVersion = (version: unknown) => ({ kernel_revision: { ...REVISION, version }, other: 1 });

  it('converts numeric strings and truncates numbers, without touching its argument', () => {
    const data = withVersion({ version: '6', patchlevel: ' 7 ', sublevel: 3.9, extra: '-rc1' });
    const out = coerceKernelVersion(data);
    expect(out.kernel_revision.version).toEqual({ version: 6, patchlevel: 7, sublevel: 3, extra: '-rc1' });
    expect(out.other).toBe(1);
    expect(data.kernel_revision.version).toEqual({ version: '6', patchlevel: ' 7 ', sublevel: 3.9, extra: '-rc1' });
  });

  it('leaves falsy values for kind validation to judge', () => {
    expect(coerceKernelVersion(withVersion({ version: 0, patchlevel: '', sublevel: null })).kernel_revision.version).toEqual({
      version: 0,
      patchlevel: '',
      sublevel: null,
    });
  });

  it.each([
    [{ version: 'abc', patchlevel: 1 }, 'abc'],
    [{ version: 6, patchlevel: '7.1' }, '7.1'],
    [{ version: 6, patchlevel: 7, sublevel: [1] }, '[1]'],
  ])('refuses %j', (version, shown) => {
    expect(failure(() => coerceKernelVersion(withVersion(version)))).toBe(`invalid literal for int() with base 10: '${shown}'`);
  });

  it('returns data without a version object as is', () => {
    for (const data of [null, {}, { kernel_revision: null }, { kernel_revision: { version: null } }, { kernel_revision: 'x' }]) {
      expect(coerceKernelVersion(data)).toBe(data);
    }
  });
});

describe('normaliseArtifactUrl', () => {
  it.each([
    ['https://example.com', 'https://example.com/'],
    ['https://storage.example.org/linux.tar.gz', 'https://storage.example.org/linux.tar.gz'],
    ['HTTP://Example.COM:80/a b', 'http://example.com/a%20b'],
  ])('%s → %s', (url, normalised) => {
    expect(normaliseArtifactUrl(url)).toBe(normalised);
  });
});
