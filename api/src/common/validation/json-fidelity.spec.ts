import { UnprocessableError } from '../errors/domain-errors';
import { checkJsonFidelity, MAX_JSON_DEPTH, NUL_MESSAGE } from './json-fidelity';

function detailOf(body: unknown): unknown {
  try {
    checkJsonFidelity(body);
  } catch (error) {
    expect(error).toBeInstanceOf(UnprocessableError);
    expect((error as UnprocessableError).status).toBe(422);
    return (error as UnprocessableError).detail;
  }
  return undefined;
}

/** `{"data": {"a": {"a": … }}}` where `data` is level 1 and the innermost object is level `levels`. */
function nested(levels: number): unknown {
  let value: unknown = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return { data: value };
}

describe('checkJsonFidelity', () => {
  it('accepts ordinary bodies, including the largest safe integers', () => {
    expect(detailOf({ name: 'x', data: { n: Number.MAX_SAFE_INTEGER, m: -Number.MAX_SAFE_INTEGER, f: 1.5, list: [1, 'a', null, true] } })).toBeUndefined();
    expect(detailOf(null)).toBeUndefined();
    expect(detailOf('plain')).toBeUndefined();
  });

  it.each([
    ['a value', { name: 'a\u0000b' }],
    ['a nested value', { data: { list: ['ok', 'bad\u0000'] } }],
    ['a key', { data: { 'k\u0000': 1 } }],
  ])('refuses NUL in %s', (_what, body) => {
    expect(detailOf(body)).toBe(NUL_MESSAGE);
  });

  it('refuses integers beyond 2^53 - 1 with their dotted location', () => {
    expect(detailOf(JSON.parse('{"data": {"x": 9007199254740993}}'))).toBe('Integer out of range in data.x');
    expect(detailOf({ data: { list: [1, -(2 ** 60)] } })).toBe('Integer out of range in data.list.1');
    expect(detailOf(JSON.parse('{"data": {"x": 1e999}}'))).toBe('Integer out of range in data.x');
    expect(detailOf(2 ** 53)).toBe('Integer out of range in body');
  });

  it('reports the first problem in document order', () => {
    expect(detailOf({ a: 2 ** 60, b: 'x\u0000' })).toBe('Integer out of range in a');
    expect(detailOf({ a: 'x\u0000', b: 2 ** 60 })).toBe(NUL_MESSAGE);
  });

  it(`accepts data nested ${MAX_JSON_DEPTH} levels and refuses one more`, () => {
    expect(detailOf(nested(MAX_JSON_DEPTH))).toBeUndefined();
    const detail = detailOf(nested(MAX_JSON_DEPTH + 1));
    expect(detail).toBe(`Nesting too deep in data${'.a'.repeat(MAX_JSON_DEPTH)} (max ${MAX_JSON_DEPTH} levels)`);
  });

  it('counts arrays as levels too and survives very deep input without recursion', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(detailOf({ data: deep })).toMatch(/^Nesting too deep in data(\.0)+ \(max 64 levels\)$/);
  });

  it('takes linear time on wide input', () => {
    const wide = { data: Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, [i, `v${i}`]])) };
    const start = Date.now();
    expect(detailOf(wide)).toBeUndefined();
    expect(Date.now() - start).toBeLessThan(2000);
  });
});

describe('checkJsonFidelity options (node bodies)', () => {
  it('prefixes locations with where the checked value sits in the body', () => {
    expect(() => checkJsonFidelity({ data: { n: 2 ** 60 } }, { location: ['child_nodes', 0, 'node'] })).toThrow(
      'Integer out of range in child_nodes.0.node.data.n',
    );
  });

  it('accepts any depth with maxDepth null and still checks NUL and integers', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 500; i++) deep = { child_nodes: [deep] };
    expect(() => checkJsonFidelity(deep, { maxDepth: null })).not.toThrow();
    expect(() => checkJsonFidelity({ a: [{ b: 'x\u0000' }] }, { maxDepth: null })).toThrow(NUL_MESSAGE);
  });
});
