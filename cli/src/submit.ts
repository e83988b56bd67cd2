/**
 * `maestro submit`: read (with a progress bar for large files), hash, parse, then send the tree in one
 * `nodes.submitResults` call under an idempotency key derived from the job id and the file's SHA-256.
 * A parse error stops before anything is sent. Before sending, a job that already has children is
 * checked: the same file is reported as already stored (exit 0), another file is refused.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { deriveKey, isResultsAlreadySubmittedError, type MaestroClient, type Node } from '@maestro-ci/sdk';
import { CliError, EXIT, type Io } from './io';
import { detectFormat, parseResults } from './parsers/detect';
import { countLeaves, toResultTree } from './parsers/to-tree';
import { formatCounts, ResultParseError, type ResultCounts, type ResultFormat } from './parsers/types';
import { fromResultTree, paint, renderTree, type Style } from './render';

/** Files at least this large get a progress bar (on a terminal). */
export const PROGRESS_MIN_BYTES = 1024 * 1024;
/** Namespace of the derived idempotency key. */
export const KEY_NAMESPACE = 'maestro-cli-results';

export interface SubmitInput {
  io: Io;
  style: Style;
  jobId: string;
  file: string;
  format?: ResultFormat;
  dryRun?: boolean;
  artifact: string[];
  progress: boolean;
  json?: boolean;
  /** Runs `fn` with a client; absent for a dry run. */
  connect?: <T>(fn: (client: MaestroClient) => Promise<T>) => Promise<T>;
}

export interface SubmitOutcome {
  counts: ResultCounts;
  sha256: string;
  stored: 'dry-run' | 'submitted' | 'already-submitted';
}

function parseArtifacts(specs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const name = spec.slice(0, eq);
    const url = spec.slice(eq + 1);
    if (eq <= 0 || !/^https?:\/\/\S+$/.test(url)) throw new CliError(`--artifact '${spec}': write name=https://…`, EXIT.usage);
    out[name] = url;
  }
  return out;
}

