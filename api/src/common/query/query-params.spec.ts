import fc from 'fast-check';
import { DomainError } from '../errors/domain-errors';
import { parsePagination } from './pagination';
import { lastValue, lastValues, parsePathInteger, parsePythonInt, parseQueryBoolean, parseTypedInt } from './query-params';

function failure(run: () => unknown): { status: number; detail: unknown } {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return { status: error.status, detail: error.detail };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('one query-parameter module', () => {
  it('takes the last value of a repeated key', () => {
    expect(lastValue(['1', '2'])).toBe('2');
    expect(lastValue('x')).toBe('x');
    expect(lastValue(undefined)).toBeUndefined();
    expect([...lastValues({ a: ['1', '2'], b: 'x', c: undefined })]).toEqual([['a', '2'], ['b', 'x']]);
  });

  it('accepts the eight boolean words in any case and refuses others with 422', () => {
    for (const yes of ['true', 'TRUE', '1', 'yes', 'On']) expect(parseQueryBoolean(yes, 'noevent', false)).toBe(true);
    for (const no of ['false', 'False', '0', 'NO', 'off']) expect(parseQueryBoolean(no, 'noevent', true)).toBe(false);
    expect(parseQueryBoolean(undefined, 'noevent', false)).toBe(false);
    expect(parseQueryBoolean(['maybe', 'yes'], 'noevent', false)).toBe(true);
    expect(failure(() => parseQueryBoolean('maybe', 'noevent', false))).toMatchObject({ status: 422, detail: [{ type: 'bool_parsing', loc: ['query', 'noevent'] }] });
  });

  it("reads Python's int() everywhere: spaces, sign and underscores between digits", () => {
    expect(parsePythonInt(' -12 ')).toBe(-12);
    expect(parsePythonInt('1_000')).toBe(1000);
    for (const bad of ['1__0', '_1', '1_', '1.0', '0x10', '', 'ten']) {
      expect(failure(() => parsePythonInt(bad))).toEqual({ status: 400, detail: `invalid literal for int() with base 10: '${bad}'` });
    }
  });

  it('refuses integers beyond 2^53 - 1 with a 4xx, never hands them to a database', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: BigInt(Number.MAX_SAFE_INTEGER) + 1n, max: 10n ** 40n }), fc.boolean(), (big, negative) => {
        const text = `${negative ? '-' : ''}${big}`;
        expect(failure(() => parsePythonInt(text)).status).toBe(400);
        expect(failure(() => parsePathInteger(text, 'sub_id'))).toMatchObject({ status: 422, detail: [{ type: 'less_than_equal', loc: ['path', 'sub_id'] }] });
        expect(failure(() => parsePagination({ limit: text })).status).toBe(422);
      }),
      { seed: 11, numRuns: 100 },
    );
    expect(parsePythonInt(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('reports every bad pagination parameter at once, FastAPI style', () => {
    expect(parsePagination({})).toEqual({ limit: 50, offset: 0 });
    expect(parsePagination({ limit: ['5', '7'], offset: ' 3 ' })).toEqual({ limit: 7, offset: 3 });
    expect(failure(() => parsePagination({ limit: '0', offset: 'x' })).detail).toEqual([
      { type: 'greater_than_equal', loc: ['query', 'limit'], msg: 'Input should be greater than or equal to 1', input: '0' },
      { type: 'int_parsing', loc: ['query', 'offset'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: 'x' },
    ]);
    expect(parseTypedInt(undefined, 'x', { fallback: 4 })).toBe(4);
  });
});
