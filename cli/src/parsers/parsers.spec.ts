import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectFormat, parseResults } from './detect';
import { parseJunit } from './junit';
import { parseKtap, splitDescription } from './ktap';
import { parseTap } from './tap';
import { countLeaves, toResultTree } from './to-tree';
import { ResultParseError, type ParsedTest } from './types';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../fixtures', name), 'utf8');
const byName = (tests: ParsedTest[], ...names: string[]): ParsedTest => {
  let level = tests;
  let found: ParsedTest | undefined;
  for (const n of names) {
    found = level.find((t) => t.name === n);
    if (!found) throw new Error(`no test ${n} among ${level.map((t) => t.name).join(', ')}`);
    level = found.children;
  }
  return found!;
};
function parseError(fn: () => unknown): ResultParseError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ResultParseError) return error;
    throw error;
  }
  throw new Error('no ResultParseError');
}

describe('KTAP from KUnit (nested, parameterised, skips, TODO, failures with diagnostics)', () => {
  const parsed = parseKtap(fixture('kunit-nested.ktap'));

  it('reads the suites with their own results and the leaves with theirs', () => {
    expect(parsed.tests.map((t) => [t.name, t.result])).toEqual([
      ['example', 'pass'],
      ['kunit-try-catch-test', 'pass'],
      ['time_test_cases', 'fail'],
      ['list-kunit-test', 'fail'],
    ]);
    expect(countLeaves(parsed.tests)).toEqual({ pass: 12, fail: 2, skip: 4, incomplete: 0, total: 18 });
    expect(parsed.warnings).toEqual([]);
  });

  it('nests parameterised tests (no plan) under their case, with SKIP reasons', () => {
    const params = byName(parsed.tests, 'example', 'example_params_test');
    expect(params.result).toBe('pass');
    expect(params.children.map((t) => [t.name, t.result, t.message])).toEqual([
      ['example value 3', 'skip', 'unsupported param value 3'],
      ['example value 2', 'pass', undefined],
      ['example value 1', 'pass', undefined],
      ['example value 0', 'skip', 'unsupported param value 0'],
    ]);
  });

  it('keeps the diagnostic lines of a failure as its message, and not the suite header', () => {
    const failed = byName(parsed.tests, 'time_test_cases', 'time64_to_tm_test_date_range');
    expect(failed.result).toBe('fail');
    expect(failed.message).toBe('time64_to_tm_test_date_range: EXPECTATION FAILED at kernel/time/time_test.c:73\nExpected days == tm.tm_yday, but\ndays == 1\ntm.tm_yday == 0\n1969-12-31 (-1)');
    expect(failed.line).toBe(58);
    expect(failed.misc).toMatchObject({ ktap_number: 1 });
  });

  it('maps # TODO on ok to pass with the directive kept', () => {
    const todo = byName(parsed.tests, 'list-kunit-test', 'list_test_list_replace');
    expect(todo).toMatchObject({ result: 'pass', misc: { directive: 'TODO' } });
  });
});

