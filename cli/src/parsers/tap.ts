/**
 * TAP 13/14 (with indented subtests) to the neutral result model, through tap-parser in strict mode.
 * tap-parser does not report line numbers, so an error's line is found by the data it names.
 */
import type { NodeResult } from '@maestro-ci/sdk';
import { Parser, type Result } from 'tap-parser';
import { ResultParseError, type ParsedResults, type ParsedTest } from './types';

const MAX_MESSAGE = 2000;

function resultOf(r: Result): NodeResult {
  if (r.skip !== false) return 'skip';
  if (r.todo !== false) return r.ok ? 'pass' : 'skip';
  return r.ok ? 'pass' : 'fail';
}

function messageOf(r: Result, result: NodeResult): string | undefined {
  if (result === 'skip') {
    const reason = typeof r.skip === 'string' ? r.skip : typeof r.todo === 'string' ? r.todo : '';
    return reason || undefined;
  }
  if (result !== 'fail') return undefined;
  const diag = r.diag as Record<string, unknown> | null;
  const parts = [diag?.message, diag?.source, diag?.stack].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  const text = parts.join('\n').trim();
  if (!text) return undefined;
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/** The 1-based line of the first line whose text is `data`, searching from `from`. */
function lineOf(lines: string[], data: string, from = 0): number {
  const want = data.trim();
  const at = lines.findIndex((l, i) => i >= from && l.trim() === want);
  return at >= 0 ? at + 1 : 0;
}

/** Parses a TAP 13/14 document. */
export function parseTap(text: string): ParsedResults {
  const lines = text.split(/\r?\n/);
  const warnings: string[] = [];
  let cursor = 0;

  function attach(parser: Parser): ParsedTest[] {
    const tests: ParsedTest[] = [];
    let pending: ParsedTest[] | undefined;
    parser.on('child', (child: Parser) => {
      pending = attach(child);
    });
    parser.on('assert', (r: Result) => {
      const result = resultOf(r);
      const raw = `${r.ok ? 'ok' : 'not ok'} ${r.id}`;
      let at = -1;
      for (let i = cursor; i < lines.length; i++) {
        const l = lines[i]!.trimStart();
        if (l.startsWith(raw) && !/\d/.test(l.charAt(raw.length))) {
          at = i;
          cursor = i + 1;
          break;
        }
      }
      const misc: Record<string, unknown> = { tap_number: r.id };
      if (r.todo !== false) misc.directive = 'TODO';
      else if (r.skip !== false) misc.directive = 'SKIP';
      const test: ParsedTest = { name: r.name, result, line: at + 1, misc, children: pending ?? [] };
      const message = messageOf(r, result);
      if (message) test.message = message;
      tests.push(test);
      pending = undefined;
    });
    return tests;
  }

  const parser = new Parser({ strict: true });
  const tests = attach(parser);
  let bailout: string | undefined;
  parser.on('bailout', (reason: string) => {
    bailout = reason;
  });
  let failures: Result[] = [];
  let plan: { start: number; end: number } | undefined;
  parser.on('complete', (r) => {
    failures = r.failures;
    plan = r.plan;
  });
  parser.end(text);

  if (!/^\s*TAP version 1[34]\s*$/m.test(lines.find((l) => l.trim() !== '') ?? '')) {
    throw new ResultParseError(1, "the first line must be 'TAP version 14' (or 13)");
  }
  for (const f of failures) {
    if (!f.tapError) continue;
    const data = typeof (f as { data?: unknown }).data === 'string' ? ((f as { data?: string }).data ?? '') : '';
    if (f.tapError.startsWith('Non-TAP data')) throw new ResultParseError(lineOf(lines, data) || 1, `not TAP: '${data.trim()}'`);
    if (f.tapError === 'no plan') throw new ResultParseError(lines.length, 'no plan line (1..N)');
    if (f.tapError === 'incorrect number of tests') {
      const planLine = lines.findIndex((l) => /^1\.\.\d+/.test(l.trim())) + 1;
      throw new ResultParseError(planLine || lines.length, `the plan 1..${plan?.end ?? '?'} does not match the ${tests.length} test points`);
    }
    throw new ResultParseError(1, f.tapError);
  }
  if (bailout !== undefined) warnings.push(`Bail out!${bailout ? ` ${bailout}` : ''}; the tests after it were not run`);
  if (tests.length === 0) throw new ResultParseError(1, 'no test points');
  return { format: 'tap', tests, warnings };
}
