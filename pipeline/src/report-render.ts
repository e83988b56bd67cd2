/**
 * The markdown report of one checkout (docs/pipeline.md#services). Deterministic: identical trees give byte-identical
 * text (no generation time, nodes sorted by path), so a report rewritten after a crash is the same
 * file, and a test can compare the file with what the artifact URL serves.
 */
import type { MaestroNode, NodeTree } from './maestro';

export interface ReportInput {
  tree: NodeTree;
  /** The previous checkout of the same tree and branch, with its tree, if any. */
  previous?: NodeTree | null;
}

export const pathKey = (n: MaestroNode): string => (n.path ?? [n.name]).join('/');

export function flatten(tree: NodeTree): { node: MaestroNode; children: MaestroNode[]; parentKind: string | null }[] {
  const out: { node: MaestroNode; children: MaestroNode[]; parentKind: string | null }[] = [];
  const walk = (t: NodeTree, parentKind: string | null) => {
    out.push({ node: t.node, children: t.children.map((c) => c.node), parentKind });
    for (const c of t.children) walk(c, t.node.kind);
  };
  walk(tree, null);
  return out.sort((a, b) => (pathKey(a.node) < pathKey(b.node) ? -1 : pathKey(a.node) > pathKey(b.node) ? 1 : a.node.id < b.node.id ? -1 : 1));
}

/** Leaves: nodes without children, the root excluded. */
export function leaves(tree: NodeTree): MaestroNode[] {
  return flatten(tree)
    .filter((e) => e.children.length === 0 && e.parentKind !== null)
    .map((e) => e.node);
}

function cell(v: unknown): string {
  if (v === null || v === undefined || v === '') return '-';
  return String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function link(url: string | undefined): string {
  return url ? `[log](${url})` : '-';
}

function logOf(n: MaestroNode): string | undefined {
  return n.artifacts?.log ?? n.artifacts?.build_log;
}

export function renderReport({ tree, previous }: ReportInput): string {
  const root = tree.node;
  const kr = (root.data?.kernel_revision ?? {}) as Record<string, unknown>;
  const commit = String(kr.commit ?? '');
  const lines: string[] = [];
  lines.push(`# ${kr.tree ?? '?'}/${kr.branch ?? '?'} ${kr.describe ?? commit.slice(0, 12)} (${commit.slice(0, 12)})`, '');
  lines.push(`- State: ${root.state}`, `- Result: ${root.result ?? 'none'}`);
  if (root.data?.error_code) lines.push(`- Error: ${root.data.error_code}${root.data.error_msg ? ` (${cell(root.data.error_msg)})` : ''}`);
  lines.push('');

  const all = flatten(tree);
  const builds = all.filter((e) => e.node.kind === 'kbuild').map((e) => e.node);
  lines.push('## Builds', '');
  if (builds.length === 0) lines.push('No builds.');
  else {
    lines.push('| Name | Arch | Result | Log |', '| --- | --- | --- | --- |');
    for (const b of builds) lines.push(`| ${cell(b.name)} | ${cell(b.data?.arch)} | ${cell(b.result)} | ${link(logOf(b))} |`);
  }
  lines.push('');

  // A job is a `job` node that is not a suite of another job's results.
  const jobs = all.filter((e) => e.node.kind === 'job' && e.parentKind !== 'job' && e.parentKind !== null);
  lines.push('## Jobs', '');
  if (jobs.length === 0) lines.push('No jobs.');
  else {
    lines.push('| Name | Result | Pass | Fail | Skip | Log |', '| --- | --- | --- | --- | --- | --- |');
    for (const j of jobs) {
      const sub = subtree(tree, j.node.id);
      const counts = { pass: 0, fail: 0, skip: 0 };
      if (sub) for (const l of leaves(sub)) if (l.result === 'pass' || l.result === 'fail' || l.result === 'skip') counts[l.result] += 1;
      lines.push(`| ${cell(pathKey(j.node))} | ${cell(j.node.result)} | ${counts.pass} | ${counts.fail} | ${counts.skip} | ${link(logOf(j.node))} |`);
    }
  }
  lines.push('');

  const bad = leaves(tree).filter((l) => l.result === 'fail' || l.result === 'incomplete');
  lines.push('## Failures', '');
  if (bad.length === 0) lines.push('None.');
  for (const l of bad) lines.push(`- \`${pathKey(l)}\`: ${l.result}${l.data?.error_code ? ` (${l.data.error_code})` : ''} ${link(nearestLog(tree, l))}`);
  lines.push('');

  lines.push('## New failures', '');
  if (!previous) lines.push('No previous checkout to compare with.');
  else {
    const pkr = (previous.node.data?.kernel_revision ?? {}) as Record<string, unknown>;
    const passedBefore = new Set(leaves(previous).filter((l) => l.result === 'pass').map(pathKey));
    const fresh = bad.filter((l) => l.result === 'fail' && passedBefore.has(pathKey(l)));
    lines.push(`Compared with ${pkr.describe ?? '?'} (${String(pkr.commit ?? '').slice(0, 12)}).`, '');
    if (fresh.length === 0) lines.push('None.');
    for (const l of fresh) lines.push(`- \`${pathKey(l)}\` ${link(nearestLog(tree, l))}`);
  }
  lines.push('');

  const pending = all.filter((e) => e.node.state !== 'done').map((e) => e.node);
  if (pending.length > 0) {
    lines.push('## Not done', '');
    for (const n of pending) lines.push(`- \`${pathKey(n)}\`: ${n.state}`);
    lines.push('');
  }
  return lines.join('\n');
}

function subtree(tree: NodeTree, id: string): NodeTree | null {
  if (tree.node.id === id) return tree;
  for (const c of tree.children) {
    const found = subtree(c, id);
    if (found) return found;
  }
  return null;
}

/** A leaf's own log, else the log of its nearest ancestor that has one (the job's). */
export function nearestLog(tree: NodeTree, leaf: MaestroNode): string | undefined {
  const chain: MaestroNode[] = [];
  const walk = (t: NodeTree): boolean => {
    chain.push(t.node);
    if (t.node.id === leaf.id) return true;
    for (const c of t.children) if (walk(c)) return true;
    chain.pop();
    return false;
  };
  walk(tree);
  for (const n of chain.reverse()) if (logOf(n)) return logOf(n);
  return undefined;
}
