/**
 * KTAP (the kernel's test output: KUnit and kselftest) to the neutral result model.
 *
 * Hand-written rather than tap-parser (docs/adr/0009-cli.md): tap-parser does not recognise
 * `KTAP version 1` lines (they come out as non-TAP data), reads names such as
 * `selftests: timers: nanosleep # exit=1` with the comment included, and cannot see kselftest's
 * nested results, which the kselftest runner prints as `# `-prefixed TAP inside the parent test.
 *
 * Handled: `KTAP version 1` and `TAP version 13/14` headers, plans (`1..N`, `1..0 # SKIP why`),
 * subtests nested by indentation (with or without a `# Subtest: name` line, with or without a plan,
 * as KUnit prints parameterised tests), `# SKIP`, `# TODO`, `# XFAIL`, `# TIMEOUT`, `# ERROR`
 * directives, diagnostic lines (kept as the failure message), `Bail out!`, kselftest's `# `-prefixed
 * nested TAP, and missing results (a crash): the test is stored as `incomplete` with a warning.
 * Output taken from a kernel log works too: `[    1.234567] ` timestamps are removed, and lines that
 * are not KTAP (other drivers' messages) count as diagnostics wherever they are indented.
 */
import type { NodeResult } from '@maestro-ci/sdk';
import { ResultParseError, type ParsedResults, type ParsedTest } from './types';

interface Line {
  /** 1-based line number in the file. */
  no: number;
  /** The line's content (for kselftest's nested output: with the `# ` prefix removed). */
  text: string;
}

interface Level {
  name: string | undefined;
  tests: ParsedTest[];
  end: number;
  bailed: boolean;
  missing: number;
}

