/** The neutral result model to the SDK's result tree (every node of kind `test`, under the job node). */
import { resultTree, type ResultArtifacts, type ResultTree, type ResultTreeBuilder } from '@maestro-ci/sdk';
import { addResult, emptyCounts, type ParsedTest, type ResultCounts } from './types';

/** Names unique among siblings: an empty name becomes `test_<n>`, a repeated one gets ` (2)`, ` (3)`… */
export function uniqueNames(tests: readonly ParsedTest[]): string[] {
  const seen = new Map<string, number>();
  return tests.map((t, i) => {
    const base = t.name.trim() || `test_${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

function dataOf(t: ParsedTest): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (t.message) data.error_msg = t.message;
  if (Object.keys(t.misc).length > 0) data.misc = { ...t.misc, source_line: t.line };
  else data.misc = { source_line: t.line };
  return data;
}

function build(level: ResultTreeBuilder, tests: readonly ParsedTest[]): void {
  const names = uniqueNames(tests);
  tests.forEach((t, i) => {
    const name = names[i]!;
    if (t.children.length > 0) level.suite(name, (s) => build(s, t.children), { kind: 'test', data: dataOf(t), ...(t.result !== undefined ? { result: t.result } : {}) });
    else level.case(name, t.result ?? 'incomplete', { data: dataOf(t) });
  });
}

export function toResultTree(tests: readonly ParsedTest[], artifacts?: ResultArtifacts): ResultTree {
  const tree = resultTree(artifacts && Object.keys(artifacts).length > 0 ? { artifacts } : {});
  build(tree, tests);
  return tree;
}

/** Counts of the leaves (tests without subtests). */
export function countLeaves(tests: readonly ParsedTest[], into: ResultCounts = emptyCounts()): ResultCounts {
  for (const t of tests) {
    if (t.children.length > 0) countLeaves(t.children, into);
    else addResult(into, t.result ?? 'incomplete');
  }
  return into;
}
