/**
 * The format-neutral result model every parser produces: a forest of tests, each with a result and
 * its subtests. `toResultTree` turns it into the SDK's result tree.
 */
import type { NodeResult } from '@maestro-ci/sdk';

export type ResultFormat = 'ktap' | 'junit' | 'tap';
export const RESULT_FORMATS: readonly ResultFormat[] = ['ktap', 'junit', 'tap'];

export interface ParsedTest {
  /** Name as written (may be empty or repeat among siblings; `toResultTree` makes it unique). */
  name: string;
  /**
   * The test's own result. For a test with subtests, `undefined` means "evaluate from the children"
   * (JUnit suites); KTAP and TAP suites carry their own result line.
   */
  result: NodeResult | undefined;
  /** 1-based line where the test's result (or the JUnit element) was found. */
  line: number;
  /** A short failure or skip reason, stored as the node's `data.error_msg`. */
  message?: string;
  /** Format details kept in `data.misc` (test number, directive, duration, class name…). */
  misc: Record<string, unknown>;
  children: ParsedTest[];
}

export interface ParsedResults {
  format: ResultFormat;
  tests: ParsedTest[];
  /** Things worth telling the user that do not make the file unusable (e.g. a plan cut short by a crash). */
  warnings: string[];
}

/** Malformed input: the message names the 1-based line, and nothing is submitted. */
export class ResultParseError extends Error {
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(`line ${line}: ${detail}`);
    this.name = 'ResultParseError';
  }
}

/** Counts of leaf results in a forest. */
export interface ResultCounts {
  pass: number;
  fail: number;
  skip: number;
  incomplete: number;
  total: number;
}

export function emptyCounts(): ResultCounts {
  return { pass: 0, fail: 0, skip: 0, incomplete: 0, total: 0 };
}

export function addResult(counts: ResultCounts, result: NodeResult | string | null | undefined): void {
  counts.total += 1;
  if (result === 'pass' || result === 'fail' || result === 'skip' || result === 'incomplete') counts[result] += 1;
}

export function formatCounts(c: ResultCounts): string {
  const parts = [`${c.pass} pass`, `${c.fail} fail`, `${c.skip} skip`];
  if (c.incomplete) parts.push(`${c.incomplete} incomplete`);
  return parts.join(', ');
}
