import { compileFilter, field, nodeFilter, NodeFilterBuilder, isNodeFilterBuilder } from './filters';
import type { NodeFilter } from './filters';
import { FilterError, isFilterError, isUnsupportedFeatureError, UnsupportedFeatureError } from './errors';

const params = (f: Parameters<typeof compileFilter>[0], mode: 'maestro' | 'kernelci' = 'maestro') =>
  compileFilter(f, { mode }).params.map(([k, v]) => [k, v]);

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('compileFilter: encoding', () => {
  it('compiles the spec example, sorted by key', () => {
    const since = new Date('2026-07-20T10:00:00.123Z');
    expect(
      params({ kind: 'job', state: { in: ['running', 'available'] }, created: { gte: since }, 'data.kernel_revision.tree': 'mainline' }),
    ).toEqual([
      ['created__gte', '2026-07-20T10:00:00.123+00:00'],
      ['data.kernel_revision.tree', 'mainline'],
      ['kind', 'job'],
      ['state__in', 'running,available'],
    ]);
  });
  it('builder and object forms are equivalent', () => {
    const since = '2026-07-20T10:00:00';
    const obj: NodeFilter = { kind: 'job', state: { in: ['running', 'available'] }, created: { gte: since } };
    const built = nodeFilter().eq('kind', 'job').in('state', ['running', 'available']).gte('created', since);
    expect(params(built)).toEqual(params(obj));
  });
  it('keeps null as null', () => {
    expect(params({ result: null, holdoff: null, parent: null })).toEqual([
      ['holdoff', 'null'],
      ['parent', 'null'],
      ['result', 'null'],
    ]);
    expect(params({ 'data.error_code': { ne: null } })).toEqual([['data.error_code__ne', 'null']]);
  });
  it('turns booleans into true/false', () => {
    expect(params({ processed_by_kcidb_bridge: false })).toEqual([['processed_by_kcidb_bridge', 'false']]);
  });
  it('sends timestamps with +00:00', () => {
    expect(params({ timeout: { lt: '2026-07-20T10:00:00Z' }, updated: new Date(0) })).toEqual([
      ['timeout__lt', '2026-07-20T10:00:00+00:00'],
      ['updated', '1970-01-01T00:00:00.000+00:00'],
    ]);
  });
  it('sends numeric equality as __int, except retry_counter', () => {
    expect(params({ 'data.kernel_revision.version.version': 6, retry_counter: 2 })).toEqual([
      ['data.kernel_revision.version.version__int', '6'],
      ['retry_counter', '2'],
    ]);
    expect(params(nodeFilter().eq(field('data.delta'), -3))).toEqual([['data.delta__int', '-3']]);
  });
  it('sends integer operands as digits', () => {
    expect(params({ 'data.kernel_revision.version.patchlevel': { gte: 5, lt: 10 } })).toEqual([
      ['data.kernel_revision.version.patchlevel__gte', '5'],
      ['data.kernel_revision.version.patchlevel__lt', '10'],
    ]);
  });
  it('comma-joins in/nin lists with typed items', () => {
    expect(params(nodeFilter().in(field('data.x'), ['a', 5, null, true]).nin('result', ['fail', 'incomplete']))).toEqual([
      ['data.x__in', 'a,5,null,true'],
      ['result__nin', 'fail,incomplete'],
    ]);
  });
  it('signals in: [] as matching nothing, and drops nin: []', () => {
    const r = compileFilter({ kind: 'job', state: { in: [] }, result: { nin: [] } });
    expect(r.matchesNothing).toBe(true);
    expect(r.params).toEqual([['kind', 'job']]);
    expect(compileFilter({ result: { nin: [] } })).toEqual({ params: [], matchesNothing: false });
  });
  it('sends RegExp sources and strings for re', () => {
    expect(params({ name: { re: /^baseline-x86/ } })).toEqual([['name__re', '^baseline-x86']]);
    expect(params(nodeFilter().re('name', 'x86'))).toEqual([['name__re', 'x86']]);
  });
  it('allows a digits-only re operand in Maestro mode', () => {
    expect(params({ name: { re: '123' } })).toEqual([['name__re', '123']]);
  });
  it('allows artifact and custom fields', () => {
    expect(params({ 'artifacts.tarball': { re: 'linux' } })).toEqual([['artifacts.tarball__re', 'linux']]);
    expect(params(nodeFilter({ kind: 'kbuild' }).eq(field('data.lab.rack'), 'r3'))).toEqual([
      ['data.lab.rack', 'r3'],
      ['kind', 'kbuild'],
    ]);
  });
  it('combines a plain condition and operators on one field', () => {
    expect(params({ created: { gt: '2024-02-26T13:21:55.301000', lt: '2024-11-01' } })).toEqual([
      ['created__gt', '2024-02-26T13:21:55.301000+00:00'],
      ['created__lt', '2024-11-01T00:00:00+00:00'],
    ]);
  });
  it('ignores undefined conditions and compiles nothing to nothing', () => {
    expect(compileFilter({ kind: undefined, state: { in: undefined } as never })).toEqual({ params: [], matchesNothing: false });
    expect(compileFilter(undefined)).toEqual({ params: [], matchesNothing: false });
  });
  it('does not mutate its input and builders are immutable', () => {
    const obj = Object.freeze({ state: Object.freeze({ in: Object.freeze(['running'] as const) }) });
    expect(() => compileFilter(obj as NodeFilter)).not.toThrow();
    const base = nodeFilter().eq('kind', 'job');
    const a = base.eq('state', 'done');
    expect(params(base)).toEqual([['kind', 'job']]);
    expect(params(a)).toHaveLength(2);
    expect(isNodeFilterBuilder(a)).toBe(true);
    expect(a).toBeInstanceOf(NodeFilterBuilder);
    expect(isNodeFilterBuilder({ kind: 'job' })).toBe(false);
  });
});

