import { evaluateSuiteResult, resultTree } from './result-tree';
import { isValidationError, ValidationError } from './errors';
import type { NodeResult } from './states';

const r = (...results: (NodeResult | null)[]) => results.map((result) => ({ result }));

describe('evaluateSuiteResult', () => {
  it.each<[(NodeResult | null)[], NodeResult | null]>([
    [['pass', 'fail', 'skip'], 'fail'],
    [['skip', 'incomplete', 'fail'], 'fail'],
    [['skip', 'pass', 'incomplete'], 'pass'],
    [['skip', 'incomplete', null], 'skip'],
    [['incomplete', null], null],
    [[], null],
  ])('%j → %p', (results, expected) => {
    expect(evaluateSuiteResult(r(...results))).toBe(expected);
  });
});

describe('resultTree', () => {
  const tree = () =>
    resultTree()
      .suite('boot', (s) => s.case('login', 'pass').case('dmesg', 'pass'))
      .suite('ltp', (s) =>
        s
          .case('mmap01', 'fail', { artifacts: { log: 'http://127.0.0.1:8002/mmap01.txt' } })
          .suite('fs', (fs) => fs.case('read', 'skip'), { data: { misc: { n: 1 } } }),
      )
      .case('smoke', 'pass', { kind: 'job', data: { platform: 'qemu' } });

  it('builds suites of kind job and cases of kind test, with evaluated suite results', () => {
    const t = tree();
    expect(t.children.map((c) => [c.name, c.kind, c.result])).toEqual([
      ['boot', 'job', 'pass'],
      ['ltp', 'job', 'fail'],
      ['smoke', 'job', 'pass'],
    ]);
    const ltp = t.children[1]!;
    expect(ltp.children.map((c) => [c.name, c.kind, c.result])).toEqual([
      ['mmap01', 'test', 'fail'],
      ['fs', 'job', 'skip'],
    ]);
    expect(t.result).toBe('fail');
    expect(t.size).toBe(8);
  });

  it('lets an explicit suite result override the default', () => {
    const t = resultTree().suite('s', (s) => s.case('a', 'fail'), { result: 'incomplete' });
    expect(t.children[0]!.result).toBe('incomplete');
    expect(resultTree().suite('empty', () => undefined).children[0]!.result).toBeNull();
  });

  it('produces the PUT /nodes/{id} body', () => {
    const body = tree().toHierarchy({ name: 'job-root' });
    expect(body.node).toEqual({ name: 'job-root' });
    expect(body.child_nodes[0]).toEqual({
      node: { name: 'boot', kind: 'job', result: 'pass', state: 'done', data: {}, artifacts: {} },
      child_nodes: [
        { node: { name: 'login', kind: 'test', result: 'pass', state: 'done', data: {}, artifacts: {} }, child_nodes: [] },
        { node: { name: 'dmesg', kind: 'test', result: 'pass', state: 'done', data: {}, artifacts: {} }, child_nodes: [] },
      ],
    });
    const ltp = body.child_nodes[1]!;
    expect(ltp.child_nodes[0]!.node.artifacts).toEqual({ log: 'http://127.0.0.1:8002/mmap01.txt' });
    expect(ltp.child_nodes[1]!.node.data).toEqual({ misc: { n: 1 } });
    expect(body.child_nodes[2]!.node).toMatchObject({ kind: 'job', data: { platform: 'qemu' } });
    expect(resultTree().toHierarchy()).toEqual({ node: {}, child_nodes: [] });
  });

  it('keeps root fields and copies every input', () => {
    const data = { kernel_type: 'bzimage', nested: { a: 1 } };
    const root = { result: 'pass' as const, data, artifacts: { log: 'http://h/log' } };
    const t = resultTree(root).case('c', 'pass', { data });
    data.nested.a = 2;
    expect(t.root).toEqual({ result: 'pass', data: { kernel_type: 'bzimage', nested: { a: 1 } }, artifacts: { log: 'http://h/log' } });
    expect(t.children[0]!.data).toEqual({ kernel_type: 'bzimage', nested: { a: 1 } });
    const body = t.toHierarchy();
    (body.child_nodes[0]!.node.data as { nested: { a: number } }).nested.a = 9;
    expect(t.children[0]!.data).toEqual({ kernel_type: 'bzimage', nested: { a: 1 } });
  });

  it('accepts frozen inputs', () => {
    const data = Object.freeze({ x: Object.freeze({ y: 1 }) });
    expect(() => resultTree(Object.freeze({ data })).case('c', 'pass', Object.freeze({ data })).toHierarchy(Object.freeze({ id: 'r' }))).not.toThrow();
  });

  const invalid: [string, () => unknown, RegExp][] = [
    ['an empty case name', () => resultTree().case('', 'pass'), /non-empty/],
    ['a blank suite name', () => resultTree().suite('  ', () => undefined), /non-empty/],
    ['duplicate sibling cases', () => resultTree().case('a', 'pass').case('a', 'fail'), /duplicate name 'a' under the root/],
    ['a case named like a sibling suite', () => resultTree().suite('a', () => undefined).case('a', 'pass'), /duplicate/],
    ['duplicates inside a suite', () => resultTree().suite('s', (s) => s.case('x', 'pass').case('x', 'pass')), /duplicate name 'x' under s/],
    ['a case without a result', () => resultTree().case('a', undefined as never), /needs a result/],
    ['a case with a null result', () => resultTree().case('a', null as never), /needs a result/],
    ['a case with an unknown result', () => resultTree().case('a', 'ok' as never), /needs a result/],
    ['an unknown kind', () => resultTree().case('a', 'pass', { kind: 'node' as never }), /unknown node kind/],
    ['an unknown suite result', () => resultTree().suite('s', () => undefined, { result: 'ok' as never }), /unknown result/],
    ['a non-string artifact', () => resultTree().case('a', 'pass', { artifacts: { log: 5 as never } }), /URL string/],
  ];
  it.each(invalid)('refuses %s with ValidationError', (_name, fn, message) => {
    let error: unknown;
    try {
      fn();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(isValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('allows the same name in different suites', () => {
    expect(() => resultTree().suite('a', (s) => s.case('x', 'pass')).suite('b', (s) => s.case('x', 'pass'))).not.toThrow();
  });
});
