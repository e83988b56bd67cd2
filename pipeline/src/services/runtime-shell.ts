/**
 * runtime-shell: runs shell `kbuild`/`job` nodes created `running`, serves their logs through
 * `storage`, and submits each result tree in one call. A delivery is held until the results are
 * stored, so a crash re-runs the job instead of losing it; the default results key (sdk/README.md#nodes) makes a
 * second submission after a crash a no-op rather than a second tree. Each finished job is reported
 * as a `job_result` telemetry event (docs/pipeline.md).
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { JobConfig } from '../config';
import type { Delivery, MaestroNode, NodeResult, ResultEntry } from '../maestro';
import { evaluateSuiteResult, entryResult, parseJsonResults, parseTap } from '../results';
import { consumeEvents, msUntil, type RunningService, type ServiceContext } from '../service';
import { SHELL_RUNTIME } from './scheduler';

/** Margin kept before the node's own timeout, so the server's timeout never races ours (docs/pipeline.md#the-job-contract-of-runtime-shell step 5). */
export const NODE_TIMEOUT_MARGIN_MS = 5_000;

export interface CommandOutcome {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
}

/**
 * Runs `bash -c <command>` in its own process group, stdout and stderr both into `logFile` and
 * stdout also kept for TAP. At `timeoutMs` the whole group is SIGKILLed, so a hung child of the
 * script cannot outlive the job.
 */
export async function runCommand(command: string, options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string; timeoutMs: number }): Promise<CommandOutcome> {
  const log = createWriteStream(options.logFile);
  const child = spawn('bash', ['-c', command], { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    if (stdout.length < 8 * 1024 * 1024) stdout += chunk.toString('utf8');
    log.write(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => log.write(chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, Math.max(0, options.timeoutMs));
  const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, sig) => resolve([code, sig]));
  }).finally(() => clearTimeout(timer));
  if (timedOut) log.write(`\n[maestro-pipeline] killed after ${options.timeoutMs} ms: job timeout\n`);
  await new Promise<void>((ok) => log.end(ok));
  return { exitCode, signal, timedOut, stdout };
}

/** `kernel.img` → `kernel`: files in MAESTRO_ARTIFACTS_DIR become artifacts named after the file (docs/pipeline.md#the-job-contract-of-runtime-shell). */
export function artifactName(file: string): string {
  const base = basename(file);
  return base.slice(0, base.length - extname(base).length) || base;
}

async function download(url: string, target: string): Promise<void> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`GET ${url}: ${res.status}`);
  await writeFile(target, Buffer.from(await res.arrayBuffer()));
}

