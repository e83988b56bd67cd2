import type { Node, NodeTree } from '@maestro-ci/sdk';
import { compareTrees, leavesByPath } from './compare';
import { fromNodeTree, renderTree } from './render';

let next = 0;
function t(path: string[], result: Node['result'], children: NodeTree[] = [], data: Record<string, unknown> = {}): NodeTree {
  next += 1;
  return { node: { id: `id${next}`, kind: path.length === 1 ? 'checkout' : 'test', name: path[path.length - 1]!, path, result, state: 'done', data } as Node, children };
}

function checkout(name: string, results: Record<string, Node['result']>): NodeTree {
  const job = t([name, 'job'], null, Object.entries(results).map(([test, result]) => t([name, 'job', test], result)));
  return t([name], null, [job]);
}

describe('compare', () => {
  it('lines tests up by path without the checkout name', () => {
    expect([...leavesByPath(checkout('a', { x: 'pass' })).keys()]).toEqual(['job/x']);
  });

  it('finds new failures (also new tests), fixes and still-failing tests', () => {
    const a = checkout('checkout-1', { boot: 'pass', dmesg: 'fail', ltp: 'fail', net: 'skip' });
    const b = checkout('checkout-2', { boot: 'fail', dmesg: 'pass', ltp: 'fail', net: 'fail', fresh: 'fail' });
    const c = compareTrees(a, b);
    expect(c.newFailures.map((x) => [x.path, x.before])).toEqual([['job/boot', 'pass'], ['job/fresh', null], ['job/net', 'skip']]);
    expect(c.fixed.map((x) => x.path)).toEqual(['job/dmesg']);
    expect(c.stillFailing.map((x) => x.path)).toEqual(['job/ltp']);
    expect(c.counts).toEqual({ a: 4, b: 5 });
  });
});

describe('tree rendering', () => {
  it('shows counts per subtree, the file order, --depth and --failed-only', () => {
    const suite = (name: string, line: number, kids: NodeTree[]): NodeTree => t(['c', name], 'pass', kids, { misc: { source_line: line } });
    const leaf = (name: string, result: Node['result'], line: number, msg?: string): NodeTree => t(['c', 'x', name], result, [], { misc: { source_line: line }, ...(msg ? { error_msg: msg } : {}) });
    const root = t(['c'], 'fail', [suite('zeta', 1, [leaf('z1', 'pass', 2)]), suite('alpha', 5, [leaf('a1', 'fail', 6, 'boom\nmore'), leaf('a2', 'skip', 7)])]);
    const style = { color: false };
    expect(renderTree(fromNodeTree(root).children, style)).toEqual([
      '├─ zeta pass  (1 pass, 0 fail, 0 skip)',
      '│  └─ z1 pass',
      '└─ alpha pass  (0 pass, 1 fail, 1 skip)',
      '   ├─ a1 fail  boom',
      '   └─ a2 skip',
    ]);
    expect(renderTree(fromNodeTree(root).children, style, { depth: 1 })).toEqual(['├─ zeta pass  (1 pass, 0 fail, 0 skip)', '└─ alpha pass  (0 pass, 1 fail, 1 skip)']);
    expect(renderTree(fromNodeTree(root).children, style, { failedOnly: true })).toEqual(['└─ alpha pass  (0 pass, 1 fail, 1 skip)', '   └─ a1 fail  boom']);
    expect(renderTree(fromNodeTree(root).children, { color: true })[3]).toContain('\u001b[31mfail\u001b[39m');
  });
});
