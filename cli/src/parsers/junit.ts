/**
 * JUnit XML (pytest, Maven surefire, Gradle, ctest, and the many tools that imitate them) to the
 * neutral result model, through fast-xml-parser. `<testsuites>` and nested `<testsuite>` become
 * suites; test cases whose `classname` differs from their suite's name are grouped by class, so
 * pytest's single `pytest` suite becomes one level per module.
 */
import type { NodeResult } from '@maestro-ci/sdk';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ResultParseError, type ParsedResults, type ParsedTest } from './types';

const MAX_MESSAGE = 2000;

type XmlNode = Record<string, unknown>;

const asArray = (v: unknown): XmlNode[] => (v === undefined || v === null ? [] : Array.isArray(v) ? (v as XmlNode[]) : [v as XmlNode]);
const attr = (n: XmlNode, name: string): string | undefined => {
  const v = n[`@_${name}`];
  return v === undefined || v === null ? undefined : String(v);
};
const textOf = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map(textOf).join('\n');
  const n = v as XmlNode;
  return textOf(n['#text']);
};

function clip(text: string): string {
  const t = text.trim();
  return t.length > MAX_MESSAGE ? `${t.slice(0, MAX_MESSAGE)}…` : t;
}

/** Line numbers of character offsets, counted incrementally (offsets asked for in increasing order are linear). */
function lineCounter(xml: string): (offset: number) => number {
  let pos = 0;
  let line = 1;
  return (offset) => {
    if (offset < pos) {
      pos = 0;
      line = 1;
    }
    for (; pos < offset; pos++) if (xml.charCodeAt(pos) === 10) line++;
    return line;
  };
}

/** The line of the first `<tag` at or after character `from`, and the index after it. */
function locate(xml: string, tag: string, from: number, lineAt: (offset: number) => number = lineCounter(xml)): { line: number; next: number } {
  const re = new RegExp(`<${tag}[\\s/>]`, 'g');
  re.lastIndex = from;
  const m = re.exec(xml);
  if (!m) return { line: 0, next: from };
  return { line: lineAt(m.index), next: m.index + 1 };
}

export function parseJunit(xml: string): ParsedResults {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new ResultParseError(valid.err.line, `invalid XML: ${valid.err.msg}`);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseAttributeValue: false, parseTagValue: false, trimValues: false, htmlEntities: true, isArray: (name) => ['testsuite', 'testcase', 'failure', 'error', 'skipped'].includes(name) }).parse(xml) as XmlNode;
  let cursor = 0;
  const lineAt = lineCounter(xml);
  const nextLine = (tag: string): number => {
    const { line, next } = locate(xml, tag, cursor, lineAt);
    cursor = next;
    return line;
  };

  function testcase(n: XmlNode): ParsedTest {
    const line = nextLine('testcase');
    const name = attr(n, 'name') ?? '';
    const failures = [...asArray(n.failure), ...asArray(n.error)];
    const skipped = asArray(n.skipped);
    let result: NodeResult = 'pass';
    let message: string | undefined;
    const misc: Record<string, unknown> = {};
    const classname = attr(n, 'classname');
    if (classname) misc.classname = classname;
    const time = Number(attr(n, 'time'));
    if (Number.isFinite(time)) misc.duration_s = time;
    if (failures.length > 0) {
      result = 'fail';
      const f = failures[0]!;
      misc.junit = asArray(n.error).length > 0 && asArray(n.failure).length === 0 ? 'error' : 'failure';
      const type = attr(f, 'type');
      if (type) misc.failure_type = type;
      message = clip([attr(f, 'message'), textOf(f)].filter((x) => x && x.trim()).join('\n\n'));
    } else if (skipped.length > 0) {
      result = 'skip';
      message = clip(attr(skipped[0]!, 'message') ?? textOf(skipped[0]));
    }
    const test: ParsedTest = { name, result, line, misc, children: [] };
    if (message) test.message = message;
    return test;
  }

  function testsuite(n: XmlNode): ParsedTest {
    const line = nextLine('testsuite');
    const name = attr(n, 'name') ?? '';
    const misc: Record<string, unknown> = {};
    for (const key of ['timestamp', 'hostname']) {
      const v = attr(n, key);
      if (v) misc[key] = v;
    }
    const time = Number(attr(n, 'time'));
    if (Number.isFinite(time)) misc.duration_s = time;
    // fast-xml-parser groups children by tag: read nested suites and cases in document order.
    const suites = asArray(n.testsuite);
    const cases = asArray(n.testcase);
    const children: ParsedTest[] = [];
    let si = 0;
    let ci = 0;
    const tagRe = /<(testsuite|testcase)[\s/>]/g;
    while (si < suites.length || ci < cases.length) {
      tagRe.lastIndex = cursor;
      const nextIsSuite = tagRe.exec(xml)?.[1] === 'testsuite';
      if ((nextIsSuite && si < suites.length) || ci >= cases.length) children.push(testsuite(suites[si++]!));
      else children.push(testcase(cases[ci++]!));
    }
    // Group by class name where it adds a level (pytest: one `pytest` suite, many modules).
    const grouped: ParsedTest[] = [];
    const byClass = new Map<string, ParsedTest>();
    for (const c of children) {
      const cls = c.children.length === 0 ? (c.misc.classname as string | undefined) : undefined;
      if (!cls || cls === name) {
        grouped.push(c);
        continue;
      }
      let group = byClass.get(cls);
      if (!group) {
        group = { name: cls, result: undefined, line: c.line, misc: {}, children: [] };
        byClass.set(cls, group);
        grouped.push(group);
      }
      group.children.push(c);
    }
    return { name, result: grouped.length === 0 ? 'skip' : undefined, line, misc, children: grouped };
  }

  const roots = doc.testsuites !== undefined ? asArray(doc.testsuites) : [];
  let suites: XmlNode[];
  if (roots.length > 0) suites = asArray(roots[0]!.testsuite);
  else if (doc.testsuite !== undefined) suites = asArray(doc.testsuite);
  else {
    const root = Object.keys(doc).find((k) => !k.startsWith('?'));
    throw new ResultParseError(locate(xml, root ?? '', 0).line || 1, `not JUnit XML: the root element is <${root ?? '?'}>, expected <testsuites> or <testsuite>`);
  }
  const tests = suites.map(testsuite);
  if (tests.length === 0 || !/<testcase[\s/>]/.test(xml)) throw new ResultParseError(1, 'no <testcase> elements');
  return { format: 'junit', tests, warnings: [] };
}