describe('KTAP from kselftest (TAP version 13, nested output as # lines, skips, timeout)', () => {
  const parsed = parseKtap(fixture('kselftest-timers.ktap'));

  it('turns the # -prefixed nested TAP of each test into subtests', () => {
    expect(parsed.tests.map((t) => [t.name, t.result, t.children.length])).toEqual([
      ['selftests: timers: posix_timers', 'pass', 9],
      ['selftests: timers: nanosleep', 'fail', 6],
      ['selftests: timers: nsleep-lat', 'skip', 1],
      ['selftests: timers: set-timer-lat', 'pass', 2],
      ['selftests: timers: rtcpie', 'fail', 0],
    ]);
    expect(byName(parsed.tests, 'selftests: timers: nanosleep', 'CLOCK_MONOTONIC_RAW')).toMatchObject({ result: 'skip', message: 'clock not supported' });
    expect(byName(parsed.tests, 'selftests: timers: nanosleep', 'CLOCK_HWSPECIFIC')).toMatchObject({ result: 'fail', line: 27 });
  });

  it('keeps the comment after the name out of it (exit=1) and the TIMEOUT directive in the message', () => {
    const nanosleep = byName(parsed.tests, 'selftests: timers: nanosleep');
    expect(nanosleep.misc).toMatchObject({ comment: 'exit=1' });
    expect(nanosleep.message).toBe('exit=1\ntimeout set to 45\nselftests: timers: nanosleep');
    const rtc = byName(parsed.tests, 'selftests: timers: rtcpie');
    expect(rtc.misc).toMatchObject({ directive: 'TIMEOUT' });
    expect(rtc.message?.split('\n')).toEqual(['TIMEOUT 45 seconds', 'timeout set to 45', 'selftests: timers: rtcpie', 'Periodic IRQ rate is 1Hz.', 'rtcpie: failed to open /dev/rtc0: No such file or directory']);
  });

  it('names unnamed tests and repeated names uniquely in the result tree', () => {
    const tree = toResultTree(parsed.tests);
    const top = tree.children;
    expect(top.find((t) => t.name === 'selftests: timers: nsleep-lat')!.children.map((c) => c.name)).toEqual(['test_1']);
    expect(top.find((t) => t.name === 'selftests: timers: set-timer-lat')!.children.map((c) => c.name)).toEqual(['CLOCK_REALTIME ABSTIME TIMER', 'CLOCK_REALTIME ABSTIME TIMER (2)']);
    expect(tree.size).toBe(23);
    expect(tree.result).toBe('fail');
    expect(top[1]!.kind).toBe('test');
  });
});

describe('KTAP edge cases and malformed input', () => {
  it('stores a subtest cut short by a crash as incomplete, with a warning', () => {
    const parsed = parseKtap('KTAP version 1\n1..2\n    KTAP version 1\n    # Subtest: suite\n    1..3\n    ok 1 a\n    ok 2 b\n');
    expect(parsed.tests).toHaveLength(1);
    expect(parsed.tests[0]).toMatchObject({ name: 'suite', result: 'incomplete' });
    expect(parsed.tests[0]!.children.map((c) => c.name)).toEqual(['a', 'b']);
    expect(parsed.warnings.join('\n')).toMatch(/plan announces 3 tests in suite but 2/);
    expect(parsed.warnings.join('\n')).toMatch(/no result line/);
  });

  it('accepts a whole suite skipped by its plan and Bail out!', () => {
    const parsed = parseKtap('KTAP version 1\n1..3\nok 1 first\nnot ok 2 second # SKIP no hardware\nBail out! the board hung\n');
    expect(parsed.tests.map((t) => t.result)).toEqual(['pass', 'skip']);
    expect(parsed.warnings[0]).toMatch(/line 5: Bail out! the board hung/);
  });

  it.each([
    ['out-of-order numbers', 'KTAP version 1\n1..3\nok 1 first\nok 3 third\n', 4, 'expected test number 2, found 3'],
    ['beyond the plan', 'KTAP version 1\n1..1\nok 1 first\nok 2 second\n', 4, 'beyond the plan 1..1'],
    ['a second plan', 'KTAP version 1\n1..1\n1..2\nok 1 a\n', 3, 'a second plan'],
    ['no version line', 'ok 1 first\nok 2 second\n', 1, "no 'KTAP version 1'"],
    ['a result before the version', 'ok 1 x\nKTAP version 1\nok 1 first\n', 1, "a result before the 'KTAP version 1' line on line 2"],
    ['an unsupported version', 'KTAP version 2\nok 1 a\n', 1, "unsupported version 'KTAP version 2'"],
    ['no results', 'KTAP version 1\n1..0\n', 1, 'no test results'],
    ['a version line in the middle', 'KTAP version 1\nok 1 a\nKTAP version 1\nok 2 b\n', 3, 'in the middle of a test list'],
  ])('refuses %s with the line number', (_name, text, line, message) => {
    const error = parseError(() => parseKtap(text));
    expect(error.line).toBe(line);
    expect(error.message).toContain(message);
  });

  it('reads KUnit results from a kernel log, timestamps removed and other messages kept as diagnostics', () => {
    const dmesg = [
      '[    0.000000] Linux version 6.12.0-rc3 (kci@build) (gcc 12.2.0) #1 SMP PREEMPT_DYNAMIC',
      '[    0.912345] KTAP version 1',
      '[    0.912350] 1..1',
      '[    0.912400]     KTAP version 1',
      '[    0.912410]     # Subtest: kunit_status',
      '[    0.912420]     1..2',
      '[    0.912500]     ok 1 kunit_status_set_failure_test',
      '[    0.912600] virtio_blk virtio1: [vda] 262144 512-byte logical blocks',
      '[    0.912700]     not ok 2 kunit_status_mark_skipped_test',
      '[    0.912800] not ok 1 kunit_status',
    ].join('\n');
    expect(detectFormat('console.log', dmesg)).toBe('ktap');
    const parsed = parseKtap(dmesg);
    expect(parsed.tests[0]).toMatchObject({ name: 'kunit_status', result: 'fail' });
    expect(parsed.tests[0]!.children.map((t) => [t.name, t.result])).toEqual([
      ['kunit_status_set_failure_test', 'pass'],
      ['kunit_status_mark_skipped_test', 'fail'],
    ]);
    expect(parsed.tests[0]!.children[1]!.message).toBe('virtio_blk virtio1: [vda] 262144 512-byte logical blocks');
  });

  it('splits descriptions from directives', () => {
    expect(splitDescription('example value 3 # SKIP unsupported')).toEqual({ name: 'example value 3', comment: 'SKIP unsupported' });
    expect(splitDescription('# SKIP Requires root')).toEqual({ name: '', comment: 'SKIP Requires root' });
    expect(splitDescription('- parses a plan')).toEqual({ name: 'parses a plan', comment: '' });
    expect(splitDescription('test#1 works')).toEqual({ name: 'test#1 works', comment: '' });
  });
});

