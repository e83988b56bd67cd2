/**
 * Result formats of runtime-shell (docs/pipeline.md#the-job-contract-of-runtime-shell): TAP on stdout, or a JSON results file. Both become a
 * plain `ResultEntry` tree that `maestro.ts` hands to the SDK's `resultTree()` builder.
 */
import type { NodeResult, ResultEntry } from './maestro';

/** Makes a sibling name unique the way a reader can still recognise it: `name (2)`, `name (3)`. */
function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${name} (${n})`;
  taken.add(candidate);
  return candidate;
}

/**
 * TAP points → cases directly under the job: `not ok` is `fail`, `# SKIP` is `skip` (docs/pipeline.md#the-job-contract-of-runtime-shell).
 * A point without a description is named by its number. Subtests (indented lines) are ignored.
 */
export function parseTap(stdout: string): ResultEntry[] {
  const cases: ResultEntry[] = [];
  const taken = new Set<string>();
  let counter = 0;
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?([^#]*?)\s*(?:#\s*(.*))?$/.exec(line);
    if (!m) continue;
    counter += 1;
    const directive = (m[4] ?? '').trim();
    let result: NodeResult = m[1] === 'ok' ? 'pass' : 'fail';
    if (/^skip\b/i.test(directive)) result = 'skip';
    const name = (m[3] ?? '').trim() || String(m[2] ?? counter);
    cases.push({ name: uniqueName(name, taken), result });
  }
  return cases;
}

export class ResultsFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultsFormatError';
  }
}

const RESULTS = new Set(['pass', 'fail', 'skip', 'incomplete']);

/** A parsed JSON case, with its `log` text still to be stored as an artifact. */
export interface JsonCase {
  path: string[];
  log: string;
}

/**
 * `{"suites": [{"name", "cases": [{"name", "result", "log"?}], "suites"?: [...]}]}` → suites of
 * kind `job` holding cases (docs/pipeline.md#the-job-contract-of-runtime-shell). Case logs are returned separately, keyed by their path below
 * the job, so the caller can write each to a file and attach its URL as the case's `log` artifact.
 */
export function parseJsonResults(doc: unknown): { suites: ResultEntry[]; logs: JsonCase[] } {
  const logs: JsonCase[] = [];
  const level = (raw: unknown, where: string[]): ResultEntry[] => {
    if (raw === undefined) return [];
    if (!Array.isArray(raw)) throw new ResultsFormatError(`${where.join('/') || 'results'}: suites must be a list`);
    const taken = new Set<string>();
    return raw.map((s: unknown) => {
      if (typeof s !== 'object' || s === null || typeof (s as { name?: unknown }).name !== 'string' || !(s as { name: string }).name) {
        throw new ResultsFormatError(`${where.join('/') || 'results'}: every suite needs a name`);
      }
      const suite = s as { name: string; cases?: unknown; suites?: unknown };
      if (taken.has(suite.name)) throw new ResultsFormatError(`${[...where, suite.name].join('/')}: duplicate suite name`);
      taken.add(suite.name);
      const path = [...where, suite.name];
      const children = level(suite.suites, path);
      const names = new Set(children.map((c) => c.name));
      if (suite.cases !== undefined && !Array.isArray(suite.cases)) throw new ResultsFormatError(`${path.join('/')}: cases must be a list`);
      const cases = ((suite.cases as unknown[] | undefined) ?? []).map((c: unknown) => {
        const tc = c as { name?: unknown; result?: unknown; log?: unknown };
        if (typeof tc?.name !== 'string' || !tc.name) throw new ResultsFormatError(`${path.join('/')}: every case needs a name`);
        if (typeof tc.result !== 'string' || !RESULTS.has(tc.result)) throw new ResultsFormatError(`${path.join('/')}/${tc.name}: result must be pass, fail, skip or incomplete`);
        if (names.has(tc.name)) throw new ResultsFormatError(`${path.join('/')}/${tc.name}: duplicate name`);
        names.add(tc.name);
        if (typeof tc.log === 'string') logs.push({ path: [...path, tc.name], log: tc.log });
        return { name: tc.name, result: tc.result as NodeResult };
      });
      return { name: suite.name, suites: children, cases };
    });
  };
  if (typeof doc !== 'object' || doc === null) throw new ResultsFormatError('results: expected a JSON object with "suites"');
  return { suites: level((doc as { suites?: unknown }).suites, []), logs };
}

/** KernelCI's suite rule (sdk/README.md#nodes), used for the job's own result when results exist. */
export function evaluateSuiteResult(children: Iterable<{ result?: NodeResult | null }>): NodeResult | null {
  let pass = false;
  let skip = false;
  for (const c of children) {
    if (c.result === 'fail') return 'fail';
    if (c.result === 'pass') pass = true;
    else if (c.result === 'skip') skip = true;
  }
  return pass ? 'pass' : skip ? 'skip' : null;
}

/** The evaluated result of an entry: a case's own, a suite's from its children unless set. */
export function entryResult(entry: ResultEntry): NodeResult | null {
  if (entry.result) return entry.result;
  if (entry.suites === undefined && entry.cases === undefined) return null;
  return evaluateSuiteResult([...(entry.suites ?? []), ...(entry.cases ?? [])].map((c) => ({ result: entryResult(c) })));
}