class Progress {
  #last = -1;
  constructor(
    private readonly io: Io,
    private readonly total: number,
    private readonly enabled: boolean,
  ) {}
  update(done: number, label: string): void {
    if (!this.enabled) return;
    const pct = this.total > 0 ? Math.floor((done / this.total) * 100) : 100;
    if (pct === this.#last) return;
    this.#last = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    const mib = (n: number): string => (n / 1048576).toFixed(1);
    this.io.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${mib(done)}/${mib(this.total)} MiB`);
  }
  status(text: string): void {
    if (this.enabled) this.io.stderr.write(`\r\x1b[2K${text}`);
  }
  end(): void {
    if (this.enabled) this.io.stderr.write('\r\x1b[2K');
  }
}

async function readWithHash(file: string, progress: Progress): Promise<{ text: string; sha256: string }> {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let done = 0;
  await new Promise<void>((resolve, reject) => {
    createReadStream(file)
      .on('data', (chunk: string | Buffer) => {
        const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        hash.update(b);
        chunks.push(b);
        done += b.length;
        progress.update(done, 'reading ');
      })
      .on('error', reject)
      .on('end', resolve);
  });
  return { text: Buffer.concat(chunks).toString('utf8'), sha256: hash.digest('hex') };
}

function jobMisc(job: Node): Record<string, unknown> {
  const misc = (job.data as Record<string, unknown> | undefined)?.misc;
  return typeof misc === 'object' && misc !== null ? (misc as Record<string, unknown>) : {};
}

export async function submitFile(input: SubmitInput): Promise<SubmitOutcome> {
  const { io, style } = input;
  const artifacts = parseArtifacts(input.artifact);
  if (!/^[0-9a-f]{24}$/i.test(input.jobId)) throw new CliError(`'${input.jobId}' is not a node id (24 hexadecimal characters)`, EXIT.usage);
  let size: number;
  try {
    size = (await stat(input.file)).size;
  } catch (error) {
    throw new CliError(`${input.file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, EXIT.usage);
  }
  const progress = new Progress(io, size, input.progress && Boolean(io.stderr.isTTY) && size >= PROGRESS_MIN_BYTES);
  const { text: raw, sha256 } = await readWithHash(input.file, progress);
  // The hash is the file's; the parsers get it without a byte-order mark and with \n line ends.
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const format = input.format ?? detectFormat(input.file, text);
  if (!format) throw new CliError(`${input.file}: cannot tell whether this is KTAP, JUnit XML or TAP; use --format ktap|junit|tap`, EXIT.usage);
  progress.status(`parsing ${format}…`);
  let parsed;
  try {
    parsed = parseResults(format, text);
  } catch (error) {
    progress.end();
    if (error instanceof ResultParseError) throw new CliError(`${input.file}:${error.line}: ${error.detail} (${format}; nothing was submitted)`, EXIT.usage);
    throw error;
  }
  const tree = toResultTree(parsed.tests);
  const counts = countLeaves(parsed.tests);
  progress.end();
  for (const w of parsed.warnings) io.stderr.write(`${input.file}: warning: ${w}\n`);
  const summary = `${tree.size} nodes, ${counts.total} tests: ${formatCounts(counts)}`;

  if (input.dryRun || !input.connect) {
    if (input.json) io.stdout.write(`${JSON.stringify({ dry_run: true, format, sha256, counts, tree: tree.toHierarchy().child_nodes }, null, 2)}\n`);
    else {
      io.stdout.write(`${basename(input.file)} (${format}) ${paint(style, 'dim', `(${formatCounts(counts)})`)}\n`);
      for (const line of renderTree(fromResultTree(tree.children), style)) io.stdout.write(`${line}\n`);
      io.stderr.write(`dry run: ${summary}; nothing was sent\n`);
    }
    return { counts, sha256, stored: 'dry-run' };
  }

  const key = await deriveKey(KEY_NAMESPACE, input.jobId, sha256);
  return input.connect(async (client) => {
    const report = (stored: 'submitted' | 'already-submitted', nodes: number): SubmitOutcome => {
      if (input.json) io.stdout.write(`${JSON.stringify({ job: input.jobId, stored, nodes, format, sha256, counts, idempotency_key: key }, null, 2)}\n`);
      else if (stored === 'submitted') io.stdout.write(`Submitted ${nodes} nodes under job ${input.jobId} (${format}): ${formatCounts(counts)}\n`);
      else io.stdout.write(`Already submitted: job ${input.jobId} holds the results of this file (sha256 ${sha256.slice(0, 12)}…); nothing was stored twice\n`);
      return { counts, sha256, stored };
    };
    const alreadyStored = async (): Promise<SubmitOutcome | undefined> => {
      const job = await client.nodes.get(input.jobId);
      if ((await client.nodes.count({ parent: input.jobId })) === 0) return undefined;
      const misc = jobMisc(job);
      if (misc.results_sha256 === sha256) return report('already-submitted', tree.size);
      throw new CliError(
        `job ${input.jobId} already has results${typeof misc.results_file === 'string' ? ` from ${misc.results_file}` : ''}${typeof misc.results_sha256 === 'string' ? ` (sha256 ${misc.results_sha256.slice(0, 12)}…)` : ''}; a job's results are submitted once`,
        EXIT.server,
      );
    };
    const before = await alreadyStored();
    if (before) return before;
    const status = new Progress(io, 0, input.progress && Boolean(io.stderr.isTTY) && size >= PROGRESS_MIN_BYTES);
    status.status(`uploading ${tree.size} nodes…`);
    try {
      const { nodes } = await client.nodes.submitResults(input.jobId, tree, {
        idempotencyKey: key,
        data: { misc: { results_sha256: sha256, results_format: format, results_file: basename(input.file) } },
        ...(Object.keys(artifacts).length ? { artifacts } : {}),
      });
      status.end();
      return report('submitted', nodes.length - 1);
    } catch (error) {
      status.end();
      // Another upload of the same file won the race: the server kept one copy.
      if (isResultsAlreadySubmittedError(error)) {
        const after = await alreadyStored();
        if (after) return after;
      }
      throw error;
    }
  });
}
