import type { MaestroNode, NodeTree } from './maestro';
import { renderReport } from './report-render';

let seq = 0;
function node(path: string[], fields: Partial<MaestroNode> = {}): MaestroNode {
  seq += 1;
  return {
    id: String(seq).padStart(24, '0'),
    kind: 'test',
    name: path[path.length - 1]!,
    path,
    group: null,
    parent: null,
    state: 'done',
    result: 'pass',
    data: {},
    artifacts: {},
    treeid: 't',
    owner: 'pipeline',
    jobfilter: null,
    retry_counter: 0,
    created: '2026-01-01T00:00:00',
    updated: '2026-01-01T00:00:00',
    timeout: '2026-01-01T06:00:00',
    holdoff: null,
    ...fields,
  };
}

function checkoutTree(divResult: 'pass' | 'fail', describe: string, commit: string): NodeTree {
  const leaf = (name: string, result: MaestroNode['result']) => ({ node: node(['checkout', 'kbuild-toy', 'unit', 'math', name], { result }), children: [] });
  return {
    node: node(['checkout'], { kind: 'checkout', data: { kernel_revision: { tree: 'toy', branch: 'main', describe, commit } } }),
    children: [
      {
        node: node(['checkout', 'kbuild-toy'], { kind: 'kbuild', data: { arch: 'x86_64' }, artifacts: { build_log: 'http://127.0.0.1:1/b.txt' } }),
        children: [
          {
            node: node(['checkout', 'kbuild-toy', 'unit'], { kind: 'job', result: divResult, artifacts: { log: 'http://127.0.0.1:1/u.txt' } }),
            children: [
              { node: node(['checkout', 'kbuild-toy', 'unit', 'math'], { kind: 'job', result: divResult }), children: [leaf('div', divResult), leaf('add', 'pass'), leaf('skipme', 'skip')] },
            ],
          },
        ],
      },
    ],
  };
}

describe('renderReport', () => {
  const a = checkoutTree('pass', 'v0.1', 'a'.repeat(40));
  const b = checkoutTree('fail', 'v0.1-1-gbbbbbbb', 'b'.repeat(40));

  it('renders title, builds, jobs with counts, and no failures for a passing checkout', () => {
    const text = renderReport({ tree: a });
    expect(text).toBe(
      [
        '# toy/main v0.1 (aaaaaaaaaaaa)',
        '',
        '- State: done',
        '- Result: pass',
        '',
        '## Builds',
        '',
        '| Name | Arch | Result | Log |',
        '| --- | --- | --- | --- |',
        '| kbuild-toy | x86_64 | pass | [log](http://127.0.0.1:1/b.txt) |',
        '',
        '## Jobs',
        '',
        '| Name | Result | Pass | Fail | Skip | Log |',
        '| --- | --- | --- | --- | --- | --- |',
        '| checkout/kbuild-toy/unit | pass | 2 | 0 | 1 | [log](http://127.0.0.1:1/u.txt) |',
        '',
        '## Failures',
        '',
        'None.',
        '',
        '## New failures',
        '',
        'No previous checkout to compare with.',
        '',
      ].join('\n'),
    );
  });

  it('lists failing leaves with their path and nearest log, and new failures against the previous checkout', () => {
    const text = renderReport({ tree: b, previous: a });
    expect(text).toContain('## Failures\n\n- `checkout/kbuild-toy/unit/math/div`: fail [log](http://127.0.0.1:1/u.txt)\n');
    expect(text).toContain('## New failures\n\nCompared with v0.1 (aaaaaaaaaaaa).\n\n- `checkout/kbuild-toy/unit/math/div` [log](http://127.0.0.1:1/u.txt)\n');
  });

  it('does not call a failure new when it failed before too', () => {
    expect(renderReport({ tree: b, previous: b })).toContain('## New failures\n\nCompared with v0.1-1-gbbbbbbb (bbbbbbbbbbbb).\n\nNone.');
  });

  it('is deterministic whatever the order of children, and notes nodes not done', () => {
    const shuffled: NodeTree = structuredClone(b);
    shuffled.children[0]!.children[0]!.children[0]!.children.reverse();
    expect(renderReport({ tree: shuffled, previous: a })).toBe(renderReport({ tree: b, previous: a }));
    const pending: NodeTree = structuredClone(a);
    pending.children[0]!.node.state = 'available';
    expect(renderReport({ tree: pending })).toContain('## Not done\n\n- `checkout/kbuild-toy`: available\n');
  });

  it('shows the checkout error code', () => {
    const failed: NodeTree = { node: node(['checkout'], { kind: 'checkout', result: 'fail', data: { error_code: 'git_checkout_failure', error_msg: 'no | commit', kernel_revision: { tree: 't', branch: 'b', commit: 'c' } } }), children: [] };
    expect(renderReport({ tree: failed })).toContain('- Error: git_checkout_failure (no \\| commit)');
  });
});