describe('compileFilter: FilterError cases', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['1. an array for plain equality points to in', () => compileFilter({ state: ['running', 'done'] as never }), /use \{ in: \[\.\.\.\] \}/],
    ['1. an array for plain equality (builder)', () => compileFilter(nodeFilter().eq(field('data.x'), ['a'] as never)), /in/],
    ['2. the same key twice', () => compileFilter(nodeFilter().eq('kind', 'job').eq('kind', 'test')), /given twice/],
    ['2. the same key twice via the initial object', () => compileFilter(nodeFilter({ state: { ne: 'done' } }).ne('state', 'closing')), /given twice/],
    ['3. a field containing __', () => compileFilter({ ['name__re' as 'name']: 'x' }), /'__'/],
    ['3. field() refuses __ at once', () => field('data.a__b'), /'__'/],
    ['3. limit', () => compileFilter({ ['limit' as 'name']: '5' }), /reserved/],
    ['3. offset', () => compileFilter(nodeFilter().eq(field('offset'), 1)), /reserved/],
    ['3. sort', () => compileFilter({ ['sort' as 'name']: 'id' }), /reserved/],
    ['3. cursor', () => compileFilter({ ['cursor' as 'name']: 'c' }), /reserved/],
    ['4. the string "true"', () => compileFilter({ name: 'true' }), /would be read as true/],
    ['4. the string "False"', () => compileFilter({ name: 'False' }), /would be read as false/],
    ['4. the string "null"', () => compileFilter({ group: 'null' }), /would be read as null/],
    ['5. an in element with a comma', () => compileFilter({ name: { in: ['a,b'] } }), /comma/],
    ['5. a nin element with a comma', () => compileFilter({ name: { nin: ['ok', 'x,y'] } }), /comma/],
    ['6. digits-only ne', () => compileFilter({ name: { ne: '42' } }), /digits-only/],
    ['6. digits-only lt', () => compileFilter({ 'data.job_id': { lt: '1000' } }), /digits-only/],
    ['6. digits-only lte', () => compileFilter({ 'data.job_id': { lte: '1000' } }), /digits-only/],
    ['6. digits-only gt', () => compileFilter({ 'data.job_id': { gt: '1000' } }), /digits-only/],
    ['6. digits-only gte', () => compileFilter({ 'data.job_id': { gte: '1000' } }), /digits-only/],
    ['6. digits-only re in KernelCI mode', () => compileFilter({ name: { re: '123' } }, { mode: 'kernelci' }), /digits-only/],
    ['7. a non-integer', () => compileFilter({ 'data.kernel_revision.version.version': 6.1 }), /not an integer/],
    ['7. a non-integer operand', () => compileFilter({ retry_counter: { gt: 0.5 } }), /not an integer/],
    ['7. a non-integer in a list', () => compileFilter(nodeFilter().in(field('data.x'), [1.5])), /not an integer/],
    ['7. a negative number outside plain equality', () => compileFilter({ 'data.kernel_revision.version.sublevel': { gt: -1 } }), /negative/],
    ['7. a negative number in a list', () => compileFilter(nodeFilter().in(field('data.x'), [-1])), /negative/],
    ['7. NaN', () => compileFilter(nodeFilter().eq(field('data.x'), NaN)), /not an integer/],
    ['8. a RegExp with flags', () => compileFilter({ name: { re: /x86/i } }), /flags/],
    ['an unknown operator', () => compileFilter({ name: { contains: 'x' } as never }), /Unknown filter operator/],
    ['an empty operator object', () => compileFilter({ name: {} }), /no operator/],
    ['in without a list', () => compileFilter({ name: { in: 'a' as never } }), /expects a list/],
    ['a boolean operand for ne', () => compileFilter({ processed_by_kcidb_bridge: { ne: true } }), /string 'true'/],
    ['an invalid timestamp', () => compileFilter({ created: { gt: 'last tuesday' } }), /not a valid timestamp/],
    ['a number on a timestamp field', () => compileFilter({ created: 5 as never }), /Date or an ISO 8601 string/],
    ['a Date on a non-timestamp field', () => compileFilter({ name: new Date() as never }), /only allowed/],
  ];
  it.each(cases)('%s', (_name, fn, message) => {
    const e = thrown(fn);
    expect(e).toBeInstanceOf(FilterError);
    expect(isFilterError(e)).toBe(true);
    expect((e as Error).message).toMatch(message);
  });
  it('names the field', () => {
    expect((thrown(() => compileFilter({ name: 'true' })) as FilterError).field).toBe('name');
  });
});

