/** Terminal output: colours, tables and trees. */
import { styleText } from 'node:util';
import type { Node, NodeTree, ResultTreeNode } from '@maestro-ci/sdk';
import { addResult, emptyCounts, formatCounts, type ResultCounts } from './parsers/types';

export interface Style {
  color: boolean;
}

type Colour = 'green' | 'red' | 'yellow' | 'gray' | 'magenta' | 'bold' | 'dim';

export function paint(style: Style, colour: Colour, text: string): string {
  return style.color ? styleText(colour, text) : text;
}

export function paintResult(style: Style, result: string | null | undefined): string {
  const text = result ?? '-';
  switch (result) {
    case 'pass':
      return paint(style, 'green', text);
    case 'fail':
      return paint(style, 'red', text);
    case 'skip':
      return paint(style, 'yellow', text);
    case 'incomplete':
      return paint(style, 'magenta', text);
    default:
      return paint(style, 'gray', text);
  }
}

/** Columns padded to their widest cell; `paint` is applied after padding so colours never break alignment. */
export function table(headers: string[], rows: string[][], style: Style, paintCell?: (col: number, text: string) => string): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[], header: boolean): string =>
    cells
      .map((c, i) => {
        const padded = i === cells.length - 1 ? c : c.padEnd(widths[i]!);
        return header ? paint(style, 'bold', padded) : paintCell ? paintCell(i, padded) : padded;
      })
      .join('  ')
      .trimEnd();
  return [line(headers, true), ...rows.map((r) => line(r, false))].join('\n');
}

export function nodeRows(nodes: readonly Node[]): string[][] {
  return nodes.map((n) => [n.id, n.kind ?? '', n.state ?? '', n.result ?? '-', (n.created ?? '').slice(0, 19), (n.path ?? [n.name]).join('/')]);
}
export const NODE_HEADERS = ['ID', 'KIND', 'STATE', 'RESULT', 'CREATED', 'PATH'];

/** A generic tree for rendering: stored nodes and parsed results both map to it. */
export interface RenderNode {
  name: string;
  result: string | null | undefined;
  detail?: string;
  children: RenderNode[];
}

export function fromNodeTree(t: NodeTree): RenderNode {
  return { name: t.node.name, result: t.node.result, detail: t.node.kind === 'test' ? undefined : t.node.kind, children: t.children.map(fromNodeTree) };
}

export function fromResultTree(nodes: readonly ResultTreeNode[]): RenderNode[] {
  return nodes.map((n) => {
    const message = typeof n.data.error_msg === 'string' ? n.data.error_msg : undefined;
    return { name: n.name, result: n.result, children: fromResultTree(n.children), detail: n.children.length === 0 && (n.result === 'skip' || n.result === 'fail') ? message?.split('\n')[0] : undefined };
  });
}

export function countTree(node: RenderNode, into: ResultCounts = emptyCounts()): ResultCounts {
  if (node.children.length === 0) addResult(into, node.result ?? null);
  for (const c of node.children) countTree(c, into);
  return into;
}

const hasFailure = (n: RenderNode): boolean => n.result === 'fail' || n.children.some(hasFailure);

export interface TreeOptions {
  depth?: number;
  failedOnly?: boolean;
}

/** Draws `roots` with box characters; suites show their leaf counts. */
export function renderTree(roots: readonly RenderNode[], style: Style, options: TreeOptions = {}): string[] {
  const out: string[] = [];
  const walk = (nodes: readonly RenderNode[], prefix: string, depth: number): void => {
    const shown = options.failedOnly ? nodes.filter(hasFailure) : nodes;
    shown.forEach((n, i) => {
      const last = i === shown.length - 1;
      const branch = last ? '└─ ' : '├─ ';
      let text = `${prefix}${branch}${n.name} ${paintResult(style, n.result)}`;
      if (n.children.length > 0) text += paint(style, 'dim', `  (${formatCounts(countTree(n))})`);
      if (n.detail) text += paint(style, 'dim', `  ${n.detail.length > 100 ? `${n.detail.slice(0, 99)}…` : n.detail}`);
      out.push(text);
      if (options.depth === undefined || depth < options.depth) walk(n.children, prefix + (last ? '   ' : '│  '), depth + 1);
    });
  };
  walk(roots, '', 1);
  return out;
}
