#!/usr/bin/env node
// Rewrites citations of the out-of-repository requirement documents (section signs, requirement
// ids such as A11.7 or B1.3, "Appendix A.3", paths of the old specification files) into citations
// of this repository's own documentation, so that a clone explains itself (docs/architecture.md).
//
//   node scripts/cite-docs.mjs           rewrite in place, print the files changed
//   node scripts/cite-docs.mjs --check   change nothing; exit 1 and list every remaining citation
//
// Deterministic and idempotent: a second run changes nothing. Only comments, strings and prose
// contain such citations, so code behaviour is unchanged; OpenAPI descriptions are rewritten at
// their source in api/src (then `npm run check:generated` regenerates openapi/ and the SDK types).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SCAN = [
  'api/src', 'sdk/src', 'pipeline/src', 'cli/src', 'test/src', 'bench', 'docs', 'README.md',
  'sdk/README.md', 'pipeline/README.md', 'eslint.config.mjs', 'knip.jsonc',
];
// Generated from api/src: checked, never rewritten (regenerate them instead).
const GENERATED = ['openapi/openapi.json', 'sdk/src/generated'];
const EXTENSIONS = /\.(?:[cm]?[jt]s|md|jsonc?|ya?ml)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', '.git']);

// ---------------------------------------------------------------------------------------------
// Where each section of the former documents now lives. Keys are matched longest-prefix first:
// "§4.2.2" finds "§4.2.2", else "§4.2", else "§4".
const MAP = {
  // Wire contract: system model and global HTTP conventions
  '§0': 'docs/architecture.md',
  '§1': 'docs/architecture.md',
  '§2': 'docs/api-conventions.md',
  '§2.1': 'docs/api-conventions.md#version-prefixes-and-routing',
  '§2.2': 'docs/api-conventions.md#content-types-body-size-cors',
  '§2.3': 'docs/api-conventions.md#authentication-levels',
  '§2.4': 'docs/api-conventions.md#error-bodies-and-precedence',
  '§2.5': 'docs/api-conventions.md#pagination-envelope',
  '§2.6': 'docs/api-conventions.md#serialisation',
  '§2.7': 'docs/api-conventions.md#client-retries',
  '§3': 'docs/api-conventions.md#root-documentation-and-metrics',
  // Users and authentication
  '§4': 'docs/auth.md',
  '§4.1': 'docs/auth.md#the-user-object',
  '§4.2': 'docs/auth.md#two-kinds-of-bearer-token',
  '§4.2.3': 'docs/auth.md#invite-and-password-reset-tokens',
  '§4.3': 'docs/auth.md#endpoints',
  '§4.4': 'docs/auth.md#two-kinds-of-bearer-token',
  '§4.5': 'docs/configuration.md#secrets-and-the-initial-administrator',
  '§4.6': 'docs/auth.md#levels-and-permissions',
  '§4.7': 'docs/auth.md#inviting-users-with-and-without-smtp',
  '§4.8': 'docs/auth.md#inviting-users-with-and-without-smtp',
  '§4.9': 'docs/auth.md#login-rate-limit',
  '§5': 'docs/auth.md#users-and-groups',
  // Nodes
  '§6': 'docs/nodes.md#model',
  '§6.5': 'docs/nodes.md#states',
  '§6.6': 'docs/nodes.md#processed_by_kcidb_bridge',
  '§6.7': 'docs/auth.md#levels-and-permissions',
  '§7': 'docs/nodes.md#endpoints',
  '§7.10': 'docs/nodes.md#idempotency-key',
  '§7.11': 'docs/nodes.md#etag-and-if-match',
  '§8': 'docs/nodes.md#query-language',
  '§9': 'docs/nodes.md#lifecycle',
  '§9.2': 'docs/nodes.md#purge',
  // Events
  '§10': 'docs/events.md',
  '§10.1': 'docs/events.md#event-envelope',
  '§10.2': 'docs/events.md#event-envelope',
  '§10.3': 'docs/events.md#the-log',
  '§10.4': 'docs/events.md#http-pubsub-kernelci-compatible',
  '§10.5': 'docs/events.md#delivery-guarantees',
  '§10.6': 'docs/events.md#http-pubsub-kernelci-compatible',
  '§10.7': 'docs/events.md#durable-subscribers',
  '§10.8': 'docs/events.md#http-pubsub-kernelci-compatible',
  '§10.9': 'docs/events.md#event-history-get-events',
  '§10.10': 'docs/realtime.md',
  // Storage layout, configuration
  '§11': 'docs/deployment.md#running-on-mongodb',
  '§12': 'docs/configuration.md',
  // Maestro extensions: the page of each feature
  '§13': 'docs/api-conventions.md#where-maestro-differs-from-kernelci',
  '§13.1': 'docs/api-conventions.md#root-documentation-and-metrics',
  '§13.2': 'docs/api-conventions.md#root-documentation-and-metrics',
  '§13.3': 'docs/nodes.md#query-language',
  '§13.4': 'docs/nodes.md#sort-and-cursor',
  '§13.5': 'docs/nodes.md#idempotency-key',
  '§13.6': 'docs/nodes.md#etag-and-if-match',
  '§13.7': 'docs/events.md#durable-subscribers',
  '§13.8': 'docs/realtime.md',
  '§13.9': 'docs/auth.md#two-kinds-of-bearer-token',
  '§13.10': 'docs/nodes.md#lifecycle',
  '§13.11': 'docs/deployment.md#running-on-mongodb',
  '§13.12': 'docs/security.md#input-limits',
  '§13.13': 'docs/auth.md#inviting-users-with-and-without-smtp',
  '§13.14': 'docs/api-conventions.md#error-bodies-and-precedence',
  '§13.15': 'docs/api-conventions.md#where-maestro-differs-from-kernelci',
  'Appendix A': 'docs/api-conventions.md#kernelci-features-not-implemented',
  // The conformance checklist: its item numbers name nothing a reader can open; the tests are
  // the checklist, so such citations are dropped.
  'Appendix B': null,
  ITEM: null,
  // SDK requirements (Part A)
  'Part A': 'docs/sdk.md',
  A0: 'sdk/README.md#maestro-mode-and-kernelci-mode',
  A1: 'docs/sdk.md',
  A2: 'sdk/README.md#the-client',
  A3: 'sdk/README.md#retries',
  A4: 'sdk/README.md#errors',
  A5: 'sdk/README.md#nodes',
  A6: 'sdk/README.md#nodes',
  A7: 'sdk/README.md#nodes',
  A8: 'sdk/README.md#nodes',
  A9: 'sdk/README.md#nodes',
  A10: 'sdk/README.md#nodes',
  A11: 'sdk/README.md#events-delivery-guarantees',
  A12: 'docs/sdk.md',
  A13: 'docs/sdk.md',
  A14: 'docs/sdk.md',
  // Reference pipeline requirements (Part B)
  'Part B': 'docs/pipeline.md',
  B1: 'docs/pipeline.md',
  'B1.3': 'docs/pipeline.md#restarts-lose-nothing-and-duplicate-nothing',
  B2: 'docs/pipeline.md#configuration',
  B3: 'docs/pipeline.md#services',
  B4: 'docs/pipeline.md#services',
  B5: 'docs/pipeline.md#services',
  B6: 'docs/pipeline.md#the-job-contract-of-runtime-shell',
  B7: 'docs/pipeline.md#services',
  B8: 'docs/pipeline.md#tests',
  B9: 'docs/pipeline.md#tests',
};