describe('compileFilter: exemptions for typed fields', () => {
  it('allows digits-only strings on parent and timestamps, and negative retry_counter operands', () => {
    expect(params({ parent: { ne: '123456789012345678901234' } })).toEqual([['parent__ne', '123456789012345678901234']]);
    expect(params({ retry_counter: { gt: -1 } })).toEqual([['retry_counter__gt', '-1']]);
  });
  it('allows digits-only strings for plain equality and in lists', () => {
    expect(params({ 'data.job_id': '1000', name: { in: ['1', '2'] } })).toEqual([
      ['data.job_id', '1000'],
      ['name__in', '1,2'],
    ]);
  });
});

describe('compileFilter: KernelCI mode (section 1)', () => {
  const unsupported: [string, () => unknown][] = [
    ['parent: null', () => compileFilter({ parent: null }, { mode: 'kernelci' })],
    ['parent ne', () => compileFilter({ parent: { ne: null } }, { mode: 'kernelci' })],
    ['parent in', () => compileFilter({ parent: { in: ['65a1355ee98651d0fe81e40f'] } }, { mode: 'kernelci' })],
    ['retry_counter gt', () => compileFilter({ retry_counter: { gt: 0 } }, { mode: 'kernelci' })],
    ['retry_counter nin', () => compileFilter({ retry_counter: { nin: [0] } }, { mode: 'kernelci' })],
    ['null on a timestamp', () => compileFilter({ holdoff: null }, { mode: 'kernelci' })],
    ['null operand on a timestamp', () => compileFilter({ timeout: { ne: null } }, { mode: 'kernelci' })],
    ['null in a timestamp list', () => compileFilter({ holdoff: { in: [null] } }, { mode: 'kernelci' })],
  ];
  it.each(unsupported)('%s throws UnsupportedFeatureError', (_name, fn) => {
    const e = thrown(fn);
    expect(e).toBeInstanceOf(UnsupportedFeatureError);
    expect(isUnsupportedFeatureError(e)).toBe(true);
    expect((e as UnsupportedFeatureError).feature).toBe('query-supersets');
  });
  it('allows what KernelCI answers correctly', () => {
    expect(params({ parent: '65a1355ee98651d0fe81e40f', retry_counter: 1, result: null, holdoff: { lt: new Date(0) } }, 'kernelci')).toEqual([
      ['holdoff__lt', '1970-01-01T00:00:00.000+00:00'],
      ['parent', '65a1355ee98651d0fe81e40f'],
      ['result', 'null'],
      ['retry_counter', '1'],
    ]);
  });
  it('the same filters work in Maestro mode', () => {
    expect(() => compileFilter({ parent: null, retry_counter: { gt: 0 }, holdoff: null })).not.toThrow();
  });
});