function untar(archive: string, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', ['-xzf', archive, '-C', dir, '--strip-components=1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tar exited ${code}: ${err.trim()}`))));
  });
}

class PreparationError extends Error {}

export class RuntimeShell {
  constructor(private readonly ctx: ServiceContext) {}

  get jobsDir(): string {
    return join(this.ctx.config.workDir, this.ctx.instance, 'jobs');
  }

  /** Leftovers from crashed runs are removed at startup (docs/pipeline.md#the-job-contract-of-runtime-shell). */
  async cleanLeftovers(): Promise<void> {
    await rm(this.jobsDir, { recursive: true, force: true });
    await mkdir(this.jobsDir, { recursive: true });
  }

  /** Payload check before any read (sdk/README.md#events-delivery-guarantees): shell runtime and a configured job name. */
  wants(delivery: Delivery): boolean {
    const p = delivery.payload;
    return p.data?.runtime === 'shell' && p.name !== undefined && Object.prototype.hasOwnProperty.call(this.ctx.config.jobs, p.name);
  }

  async handle(delivery: Delivery): Promise<void> {
    if (!this.wants(delivery)) return;
    const node = await delivery.node();
    if (node.state !== 'running') {
      this.ctx.log.info('node no longer running; nothing to do', { action: 'job.skipped-done', node: node.id, state: node.state, sequence: delivery.sequence });
      return;
    }
    await this.run(node, this.ctx.config.jobs[node.name]!);
    this.ctx.crash('runtime-shell:after-submit-before-ack');
  }

  /**
   * The `job_result` event of a finished job. `is_infra_error` follows job-retry's list of
   * infrastructure error codes (`job_retry.error_codes`), so what is retried is what counts as the
   * lab's fault in `/telemetry/stats` and `/telemetry/anomalies`.
   */
  #reportResult(node: MaestroNode, job: JobConfig, jobId: string, result: NodeResult, error?: { code: string; msg: string }): void {
    this.ctx.maestro.telemetry.add({
      kind: 'job_result',
      runtime: SHELL_RUNTIME,
      device_type: SHELL_RUNTIME,
      job_name: job.name,
      job_id: jobId,
      node_id: node.id,
      result,
      is_infra_error: error !== undefined && this.ctx.config.jobRetry.errorCodes.includes(error.code),
      error_type: error?.code ?? null,
      error_msg: error?.msg ?? null,
      retry: node.retry_counter ?? 0,
    });
  }

  async run(node: MaestroNode, job: JobConfig): Promise<void> {
    const { maestro, log, config, crash } = this.ctx;
    const jobId = `${this.ctx.instance}:${process.pid}`;
    await maestro.nodes.patch(node.id, { data: { job_id: jobId } }, { expect: { state: 'running' } });
    if ((node.retry_counter ?? 0) === 0 && this.ctx.injectInfraFailure?.includes(job.name)) {
      log.warn('injected infrastructure failure', { action: 'job.injected-failure', node: node.id, job: job.name });
      const errorMsg = 'injected infrastructure failure (PIPELINE_INJECT_INFRA_FAILURE)';
      await maestro.nodes.setState(node.id, 'done', { result: 'incomplete', errorCode: 'Infrastructure', errorMsg, expect: { state: 'running' } });
      this.#reportResult(node, job, jobId, 'incomplete', { code: 'Infrastructure', msg: errorMsg });
      return;
    }
    const work = join(this.jobsDir, node.id);
    const src = join(work, 'src');
    const artifactsDir = join(work, 'artifacts');
    const logFile = join(work, 'log.txt');
    const resultsFile = join(work, 'results.json');
    const publishDir = join(config.storage.root, 'jobs', node.id);
    const publicUrl = (name: string) => `${config.storage.url}/jobs/${node.id}/${name.split('/').map(encodeURIComponent).join('/')}`;
    const logArtifact = job.kind === 'kbuild' ? 'build_log' : 'log';
    await rm(work, { recursive: true, force: true });
    await mkdir(src, { recursive: true });
    await mkdir(artifactsDir, { recursive: true });
    await mkdir(publishDir, { recursive: true });

    try {
      const tarball = await maestro.nodes.findArtifact(node, 'tarball');
      if (!tarball) throw new PreparationError('no tarball artifact on the node or its ancestors');
      const archive = join(work, 'source.tar.gz');
      await download(tarball.url, archive).catch((err: Error) => {
        throw new PreparationError(`cannot download the source: ${err.message}`);
      });
      await untar(archive, src).catch((err: Error) => {
        throw new PreparationError(`cannot unpack the source: ${err.message}`);
      });
    } catch (err) {
      const errorCode = job.kind === 'kbuild' ? 'kbuild_internal_error' : 'job_generation_error';
      log.warn('job preparation failed', { action: 'job.preparation-failed', node: node.id, error: err });
      const errorMsg = (err as Error).message.slice(0, 500);
      await maestro.nodes.setState(node.id, 'done', { result: 'incomplete', errorCode, errorMsg, expect: { state: 'running' } });
      this.#reportResult(node, job, jobId, 'incomplete', { code: errorCode, msg: errorMsg });
      await rm(work, { recursive: true, force: true });
      return;
    }

    const timeoutMs = Math.min(job.timeoutMs, msUntil(node.timeout) - NODE_TIMEOUT_MARGIN_MS);
    log.info('job started', { action: 'job.started', node: node.id, job: job.name, timeout_ms: timeoutMs });
    const outcome = await runCommand(job.command, {
      cwd: src,
      logFile,
      timeoutMs,
      env: {
        ...process.env,
        MAESTRO_NODE_ID: node.id,
        MAESTRO_API_URL: config.apiUrl,
        MAESTRO_SRC: src,
        MAESTRO_ARTIFACTS_DIR: artifactsDir,
        MAESTRO_RESULTS_FILE: resultsFile,
      },
    });
    crash('runtime-shell:after-command-before-submit');

    // Publish the log and every file the job left in MAESTRO_ARTIFACTS_DIR (docs/pipeline.md#the-job-contract-of-runtime-shell step 4).
    const artifacts: Record<string, string> = {};
    await copyFile(logFile, join(publishDir, 'log.txt'));
    artifacts[logArtifact] = publicUrl('log.txt');
    for (const file of (await readdir(artifactsDir)).sort()) {
      if (!(await stat(join(artifactsDir, file))).isFile()) continue;
      await copyFile(join(artifactsDir, file), join(publishDir, file));
      artifacts[artifactName(file)] ??= publicUrl(file);
    }

    const tree: ResultEntry = { name: node.name, suites: [], cases: [] };
    let resultsError: string | undefined;
    try {
      if (job.results === 'tap') tree.cases = parseTap(outcome.stdout);
      if (job.results === 'json' && !outcome.timedOut) {
        const parsed = parseJsonResults(JSON.parse(await readFile(resultsFile, 'utf8')));
        tree.suites = parsed.suites;
        for (const { path, log: text } of parsed.logs) {
          const rel = `cases/${path.join('/')}.txt`;
          await mkdir(join(publishDir, 'cases', ...path.slice(0, -1)), { recursive: true });
          await writeFile(join(publishDir, rel), text);
          attachCaseLog(tree, path, publicUrl(rel));
        }
      }
    } catch (err) {
      resultsError = `cannot read results: ${(err as Error).message}`;
      tree.suites = [];
      tree.cases = [];
    }

    const children = [...(tree.suites ?? []), ...(tree.cases ?? [])];
    let result: NodeResult;
    let state: 'done' | 'available' = 'done';
    const data: Record<string, unknown> = { misc: { exit_code: outcome.exitCode, ...(outcome.signal ? { signal: outcome.signal } : {}) } };
    if (outcome.timedOut) {
      result = 'incomplete';
      data.error_code = 'node_timeout';
      data.error_msg = `killed after ${timeoutMs} ms`;
    } else if (resultsError) {
      result = 'incomplete';
      data.error_code = job.kind === 'kbuild' ? 'kbuild_internal_error' : 'job_generation_error';
      data.error_msg = resultsError.slice(0, 500);
    } else if (children.length > 0) {
      result = evaluateSuiteResult(children.map((c) => ({ result: entryResult(c) }))) ?? (outcome.exitCode === 0 ? 'pass' : 'fail');
    } else {
      result = outcome.exitCode === 0 ? 'pass' : 'fail';
    }
    if (job.kind === 'kbuild' && result === 'pass') state = 'available';

    const { nodes } = await maestro.nodes.submitResults(node.id, tree, {
      state,
      result,
      ...(state === 'available' ? { holdoff: job.holdoffMs } : {}),
      data,
      artifacts,
    });
    this.#reportResult(node, job, jobId, result, typeof data.error_code === 'string' ? { code: data.error_code, msg: String(data.error_msg ?? '') } : undefined);
    log.info('results submitted', { action: 'results.submitted', node: node.id, job: job.name, state, result, nodes: nodes.length, exit_code: outcome.exitCode, timed_out: outcome.timedOut });
    await rm(work, { recursive: true, force: true });
  }
}

/** Sets the `log` artifact of the case at `path` (suite names…, case name). */
function attachCaseLog(tree: ResultEntry, path: string[], url: string): void {
  let level: ResultEntry = tree;
  for (const name of path.slice(0, -1)) {
    const next = level.suites?.find((s) => s.name === name);
    if (!next) return;
    level = next;
  }
  const c = level.cases?.find((x) => x.name === path[path.length - 1]);
  if (c) c.artifacts = { ...(c.artifacts ?? {}), log: url };
}

export async function startRuntimeShell(ctx: ServiceContext): Promise<RunningService> {
  const runtime = new RuntimeShell(ctx);
  await runtime.cleanLeftovers();
  return consumeEvents(
    ctx,
    { filter: { op: 'created', kind: ['kbuild', 'job'], state: 'running' }, concurrency: ctx.config.runtimeShell.concurrency },
    (d) => runtime.handle(d),
  );
}