function target(ref) {
  if (/^(?:items?\s|B\d{2,3})/.test(ref)) return null;
  let key = ref.replace(/^§\s*/, '§').replace(/^Appendix ([AB])[\s\S]*/, 'Appendix $1');
  for (;;) {
    if (key in MAP) return MAP[key];
    const cut = key.lastIndexOf('.');
    if (cut < 0) throw new Error(`cite-docs: no mapping for "${ref}"`);
    key = key.slice(0, cut);
  }
}

// ---------------------------------------------------------------------------------------------
// One reference; a group is references joined by commas, "and", "/" or ranges, with an optional
// "contract"/"SDK" prefix before each.
const SECTION = String.raw`§\s?\d+(?:\.\d+)*`;
const REQ = String.raw`\b[AB]\d{1,2}\.\d{1,2}\b`;
const REQ_BARE = String.raw`\b[AB](?:1[0-4]|\d)\b(?=\s*[),–]|\s+step)`;
const NUMS = String.raw`\d+[a-z]?(?:\s*[–-]\s*\d+[a-z]?)?(?:,\s*\d+[a-z]?(?:\s*[–-]\s*\d+[a-z]?)?)*(?![.\d])`;
const APPENDIX = String.raw`\bAppendix [AB](?:\.\d+)?(?:\s+(?:items?\s+)?${NUMS})?`;
// Conformance-checklist items: "B103", "(item 43)", "(e2e, items 45, 46)".
const CHECKLIST = String.raw`\bB\d{2,3}[a-z]?\b|(?<=[(,;]\s?)items?\s+${NUMS}(?=\s*[),;])`;
const PART = String.raw`\bPart [AB]\b`;
const ONE = `(?:${SECTION}|${REQ}|${APPENDIX}|${PART}|${CHECKLIST})`;
const ONE_OR_BARE = `(?:${ONE}|${REQ_BARE})`;
const PREFIX = String.raw`(?:(?:[Tt]he )?(?:[Cc]ontract|SDK|sdk-and-pipeline\.md|api-contract\.md)(?:'s)?,?\s+)`;
const SEP = String.raw`(?:\s*(?:,|;|\band\b|/|–|-|to)\s*)`;
const GROUP = new RegExp(
  `${PREFIX}?(?:${ONE}|\\(${REQ_BARE})(?:${SEP}${PREFIX}?${ONE_OR_BARE})*`,
  'g',
);
const REF = new RegExp(ONE_OR_BARE, 'g');
// Mentions of the documents themselves.
const DOC_PATH = /`?(?:\.\.\/)?(?:shared\/spec\/)?(?:api-contract|sdk-and-pipeline)\.md`?/g;