describe('TAP 14 with subtests (tap-parser)', () => {
  const parsed = parseTap(fixture('tap14-subtests.tap'));

  it('reads nested subtests, SKIP and TODO, and failure diagnostics', () => {
    expect(parsed.tests.map((t) => [t.name, t.result])).toEqual([
      ['config loader', 'fail'],
      ['network', 'pass'],
      ['version string matches package.json', 'pass'],
    ]);
    expect(byName(parsed.tests, 'config loader', 'reads defaults').children).toHaveLength(2);
    const thrown = byName(parsed.tests, 'config loader', 'rejects an unknown key', 'should throw');
    expect(thrown.result).toBe('fail');
    expect(thrown.message).toContain("t.throws(() => load({ colour: 'red' }))");
    expect(byName(parsed.tests, 'network', 'opens a socket')).toMatchObject({ result: 'skip', message: 'no network in the sandbox' });
    expect(byName(parsed.tests, 'network', 'retries on ECONNRESET')).toMatchObject({ result: 'skip', misc: { directive: 'TODO' } });
    expect(countLeaves(parsed.tests)).toEqual({ pass: 4, fail: 1, skip: 2, incomplete: 0, total: 7 });
  });

  it.each([
    ['a non-TAP line', 'TAP version 14\nok 1 - a\nthis is garbage\n1..1\n', 3, "not TAP: 'this is garbage'"],
    ['a plan that does not match', 'TAP version 14\n1..3\nok 1 - a\nok 2 - b\n', 2, 'does not match'],
    ['a missing version', 'ok 1 - a\n1..1\n', 1, "'TAP version 14'"],
  ])('refuses %s with the line number', (_name, text, line, message) => {
    const error = parseError(() => parseTap(text));
    expect(error.line).toBe(line);
    expect(error.message).toContain(message);
  });
});

