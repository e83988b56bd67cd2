/**
 * A node's tree of descendants (checkout → builds → jobs → tests). The whole tree is read once by
 * `treeid` (pages of 2,000 nodes through the SDK), indexed by parent, and counted per subtree in one
 * pass; only expanded branches are rendered, and a branch shows its first 200 children with a
 * "show more" button, so trees of 10,000+ nodes open and expand without freezing the page.
 * Keyboard: arrows move between rows, → expands, ← collapses or goes to the parent.
 */
import type { Node } from '@maestro-ci/sdk';
import { useQuery } from '@tanstack/react-query';
import { memo, useCallback, useMemo, useState, type KeyboardEvent } from 'react';
import { client } from '../api';
import { ErrorBox, NodeLink, ResultBadge } from './bits';

const PAGE = 200;

export interface Counts {
  total: number;
  pass: number;
  fail: number;
  incomplete: number;
  skip: number;
  running: number;
}

interface Index {
  children: Map<string, Node[]>;
  counts: Map<string, Counts>;
  size: number;
}

const ZERO: Counts = { total: 0, pass: 0, fail: 0, incomplete: 0, skip: 0, running: 0 };

function buildIndex(root: Node, members: Node[]): Index {
  const children = new Map<string, Node[]>();
  for (const n of members) {
    if (!n.parent || n.id === root.id) continue;
    const list = children.get(n.parent);
    if (list) list.push(n);
    else children.set(n.parent, [n]);
  }
  for (const list of children.values()) list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Counts per subtree (the node itself excluded), iteratively so deep trees cannot overflow the stack.
  const counts = new Map<string, Counts>();
  const order: Node[] = [];
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    order.push(n);
    for (const c of children.get(n.id) ?? []) stack.push(c);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i];
    const c: Counts = { ...ZERO };
    for (const child of children.get(n.id) ?? []) {
      const sub = counts.get(child.id)!;
      c.total += 1 + sub.total;
      c.pass += sub.pass + (child.result === 'pass' ? 1 : 0);
      c.fail += sub.fail + (child.result === 'fail' ? 1 : 0);
      c.incomplete += sub.incomplete + (child.result === 'incomplete' ? 1 : 0);
      c.skip += sub.skip + (child.result === 'skip' ? 1 : 0);
      c.running += sub.running + (child.state !== 'done' ? 1 : 0);
    }
    counts.set(n.id, c);
  }
  return { children, counts, size: order.length };
}

/**
 * Every node below `root` (and, with a `treeid`, the rest of its tree): by `treeid` in pages of
 * 2,000, else level by level, 100 parents a request.
 */
export async function readTree(root: Node): Promise<Node[]> {
  if (root.treeid) return client.nodes.find({ treeid: root.treeid }, { pageSize: 2000 }).toArray({ max: 200_000 });
  const out: Node[] = [];
  let level = [root.id];
  while (level.length > 0 && out.length < 200_000) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 100) {
      const found = await client.nodes.find({ parent: { in: level.slice(i, i + 100) } }, { pageSize: 2000 }).toArray({ max: 200_000 });
      for (const n of found) {
        out.push(n);
        next.push(n.id);
      }
    }
    level = next;
  }
  return out;
}

export function CountsLine({ c }: { c: Counts }) {
  if (c.total === 0) return null;
  return (
    <span className="counts" aria-label={`${c.total} below: ${c.pass} pass, ${c.fail} fail, ${c.incomplete} incomplete`}>
      <span className="muted">{c.total}</span>
      {c.pass > 0 && <span className="c-pass">✓{c.pass}</span>}
      {c.fail > 0 && <span className="c-fail">✗{c.fail}</span>}
      {c.incomplete > 0 && <span className="c-incomplete">!{c.incomplete}</span>}
      {c.skip > 0 && <span className="c-skip">–{c.skip}</span>}
      {c.running > 0 && <span className="c-running">…{c.running}</span>}
    </span>
  );
}

export function NodeTree({ root }: { root: Node }) {
  const tree = useQuery({ queryKey: ['tree', root.id, root.treeid ?? null], queryFn: () => readTree(root), staleTime: 5_000 });
  const index = useMemo(() => (tree.data ? buildIndex(root, tree.data) : null), [root, tree.data]);
  const [open, setOpen] = useState<Set<string>>(() => new Set([root.id]));
  const toggle = useCallback((id: string, value?: boolean) => {
    setOpen((prev) => {
      const next = new Set(prev);
      if (value ?? !next.has(id)) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);

  if (tree.isPending) return <p aria-busy="true">Loading tree…</p>;
  if (tree.isError) return <ErrorBox error={tree.error} />;
  const idx = index!;
  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const rows = [...e.currentTarget.querySelectorAll<HTMLElement>('[role="treeitem"] > .row')];
    const i = rows.indexOf(document.activeElement as HTMLElement);
    if (i < 0) return;
    const item = rows[i].parentElement!;
    const id = item.dataset.id!;
    if (e.key === 'ArrowDown') rows[i + 1]?.focus();
    else if (e.key === 'ArrowUp') rows[i - 1]?.focus();
    else if (e.key === 'ArrowRight') toggle(id, true);
    else if (e.key === 'ArrowLeft') {
      if (item.getAttribute('aria-expanded') === 'true') toggle(id, false);
      else item.parentElement?.closest<HTMLElement>('[role="treeitem"]')?.querySelector<HTMLElement>(':scope > .row')?.focus();
    } else return;
    e.preventDefault();
  };
  return (
    <div className="tree-wrap">
      <p className="muted" data-testid="tree-size">
        {idx.size} nodes in this tree
      </p>
      <ul role="tree" aria-label="Descendants" className="tree" onKeyDown={onKeyDown} data-testid="node-tree">
        <TreeItem node={root} index={idx} open={open} toggle={toggle} level={1} />
      </ul>
    </div>
  );
}

interface ItemProps {
  node: Node;
  index: Index;
  open: Set<string>;
  toggle: (id: string, value?: boolean) => void;
  level: number;
}

const TreeItem = memo(function TreeItem({ node, index, open, toggle, level }: ItemProps) {
  const kids = index.children.get(node.id) ?? [];
  const expanded = kids.length > 0 && open.has(node.id);
  const [shown, setShown] = useState(PAGE);
  return (
    <li role="treeitem" aria-expanded={kids.length ? expanded : undefined} aria-level={level} data-id={node.id} data-result={node.result ?? node.state}>
      <div className="row" tabIndex={level === 1 ? 0 : -1}>
        {kids.length ? (
          <button type="button" className="twisty" aria-label={expanded ? `Collapse ${node.name}` : `Expand ${node.name}`} onClick={() => toggle(node.id)} tabIndex={-1}>
            {expanded ? '▾' : '▸'}
          </button>
        ) : (
          <span className="twisty" aria-hidden="true" />
        )}
        <ResultBadge node={node} />
        <span className="kind">{node.kind}</span>
        <NodeLink id={node.id}>{node.name}</NodeLink>
        <CountsLine c={index.counts.get(node.id) ?? ZERO} />
      </div>
      {expanded && (
        <ul role="group">
          {kids.slice(0, shown).map((k) => (
            <TreeItem key={k.id} node={k} index={index} open={open} toggle={toggle} level={level + 1} />
          ))}
          {kids.length > shown && (
            <li role="none">
              <button type="button" className="more" onClick={() => setShown((s) => s + PAGE * 5)}>
                Show more ({kids.length - shown} left)
              </button>
            </li>
          )}
        </ul>
      )}
    </li>
  );
});
