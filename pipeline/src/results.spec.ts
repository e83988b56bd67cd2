import { entryResult, evaluateSuiteResult, parseJsonResults, parseTap, ResultsFormatError } from './results';

describe('TAP', () => {
  it('maps ok, not ok and # SKIP; ignores plans, comments and subtests', () => {
    const tap = ['TAP version 13', '1..5', 'ok 1 - boots', 'not ok 2 - mounts # TODO later', '# a comment', '    ok 1 - nested', 'ok 3 # SKIP no hardware', 'ok 4', 'ok 5 - boots'].join('\n');
    expect(parseTap(tap)).toEqual([
      { name: 'boots', result: 'pass' },
      { name: 'mounts', result: 'fail' },
      { name: '3', result: 'skip' },
      { name: '4', result: 'pass' },
      { name: 'boots (2)', result: 'pass' },
    ]);
  });

  it('gives nothing for output without test points', () => {
    expect(parseTap('hello\nworld\n')).toEqual([]);
  });
});

describe('JSON results', () => {
  it('builds nested suites and returns case logs separately', () => {
    const { suites, logs } = parseJsonResults({
      suites: [
        { name: 'math', cases: [{ name: 'div', result: 'fail', log: 'boom' }], suites: [{ name: 'deep', cases: [{ name: 'x', result: 'pass' }] }] },
        { name: 'empty' },
      ],
    });
    expect(suites).toEqual([
      { name: 'math', suites: [{ name: 'deep', suites: [], cases: [{ name: 'x', result: 'pass' }] }], cases: [{ name: 'div', result: 'fail' }] },
      { name: 'empty', suites: [], cases: [] },
    ]);
    expect(logs).toEqual([{ path: ['math', 'div'], log: 'boom' }]);
  });

  it.each([
    [null, /expected a JSON object/],
    [{ suites: {} }, /suites must be a list/],
    [{ suites: [{}] }, /every suite needs a name/],
    [{ suites: [{ name: 'a' }, { name: 'a' }] }, /a: duplicate suite name/],
    [{ suites: [{ name: 'a', cases: [{ name: 'x', result: 'ok' }] }] }, /a\/x: result must be/],
    [{ suites: [{ name: 'a', cases: [{ name: 'x', result: 'pass' }, { name: 'x', result: 'pass' }] }] }, /a\/x: duplicate name/],
    [{ suites: [{ name: 'a', cases: 'x' }] }, /a: cases must be a list/],
  ])('rejects %j', (doc, message) => {
    expect(() => parseJsonResults(doc)).toThrow(ResultsFormatError);
    expect(() => parseJsonResults(doc)).toThrow(message);
  });
});

describe('suite results', () => {
  it("follows KernelCI's rule", () => {
    expect(evaluateSuiteResult([{ result: 'pass' }, { result: 'fail' }])).toBe('fail');
    expect(evaluateSuiteResult([{ result: 'skip' }, { result: 'pass' }])).toBe('pass');
    expect(evaluateSuiteResult([{ result: 'skip' }, { result: 'incomplete' }])).toBe('skip');
    expect(evaluateSuiteResult([{ result: 'incomplete' }])).toBeNull();
    expect(entryResult({ name: 's', suites: [{ name: 't', cases: [{ name: 'c', result: 'fail' }] }], cases: [{ name: 'd', result: 'pass' }] })).toBe('fail');
  });
});
