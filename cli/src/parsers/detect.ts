/** Picks the parser for a results file: by extension, else by the first meaningful line. */
import { parseJunit } from './junit';
import { parseKtap } from './ktap';
import { parseTap } from './tap';
import { RESULT_FORMATS, type ParsedResults, type ResultFormat } from './types';

export function detectFormat(fileName: string, text: string): ResultFormat | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.ktap')) return 'ktap';
  if (lower.endsWith('.xml')) return 'junit';
  const first = text.split(/\r?\n/, 200).find((l) => l.trim() !== '')?.trim() ?? '';
  if (first.startsWith('<')) return 'junit';
  if (/^KTAP version \d+$/.test(first)) return 'ktap';
  // KUnit results inside a kernel log: `[    1.234567] KTAP version 1` after the boot messages.
  if (/^\[\s*\d+\.\d+\]\s?KTAP version \d+\s*$/m.test(text)) return 'ktap';
  // kselftest prints TAP version 13 with its nested results as `# `-prefixed lines: the KTAP parser reads those.
  if (/^TAP version 13$/.test(first) && /^# selftests: /m.test(text)) return 'ktap';
  if (/^TAP version 1[34]$/.test(first)) return 'tap';
  if (lower.endsWith('.tap')) return 'tap';
  return undefined;
}

export function isResultFormat(value: string): value is ResultFormat {
  return (RESULT_FORMATS as readonly string[]).includes(value);
}

export function parseResults(format: ResultFormat, text: string): ParsedResults {
  switch (format) {
    case 'ktap':
      return parseKtap(text);
    case 'junit':
      return parseJunit(text);
    case 'tap':
      return parseTap(text);
  }
}
