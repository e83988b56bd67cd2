/**
 * Git through its command-line tool, with no network beyond what the configured URL names
 * (`file://` when offline, docs/pipeline.md). Each service instance keeps its own bare clone so that two
 * services never fetch into the same repository at once.
 */
import { execFile, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

export class GitError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

// Git must never prompt, read the user's config for remote helpers, or look for tags on a network.
const GIT_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };

export function git(args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new GitError(`git ${args.join(' ')} failed: ${stderr.trim() || err.message}`, stderr));
      else resolve(stdout);
    });
  });
}

/** Creates the bare mirror on first use, then fetches branches and tags with `--prune` (docs/pipeline.md#services). */
export async function updateMirror(dir: string, url: string): Promise<void> {
  if (!existsSync(`${dir}/HEAD`)) {
    mkdirSync(dirname(dir), { recursive: true });
    const tmp = `${dir}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await git(['clone', '--quiet', '--bare', '--no-tags', url, tmp]);
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  }
  await git(['fetch', '--quiet', '--prune', '--force', url, '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'], dir);
}

export async function revParse(dir: string, ref: string): Promise<string | null> {
  try {
    return (await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], dir)).trim() || null;
  } catch {
    return null;
  }
}

/** First-parent history from `head`, newest first, at most `max` commits (docs/pipeline.md#services step 3). */
export async function firstParentHistory(dir: string, head: string, max: number): Promise<string[]> {
  const out = await git(['rev-list', '--first-parent', `--max-count=${max}`, head], dir);
  return out.split('\n').filter(Boolean);
}

export interface CommitInfo {
  describe: string;
  tags: string[];
  subject: string;
}

export async function commitInfo(dir: string, sha: string): Promise<CommitInfo> {
  const [describe, tags, subject] = await Promise.all([
    git(['describe', '--tags', '--always', sha], dir),
    git(['tag', '--points-at', sha], dir),
    git(['log', '-1', '--format=%s', sha], dir),
  ]);
  return { describe: describe.trim(), tags: tags.split('\n').filter(Boolean).sort(), subject: subject.trim() };
}

/** KernelCI's version fields, parsed from a `vMAJOR.MINOR[.SUB]` describe prefix; null without one (docs/pipeline.md#services). */
export function parseVersion(describe: string): { version: number; patchlevel: number; sublevel?: number; extra: string } | null {
  const m = /^v(\d+)\.(\d+)(?:\.(\d+))?(.*)$/.exec(describe);
  if (!m) return null;
  return {
    version: Number(m[1]),
    patchlevel: Number(m[2]),
    ...(m[3] !== undefined ? { sublevel: Number(m[3]) } : {}),
    extra: m[4] ?? '',
  };
}

/**
 * `git archive --format=tar --prefix=<prefix>/ <sha> | gzip -n` into `target`, through a temporary
 * file and a rename so a reader never sees half an archive (docs/pipeline.md#services step 3). gzip runs in-process with
 * no name or time in its header, so the same commit always gives the same bytes.
 */
export async function archive(dir: string, sha: string, prefix: string, target: string): Promise<void> {
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  const child = spawn('git', ['archive', '--format=tar', `--prefix=${prefix}/`, sha], { cwd: dir, env: { ...process.env, ...GIT_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  try {
    await pipeline(child.stdout, createGzip(), createWriteStream(tmp));
    const code = await exited;
    if (code !== 0) throw new GitError(`git archive ${sha} failed: ${stderr.trim()}`, stderr);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** A patch that `git apply` refused; `index` is its position in the series (0-based). */
export class PatchError extends Error {
  constructor(
    readonly index: number,
    readonly stderr: string,
  ) {
    super(`patch ${index + 1} does not apply: ${stderr.trim().split('\n').slice(0, 5).join('; ')}`);
    this.name = 'PatchError';
  }
}

/**
 * Applies `patchFiles` in order to `sha`'s tree in a temporary index of the bare repository `dir`
 * (`git apply --cached`: no checkout), and archives the resulting tree like `archive`. The same
 * commit and patches always give the same bytes.
 */
export async function archivePatched(dir: string, sha: string, patchFiles: string[], prefix: string, target: string): Promise<void> {
  const index = `${target}.index-${process.pid}`;
  const withIndex = (args: string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV, GIT_INDEX_FILE: index }, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
        err ? reject(new GitError(`git ${args.join(' ')} failed: ${stderr.trim() || err.message}`, stderr)) : resolve(stdout),
      );
    });
  mkdirSync(dirname(target), { recursive: true });
  try {
    await withIndex(['read-tree', sha]);
    for (const [i, file] of patchFiles.entries()) {
      await withIndex(['apply', '--cached', file]).catch((err: GitError) => {
        throw new PatchError(i, err.stderr || err.message);
      });
    }
    const tree = (await withIndex(['write-tree'])).trim();
    await archive(dir, tree, prefix, target);
  } finally {
    await rm(index, { force: true });
  }
}