/** Every target cited by a group, deduplicated; same page with several anchors → the page. */
function targetsOf(group) {
  const refs = group.replace(/^\(/, '').match(REF) ?? [];
  const out = [];
  for (const ref of refs) {
    const t = target(ref.trim());
    if (t && !out.includes(t)) out.push(t);
  }
  const pages = new Map();
  for (const t of out) pages.set(t.split('#')[0], (pages.get(t.split('#')[0]) ?? 0) + 1);
  const merged = [];
  for (const t of out) {
    const page = t.split('#')[0];
    const v = pages.get(page) > 1 ? page : t;
    if (!merged.includes(v)) merged.push(v);
  }
  return merged;
}

/** How a target is written in `file`: a relative markdown link in .md files, a path elsewhere. */
function render(t, file) {
  if (!file.endsWith('.md')) return t;
  const [page, anchor] = t.split('#');
  const from = posix.dirname(file);
  if (page === file) return anchor ? `[${anchor.replace(/-/g, ' ')}](#${anchor})` : null;
  const rel = posix.relative(from, page) || posix.basename(page);
  const label = from === 'docs' ? rel : page;
  return `[${label}](${rel}${anchor ? `#${anchor}` : ''})`;
}

const TEST_NAME = /^\s*\]\)\(\s*['"`]|\b(?:describe|it|test)(?:\.(?:each|only|skip|todo|concurrent)(?:\([^)]*\))?)?\(\s*['"`]/;

// Every replacement is wrapped in these markers so that the clean-up below only ever touches text
// the script itself wrote (never a "()" of the code around it).
const S = '\u0001';
const E = '\u0002';

function rewriteLine(line, file) {
  if (!/§|\b[AB]\d|Appendix [AB]|Part [AB]|\bitems? \d|api-contract|sdk-and-pipeline/.test(line)) return line;
  const dropAll = TEST_NAME.test(line);
  const heading = file.endsWith('.md') && /^#{1,6} /.test(line);
  let out = line.replace(GROUP, (group) => {
    const opened = group.startsWith('(') ? '(' : '';
    if (dropAll) return `${opened}${S}${E}`;
    const cites = targetsOf(group)
      .filter((t) => !(heading && t.split('#')[0] === file))
      .map((t) => render(t, file))
      .filter(Boolean);
    return `${opened}${S}${cites.join(', ')}${E}`;
  });
  out = out.replace(DOC_PATH, file.endsWith('.md') ? 'the documentation' : 'docs/');
  return tidy(out);
}

/** Removes what an emptied or repeated citation leaves behind; only around the markers. */
function tidy(s) {
  const EMPTY = `${S}${E}`;
  let prev;
  do {
    prev = s;
    s = s
      .replaceAll(`${S}${E}${S}`, S)
      .replace(new RegExp(`\\s+(?:of|in|see|per|by|from|and)\\s+${EMPTY}`, 'g'), EMPTY) // "error order of §4.3"
      .replace(new RegExp(`[ \\t]*\\(\\s*${EMPTY}\\s*\\)`, 'g'), '') // "(contract §1)" in a test name
      .replace(new RegExp(`\\(${EMPTY}\\s*[,;:]?\\s*`, 'g'), '(') // "(§2.3 editor level)"
      .replace(new RegExp(`\\s*[,;]?\\s*${EMPTY}\\)`, 'g'), ')') // "(e2e, item 43)"
      .replace(new RegExp(`[,;]\\s*${EMPTY}`, 'g'), '')
      .replace(new RegExp(`${EMPTY}\\s*[,;]\\s*`, 'g'), '')
      .replace(new RegExp(` ${EMPTY}(?=[ .,:;)])`, 'g'), '')
      // "X (a Maestro extension, X)": the second X adds nothing.
      .replace(new RegExp(`(${S}([^${E}]+)${E})([^()\\n]{0,40}?\\()([^()]*?)(?:,\\s*)?${S}\\2${E}\\)`, 'g'), `$1$3$4${EMPTY})`)
      .replace(new RegExp(`(${S}([^${E}]+)${E}), ${S}\\2${E}`, 'g'), '$1')
      // "X and X of the API contract": the target is this repository's page now.
      .replace(new RegExp(`(${E}) of the (?:API |wire )?contract\\b`, 'g'), '$1')
      .replace(new RegExp(`\\b([\\w./#-]+) and ${S}\\1${E}`, 'g'), `${S}$1${E}`);
  } while (s !== prev);
  return s.replaceAll(S, '').replaceAll(E, '');
}

// Sentences whose whole point was to name the former documents: replaced as a whole (applied
// before the general rewrite; a sentence edited since is still handled by it, less elegantly).
const SENTENCES = [
  ['docs/auth.md',
    'Contract sections: §2.3 (levels), §4 (users and tokens), §5 (groups), §6.7 (who may edit a node),\n§13.9 (API tokens), §13.13 (mail). Code:',
    'The request levels are defined in [api-conventions.md](api-conventions.md#authentication-levels).\nCode:'],
  ['docs/nodes.md',
    'the exact wire contract is\n`../shared/spec/api-contract.md` §6–§9 and §13.3–§13.6, §13.10, §13.12. Code:',
    'together with\n[api-conventions.md](api-conventions.md) it is the wire contract for nodes. Code:'],
  ['docs/sdk.md', ' Requirements: `shared/spec/sdk-and-pipeline.md`, Part A.', ''],
  ['docs/adr/0006-sdk.md', ' (requirements: SDK Part A)', ''],
  ['docs/pipeline.md', ' (requirements: `sdk-and-pipeline.md` Part B, cited\nbelow as B1–B9).', '.'],
  ['README.md',
    '- `../shared/spec/api-contract.md` in the project workspace: the normative wire contract.',
    '- [docs/api-conventions.md](docs/api-conventions.md): the global HTTP rules of the wire contract; the area pages above hold the rest.'],
  ['pipeline/src/maestro.ts',
    'the SDK calls of\n * `sdk-and-pipeline.md` Part A that they make (A5–A11).',
    'the SDK calls\n * they make (sdk/README.md).'],
];

// ---------------------------------------------------------------------------------------------
function walk(path, files) {
  const abs = join(ROOT, path);
  let st;
  try { st = statSync(abs); } catch { return; }
  if (st.isDirectory()) {
    for (const name of readdirSync(abs).sort()) {
      if (!SKIP_DIRS.has(name)) walk(posix.join(path, name), files);
    }
  } else if (EXTENSIONS.test(path)) files.push(path);
}

const RESIDUE = new RegExp(`§|${REQ}|${APPENDIX}|shared/spec|api-contract\\.md|sdk-and-pipeline\\.md`);

function main() {
  const check = process.argv.includes('--check');
  const files = [];
  for (const p of SCAN) walk(p, files);
  const rewritable = files.filter((f) => !GENERATED.some((g) => f === g || f.startsWith(`${g}/`)));
  const generated = [];
  for (const g of GENERATED) walk(g, generated);

  const offenders = [];
  let changed = 0;
  for (const file of rewritable) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    let fixed = text;
    for (const [f, from, to] of SENTENCES) if (f === file) fixed = fixed.replaceAll(from, to);
    const next = fixed.split('\n').map((l) => rewriteLine(l, file)).join('\n');
    const lines = (check ? text : next).split('\n');
    lines.forEach((l, i) => { if (RESIDUE.test(l)) offenders.push(`${file}:${i + 1}: ${l.trim()}`); });
    if (next !== text) {
      changed++;
      if (check) offenders.push(`${file}: citations to rewrite (run node scripts/cite-docs.mjs)`);
      else writeFileSync(join(ROOT, file), next);
    }
  }
  for (const file of generated) {
    readFileSync(join(ROOT, file), 'utf8').split('\n').forEach((l, i) => {
      if (RESIDUE.test(l)) offenders.push(`${file}:${i + 1}: (generated; run npm run check:generated) ${l.trim().slice(0, 120)}`);
    });
  }
  if (!check) console.log(`cite-docs: ${changed} file(s) rewritten`);
  if (offenders.length) {
    console.error(`cite-docs: ${offenders.length} citation(s) of documents outside the repository:`);
    for (const o of offenders) console.error(`  ${o}`);
    process.exit(1);
  }
}

main();