describe('JUnit XML', () => {
  it('reads pytest output, grouped by module, with failures, errors and skips', () => {
    const parsed = parseJunit(fixture('pytest-junit.xml'));
    expect(parsed.tests.map((t) => t.name)).toEqual(['pytest']);
    expect(parsed.tests[0]!.children.map((t) => t.name)).toEqual(['tests.test_boot', 'tests.test_network', 'tests.test_storage']);
    const dmesg = byName(parsed.tests, 'pytest', 'tests.test_boot', 'test_dmesg_clean');
    expect(dmesg.result).toBe('fail');
    expect(dmesg.message?.split('\n')[0]).toBe('AssertionError: unexpected warnings in dmesg');
    expect(dmesg.misc).toMatchObject({ junit: 'failure', classname: 'tests.test_boot', duration_s: 0.201 });
    expect(byName(parsed.tests, 'pytest', 'tests.test_storage', 'test_fio_randread').misc).toMatchObject({ junit: 'error' });
    expect(byName(parsed.tests, 'pytest', 'tests.test_network', 'test_ping[ipv6]')).toMatchObject({ result: 'skip', message: 'IPv6 is disabled on this board' });
    expect(countLeaves(parsed.tests)).toEqual({ pass: 3, fail: 2, skip: 2, incomplete: 0, total: 7 });
    expect(toResultTree(parsed.tests).children[0]!.result).toBe('fail');
  });

  it('reads a Maven surefire report (a single <testsuite>), with the exception type and line numbers', () => {
    const parsed = parseJunit(fixture('surefire-junit.xml'));
    const suite = byName(parsed.tests, 'org.example.kernel.ConfigParserTest');
    expect(suite.children.map((t) => [t.name, t.result])).toEqual([
      ['parsesSimpleConfig', 'pass'],
      ['parsesModuleOptions', 'pass'],
      ['rejectsUnknownSymbol', 'fail'],
      ['handlesEmptyFile', 'fail'],
      ['parsesLargeConfig', 'skip'],
    ]);
    expect(suite.children[2]!.misc).toMatchObject({ failure_type: 'org.opentest4j.AssertionFailedError' });
    expect(suite.children[2]!.message).toContain('ConfigParserTest.java:48');
    expect(suite.children[3]!.line).toBe(23);
  });

  it.each([
    ['broken XML', '<?xml version="1.0"?>\n<testsuite name="x">\n  <testcase name="a">\n</testsuite>\n', 4, 'invalid XML'],
    ['another root element', '<?xml version="1.0"?>\n<html><body/></html>\n', 2, 'not JUnit XML'],
    ['no test cases', '<testsuites><testsuite name="empty" tests="0"/></testsuites>', 1, 'no <testcase>'],
  ])('refuses %s with the line number', (_name, text, line, message) => {
    const error = parseError(() => parseJunit(text));
    expect(error.line).toBe(line);
    expect(error.message).toContain(message);
  });
});

describe('format detection', () => {
  it.each([
    ['results.ktap', 'anything', 'ktap'],
    ['results.xml', 'anything', 'junit'],
    ['out.txt', '<?xml version="1.0"?><testsuites/>', 'junit'],
    ['out.txt', 'KTAP version 1\n1..1\n', 'ktap'],
    ['kselftest.log', 'TAP version 13\n1..1\n# selftests: timers: x\nok 1 selftests: timers: x\n', 'ktap'],
    ['out.txt', 'TAP version 14\n1..1\n', 'tap'],
    ['results.tap', 'ok 1\n', 'tap'],
    ['out.txt', 'hello\n', undefined],
  ])('%s with %j is %s', (file, text, format) => {
    expect(detectFormat(file, text)).toBe(format);
  });

  it('parses every shipped fixture through the detected parser', () => {
    for (const [file, format] of [['kunit-nested.ktap', 'ktap'], ['kselftest-timers.ktap', 'ktap'], ['pytest-junit.xml', 'junit'], ['surefire-junit.xml', 'junit'], ['tap14-subtests.tap', 'tap']] as const) {
      const text = fixture(file);
      expect(detectFormat(file, text)).toBe(format);
      expect(parseResults(format, text).tests.length).toBeGreaterThan(0);
    }
  });
});

describe('tap-parser on KTAP (why KTAP has its own parser, docs/adr/0009-cli.md)', () => {
  // If one of these starts failing after a tap-parser upgrade, reconsider using it for KTAP.
  function run(text: string): { extra: string[]; names: string[] } {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Parser } = require('tap-parser') as typeof import('tap-parser');
    const extra: string[] = [];
    const names: string[] = [];
    const p = new Parser();
    p.on('extra', (line: string) => extra.push(line.trim()));
    p.on('assert', (r: { name: string }) => names.push(r.name));
    p.end(text);
    return { extra, names };
  }

  it('reads KTAP version lines as non-TAP data', () => {
    expect(run(fixture('kunit-nested.ktap')).extra).toContain('KTAP version 1');
  });

  it("keeps kselftest's comments in names and does not see its nested results", () => {
    const { names } = run(fixture('kselftest-timers.ktap'));
    expect(names).toContain('selftests: timers: nanosleep # exit=1');
    expect(names).not.toContain('CLOCK_HWSPECIFIC');
    expect(names).toHaveLength(5);
  });
});
