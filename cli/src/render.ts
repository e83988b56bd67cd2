/** Terminal output: colours, tables and trees. */
import { inspect } from 'node:util';
import type { Node, NodeTree, ResultTreeNode } from '@maestro-ci/sdk';
import { addResult, emptyCounts, formatCounts, type ResultCounts } from './parsers/types';

export interface Style {
  color: boolean;
}

type Colour = 'green' | 'red' | 'yellow' | 'gray' | 'magenta' | 'bold' | 'dim';

export function paint(style: Style, colour: Colour, text: string): string {
  if (!style.color) return text;
  // util.inspect's table rather than styleText, which checks the process's own stdout on some Node versions.
  const [open, close] = inspect.colors[colour] ?? [0, 0];
  return `\u001b[${open}m${text}\u001b[${close}m`;
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

/** Where `maestro submit` found the test in its file, to show results in the file's order. */
function sourceLine(n: Node): number | undefined {
  const misc = (n.data as { misc?: { source_line?: unknown } } | undefined)?.misc;
  return typeof misc?.source_line === 'number' ? misc.source_line : undefined;
}

/** Children in the order of the submitted file when every child knows its line, else as the SDK sorts them (by path). */
export function fromNodeTree(t: NodeTree): RenderNode {
  const children = [...t.children];
  if (children.every((c) => sourceLine(c.node) !== undefined)) children.sort((a, b) => sourceLine(a.node)! - sourceLine(b.node)!);
  const message = (t.node.data as { error_msg?: unknown } | undefined)?.error_msg;
  const detail = t.node.kind !== 'test' ? t.node.kind : children.length === 0 && (t.node.result === 'fail' || t.node.result === 'skip') && typeof message === 'string' ? message.split('\n')[0] : undefined;
  return { name: t.node.name, result: t.node.result, ...(detail ? { detail } : {}), children: children.map(fromNodeTree) };
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