const VERSION_RE = /^(KTAP|TAP) version (\d+)\s*$/;
const PLAN_RE = /^1\.\.(\d+)\s*(?:#\s*(.*))?$/;
const RESULT_RE = /^(ok|not ok)\s+(\d+)(?=\s|$)\s*(.*)$/;
const SUBTEST_RE = /^#\s*Subtest:\s*(.*?)\s*$/;
const BAIL_RE = /^Bail out!\s*(.*)$/;
const DIRECTIVE_RE = /^(SKIP|TODO|XFAIL|TIMEOUT|ERROR)\b\s*(.*)$/i;
const SUPPORTED = new Set(['KTAP 1', 'TAP 13', 'TAP 14']);
const MAX_MESSAGE = 2000;

function indentOf(text: string): number {
  let n = 0;
  for (const ch of text) {
    if (ch === ' ') n += 1;
    else if (ch === '\t') n += 8 - (n % 8);
    else break;
  }
  return n;
}

const isStructural = (t: string): boolean => VERSION_RE.test(t) || SUBTEST_RE.test(t) || RESULT_RE.test(t) || PLAN_RE.test(t);

/** Splits a result line's text after the number into name and directive. */
export function splitDescription(rest: string): { name: string; comment: string } {
  const hash = /(?:^|\s)#(?=\s|$)/.exec(rest);
  let name = (hash ? rest.slice(0, hash.index) : rest).trim();
  if (name === '-') name = '';
  name = name.replace(/^-\s+/, '');
  const comment = hash ? rest.slice(hash.index).replace(/^\s*#\s*/, '').trim() : '';
  return { name, comment };
}

function resultOf(ok: boolean, directive: string | undefined): NodeResult {
  switch (directive) {
    case 'SKIP':
      return 'skip';
    case 'TODO':
      // A known, expected failure: not a regression, and not a pass either.
      return ok ? 'pass' : 'skip';
    default:
      // XFAIL, TIMEOUT, ERROR and no directive: the ok / not ok decides.
      return ok ? 'pass' : 'fail';
  }
}

class KtapParser {
  readonly warnings: string[] = [];
  constructor(private readonly lines: Line[]) {}

  /** Parses the lines from `start` that are indented by `indent`, until a line indented less. */
  level(start: number, indent: number): Level {
    const lines = this.lines;
    const tests: ParsedTest[] = [];
    let name: string | undefined;
    let plan: { count: number; line: number } | undefined;
    let version = false;
    let pending: Level | undefined;
    let pendingSubtestName: string | undefined;
    let diag: Line[] = [];
    let i = start;
    const flushPending = (): void => {
      if (!pending) return;
      const n = tests.length + 1;
      this.warnings.push(`line ${lines[pending.end - 1]?.no ?? '?'}: subtest ${pending.name ?? n} has no result line (the run was cut short); stored as incomplete`);
      tests.push({ name: pending.name ?? '', result: 'incomplete', line: lines[pending.end - 1]?.no ?? 0, misc: { ktap_number: n }, children: pending.tests });
      pending = undefined;
    };
    for (; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.text.trim() === '') continue;
      const ind = indentOf(line.text);
      const text = line.text.slice(ind).trimEnd();
      if (ind < indent) {
        // Only a KTAP line ends a nested level; other lines (kernel messages interleaved in dmesg,
        // unindented diagnostics) are diagnostics of the test in progress.
        if (isStructural(text) || BAIL_RE.test(text)) break;
        diag.push({ no: line.no, text });
        continue;
      }
      if (ind > indent) {
        if (isStructural(text)) {
          if (pending) flushPending();
          pending = this.level(i, ind);
          pending.name ??= pendingSubtestName;
          pendingSubtestName = undefined;
          if (pending.bailed) return { name, tests: [...tests, ...this.orphan(pending, tests.length + 1)], end: pending.end, bailed: true, missing: 0 };
          i = pending.end - 1;
        } else {
          diag.push({ no: line.no, text });
        }
        continue;
      }
      const v = VERSION_RE.exec(text);
      if (v) {
        if (!SUPPORTED.has(`${v[1]} ${v[2]}`)) throw new ResultParseError(line.no, `unsupported version '${text}' (KTAP version 1, TAP version 13 or 14 expected)`);
        if (version || tests.length > 0) throw new ResultParseError(line.no, `'${text}' in the middle of a test list`);
        version = true;
        diag = [];
        continue;
      }
      const subtest = SUBTEST_RE.exec(text);
      if (subtest) {
        // KUnit names its own level (`# Subtest:` inside the indented block); TAP 14 names the
        // indented block that follows the line.
        let j = i + 1;
        while (j < lines.length && lines[j]!.text.trim() === '') j++;
        const next = lines[j];
        if (next && indentOf(next.text) > indent) pendingSubtestName = subtest[1];
        else if (tests.length === 0 && name === undefined) name = subtest[1];
        continue;
      }
      const p = PLAN_RE.exec(text);
      if (p) {
        if (plan) throw new ResultParseError(line.no, `a second plan '${text}' (the first was on line ${plan.line})`);
        plan = { count: Number(p[1]), line: line.no };
        if (tests.length > plan.count) throw new ResultParseError(line.no, `the plan announces ${plan.count} tests but ${tests.length} came before it`);
        // Lines before a leading plan describe the whole level (`# module: …`), not its first test.
        if (tests.length === 0) diag = [];
        continue;
      }
      const r = RESULT_RE.exec(text);
      if (r) {
        const number = Number(r[2]);
        const expected = tests.length + 1;
        if (number !== expected) throw new ResultParseError(line.no, `expected test number ${expected}, found ${number}: '${text}'`);
        if (plan && number > plan.count) throw new ResultParseError(line.no, `test ${number} is beyond the plan 1..${plan.count} (line ${plan.line})`);
        const ok = r[1] === 'ok';
        const { name: testName, comment } = splitDescription(r[3] ?? '');
        const d = DIRECTIVE_RE.exec(comment);
        const directive = d ? d[1]!.toUpperCase() : undefined;
        const misc: Record<string, unknown> = { ktap_number: number };
        if (directive) misc.directive = directive;
        if (comment && !directive) misc.comment = comment;
        let children = pending?.tests ?? [];
        if (!pending) {
          const nested = this.kselftestChildren(diag);
          children = nested.tests;
          // The nested output became subtests: the message keeps only the lines before it.
          if (nested.start >= 0) diag = diag.slice(0, nested.start);
        }
        const result = resultOf(ok, directive);
        const test: ParsedTest = { name: testName || pending?.name || '', result, line: line.no, misc, children };
        const reason = d?.[2]?.trim();
        if (result === 'skip' && reason) test.message = reason;
        else if (result === 'fail' || result === 'incomplete') {
          const message = [...(directive && directive !== 'XFAIL' ? [`${directive}${reason ? ` ${reason}` : ''}`] : []), ...(comment && !directive ? [comment] : []), ...diag.map((l) => l.text.replace(/^#\s?/, ''))].join('\n').trim();
          if (message) test.message = message.length > MAX_MESSAGE ? `…${message.slice(-MAX_MESSAGE)}` : message;
        }
        if (pending && pending.missing > 0) misc.missing = pending.missing;
        tests.push(test);
        pending = undefined;
        pendingSubtestName = undefined;
        diag = [];
        continue;
      }
      const bail = BAIL_RE.exec(text);
      if (bail) {
        this.warnings.push(`line ${line.no}: Bail out!${bail[1] ? ` ${bail[1]}` : ''}; the tests after it were not run`);
        flushPending();
        return { name, tests, end: lines.length, bailed: true, missing: plan ? Math.max(0, plan.count - tests.length) : 0 };
      }
      diag.push({ no: line.no, text });
    }
    flushPending();
    let missing = 0;
    if (plan && tests.length < plan.count) {
      missing = plan.count - tests.length;
      this.warnings.push(`line ${plan.line}: the plan announces ${plan.count} tests${name ? ` in ${name}` : ''} but ${tests.length} reported a result`);
    }
    return { name, tests, end: i, bailed: false, missing };
  }

  private orphan(level: Level, n: number): ParsedTest[] {
    return [{ name: level.name ?? '', result: 'incomplete', line: this.lines[level.end - 1]?.no ?? 0, misc: { ktap_number: n }, children: level.tests }];
  }

  /** kselftest prints a test's own TAP output as `# `-prefixed lines before its result: parse it as subtests. */
  private kselftestChildren(diag: Line[]): { tests: ParsedTest[]; start: number } {
    const start = diag.findIndex((l) => VERSION_RE.test(l.text.replace(/^#\s?/, '').trim()));
    if (start < 0) return { tests: [], start };
    const inner = diag.slice(start).filter((l) => l.text.startsWith('#')).map((l) => ({ no: l.no, text: l.text.replace(/^#\s?/, '') }));
    const parser = new KtapParser(inner);
    try {
      const level = parser.level(0, 0);
      this.warnings.push(...parser.warnings);
      return { tests: level.tests, start };
    } catch (error) {
      if (!(error instanceof ResultParseError)) throw error;
      this.warnings.push(`line ${error.line}: the nested kselftest output is not valid TAP (${error.detail}); its subtests were not kept`);
      return { tests: [], start: -1 };
    }
  }
}

/** The kernel log's `[    1.234567] ` timestamp, as in KUnit results read from dmesg. */
export const DMESG_PREFIX_RE = /^\[\s*\d+\.\d+\]\s?/;

/**
 * Parses a KTAP (KUnit) or kselftest TAP document. When the version line carries a kernel log
 * timestamp, as in output taken from dmesg, the timestamps are removed from every line first.
 */
export function parseKtap(text: string): ParsedResults {
  let raw = text.split(/\r?\n/);
  const versionLine = raw.find((l) => /(?:^|\]\s?)(?:KTAP|TAP) version \d+\s*$/.test(l));
  if (versionLine && DMESG_PREFIX_RE.test(versionLine)) raw = raw.map((l) => l.replace(DMESG_PREFIX_RE, ''));
  const lines = raw.map((t, i) => ({ no: i + 1, text: t }));
  const first = lines.findIndex((l) => VERSION_RE.test(l.text.trim()));
  const firstResult = lines.findIndex((l) => RESULT_RE.test(l.text.trim()));
  if (first < 0) {
    const at = firstResult >= 0 ? lines[firstResult]!.no : 1;
    throw new ResultParseError(at, "no 'KTAP version 1' or 'TAP version 13/14' line: this is not KTAP output");
  }
  if (firstResult >= 0 && firstResult < first) {
    throw new ResultParseError(lines[firstResult]!.no, `a result before the '${lines[first]!.text.trim()}' line on line ${lines[first]!.no}`);
  }
  const indent = indentOf(lines[first]!.text);
  const parser = new KtapParser(lines.slice(first));
  const level = parser.level(0, indent);
  const rest = lines.slice(first + level.end).find((l) => l.text.trim() !== '');
  if (rest && !level.bailed) throw new ResultParseError(rest.no, `unexpected line after the top-level tests: '${rest.text.trim()}'`);
  if (level.tests.length === 0) throw new ResultParseError(lines[first]!.no, 'no test results');
  return { format: 'ktap', tests: level.tests, warnings: parser.warnings };
}
