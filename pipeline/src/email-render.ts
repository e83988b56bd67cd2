/**
 * The email report of one checkout: a subject, a text part and an HTML part with the summary,
 * builds, failures, new and fixed regressions, and links to the artifacts. Deterministic, like the
 * markdown report: identical inputs give identical parts.
 */
import type { MaestroNode, NodeTree } from './maestro';
import { flatten, leaves, nearestLog, pathKey } from './report-render';

export interface EmailInput {
  tree: NodeTree;
  /** Regressions introduced by a node of this checkout (`fail_node` in the tree). */
  newRegressions: MaestroNode[];
  /** Regressions this checkout fixed (the passing run that closed them is in the tree). */
  fixedRegressions: MaestroNode[];
  /** Regressions still open and failing again in this checkout. */
  stillFailing: MaestroNode[];
  /** False when the regression tracker had not finished the checkout in time. */
  regressionsKnown: boolean;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

interface Line {
  text: string;
  url?: string;
}

interface Section {
  title: string;
  lines: Line[];
  empty: string;
}

const configOf = (n: MaestroNode): string =>
  ['arch', 'defconfig', 'compiler', 'platform']
    .map((k) => n.data?.[k])
    .filter((v) => typeof v === 'string')
    .join('/');

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function renderEmail(input: EmailInput): RenderedEmail {
  const root = input.tree.node;
  const kr = (root.data?.kernel_revision ?? {}) as Record<string, unknown>;
  const commit = String(kr.commit ?? '');
  const title = `${kr.tree ?? '?'}/${kr.branch ?? '?'} ${kr.describe ?? commit.slice(0, 12)}`;
  const all = flatten(input.tree).map((e) => e.node);
  const count = (nodes: MaestroNode[], r: string) => nodes.filter((n) => n.result === r).length;
  const builds = all.filter((n) => n.kind === 'kbuild');
  // A run that was retried (a sibling of the same name with a higher retry_counter) is not a failure of its own.
  const retried = new Set(
    all.filter((n) => all.some((o) => o.parent === n.parent && o.name === n.name && (o.retry_counter ?? 0) > (n.retry_counter ?? 0))).map((n) => n.id),
  );
  const failures = leaves(input.tree).filter((n) => (n.result === 'fail' || n.result === 'incomplete') && !retried.has(n.id));
  const tests = leaves(input.tree).filter((n) => n.kind !== 'kbuild' && !retried.has(n.id));

  const summary: Line[] = [
    { text: `Commit: ${commit} (${kr.describe ?? '?'})` },
    { text: `Checkout: ${root.id}, ${root.state}/${root.result ?? 'none'}` },
    { text: `Builds: ${builds.length} (${count(builds, 'pass')} pass, ${count(builds, 'fail')} fail, ${count(builds, 'incomplete')} incomplete)` },
    ...(retried.size ? [{ text: `Retried after an infrastructure error: ${retried.size}` }] : []),
    { text: `Tests: ${tests.length} (${count(tests, 'pass')} pass, ${count(tests, 'fail')} fail, ${count(tests, 'skip')} skip, ${count(tests, 'incomplete')} incomplete)` },
  ];
  if (root.artifacts?.report) summary.push({ text: 'Full report', url: root.artifacts.report });
  if (root.artifacts?.tarball) summary.push({ text: 'Source tarball', url: root.artifacts.tarball });

  const regressionLine = (r: MaestroNode): Line => ({ text: `${pathKey(r)} [${configOf(r)}] regression ${r.id}` });
  const sections: Section[] = [
    { title: 'Summary', lines: summary, empty: '' },
    {
      title: 'Builds',
      lines: builds.map((b) => ({ text: `${b.name} [${configOf(b)}]: ${b.result ?? b.state}`, url: b.artifacts?.build_log })),
      empty: 'No builds.',
    },
    {
      title: 'Failures',
      lines: failures.map((n) => ({ text: `${pathKey(n)}: ${n.result}${n.data?.error_code ? ` (${n.data.error_code})` : ''}`, url: nearestLog(input.tree, n) })),
      empty: 'None.',
    },
    { title: 'New regressions', lines: input.newRegressions.map(regressionLine), empty: input.regressionsKnown ? 'None.' : 'Unknown: the regression tracker had not finished.' },
    { title: 'Fixed regressions', lines: input.fixedRegressions.map(regressionLine), empty: input.regressionsKnown ? 'None.' : 'Unknown.' },
    { title: 'Still failing', lines: input.stillFailing.map(regressionLine), empty: input.regressionsKnown ? 'None.' : 'Unknown.' },
  ];

  const parts = [`${failures.length} failure(s)`];
  if (input.newRegressions.length) parts.push(`${input.newRegressions.length} new regression(s)`);
  if (input.fixedRegressions.length) parts.push(`${input.fixedRegressions.length} fixed`);
  const subject = `[maestro] ${title}: ${parts.join(', ')}`;

  const text = [
    title,
    '',
    ...sections.flatMap((s) => [s.title, '-'.repeat(s.title.length), ...(s.lines.length ? s.lines.map((l) => `- ${l.text}${l.url ? `: ${l.url}` : ''}`) : [s.empty]), '']),
  ].join('\n');
  const html = [
    '<!DOCTYPE html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    ...sections.flatMap((s) => [
      `<h2>${escapeHtml(s.title)}</h2>`,
      s.lines.length
        ? `<ul>${s.lines.map((l) => `<li>${escapeHtml(l.text)}${l.url ? ` <a href="${escapeHtml(l.url)}">${l.text.startsWith('Full report') || l.text.startsWith('Source') ? 'open' : 'log'}</a>` : ''}</li>`).join('')}</ul>`
        : `<p>${escapeHtml(s.empty)}</p>`,
    ]),
    '</body></html>',
    '',
  ].join('\n');
  return { subject, text, html };
}
