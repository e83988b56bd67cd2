/**
 * pipeline-api: KernelCI's pipeline HTTP API for kernel developers, the routes kci-dev's
 * `checkout`, `testretry`, `patchset` and `bisect` commands call (KernelCI serves them from
 * kernelci-pipeline's `lava_callback.py`), on fastify:
 *
 * - `POST /api/checkout`  `{url, branch, commit?, jobfilter?, platformfilter?}` or `{nodeid, commit}`
 * - `POST /api/jobretry`  `{nodeid}`
 * - `POST /api/patchset`  `{nodeid, patch?: [text…], patchurl?: [url…], jobfilter?, platformfilter?}`
 *
 * Answers are KernelCI's: `200 {"message": "OK", "node": {…}}`, errors `{"message": …}` (with the
 * same text under `detail`, the API's error shape). The caller's token comes in `Authorization`
 * as kci-dev sends it (no `Bearer`, though one is accepted): a Maestro API token or access token,
 * verified with `whoami` against the API and cached for `pipeline_api.whoami_cache`;
 * `pipeline_api.allow` names the users and groups that may use each route. Nodes are created with
 * the pipeline's own token and record the caller as `submitter: "user:<username>"`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { isLoopbackHost, type ApiPermission, type BuildConfig, type PipelineApiConfig } from '../config';
import { revParse, updateMirror } from '../git';
import type { MaestroNode } from '../maestro';
import { kernelRevision, type RunningService, type ServiceContext } from '../service';
import { Scheduler } from './scheduler';

/** Platforms the shell runtime offers (`platformfilter` values). */
export const PLATFORMS = ['shell'] as const;
/** KernelCI's limits on filters, and kci-dev's on inline patches. */
export const MAX_FILTER_ITEMS = 8;
export const MAX_PATCHES = 32;
export const MAX_PATCH_BYTES = 10 * 1024 * 1024;

/** A refusal with its status; the message goes to the caller. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Route = keyof PipelineApiConfig['allow'];
type Body = Record<string, unknown>;

export interface Caller {
  username: string;
  groups: string[];
}

/** Users and groups of `allow.<route>`: either names the caller. */
export function permits(permission: ApiPermission, caller: Caller): boolean {
  return permission.users.includes(caller.username) || caller.groups.some((g) => permission.groups.includes(g));
}

const isHexCommit = (s: unknown): s is string => typeof s === 'string' && /^[0-9a-f]{7,40}$/.test(s);

function optionalList(body: Body, key: string): string[] | null {
  const v = body[key];
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || !v.every((i) => typeof i === 'string' && i.length > 0)) throw new ApiError(422, `${key} must be a list of strings`);
  return v.length ? (v as string[]) : null;
}

/** The node the SDK returns, as KernelCI's `node` answer field. */
type NodeAnswer = MaestroNode;

export class PipelineApi {
  readonly #cache = new Map<string, { caller: Caller; expires: number }>();
  readonly #scheduler: Scheduler;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly now: () => number = Date.now,
  ) {
    this.#scheduler = new Scheduler(ctx);
  }

  get config(): PipelineApiConfig {
    return this.ctx.config.pipelineApi!;
  }

  /** Verifies the token (401) and the caller's right to `route` (403). */
  async authorize(header: string | undefined, route: Route): Promise<Caller> {
    const token = header?.replace(/^Bearer\s+/i, '').trim();
    if (!token) throw new ApiError(401, 'Unauthorized: no token in the Authorization header');
    const hash = createHash('sha256').update(token).digest('hex');
    let caller = this.#cache.get(hash);
    if (!caller || caller.expires <= this.now()) {
      this.#cache.delete(hash);
      let user: Caller;
      try {
        user = await this.ctx.maestro.users.whoamiWithToken(token);
      } catch (err) {
        const status = (err as { status?: number }).status;
        if (status === 401 || status === 403) throw new ApiError(401, 'Unauthorized: the API does not accept this token');
        this.ctx.log.warn('cannot verify a token', { action: 'api.verify-failed', error: err });
        throw new ApiError(503, 'cannot verify the token: the API is unavailable');
      }
      caller = { caller: user, expires: this.now() + this.config.whoamiCacheMs };
      this.#cache.set(hash, caller);
    }
    if (!permits(this.config.allow[route], caller.caller)) throw new ApiError(403, `Forbidden: user ${caller.caller.username} may not use ${route}`);
    return caller.caller;
  }

  async getNode(id: unknown): Promise<MaestroNode> {
    if (typeof id !== 'string' || !/^[0-9a-f]{24}$/.test(id)) throw new ApiError(422, 'nodeid must be a node id (24 hex digits)');
    try {
      return await this.ctx.maestro.nodes.get(id);
    } catch (err) {
      if ((err as { status?: number }).status === 404) throw new ApiError(404, 'Node not found');
      throw err;
    }
  }

  /** KernelCI's checks of `jobfilter` and `platformfilter`: at most 8 names, each configured. */
  filters(body: Body): { jobfilter: string[] | null; platformFilter: string[] | null } {
    const jobfilter = optionalList(body, 'jobfilter');
    const platformFilter = optionalList(body, 'platformfilter');
    if (jobfilter && jobfilter.length > MAX_FILTER_ITEMS) throw new ApiError(400, 'Too many jobs in jobfilter');
    for (const job of jobfilter ?? []) if (!this.ctx.config.jobs[job]) throw new ApiError(404, `Job ${job} not found`);
    if (platformFilter && platformFilter.length > MAX_FILTER_ITEMS) throw new ApiError(400, 'Too many platforms in platformfilter');
    for (const p of platformFilter ?? []) if (!(PLATFORMS as readonly string[]).includes(p)) throw new ApiError(404, `Platform ${p} not found`);
    return { jobfilter, platformFilter };
  }

  /** The build config of a tree URL (as configured, or its `file://` form) and branch. */
  findBuildConfig(url: string, branch: string): { tree: string; url: string; bc: BuildConfig } | null {
    for (const [name, tree] of Object.entries(this.ctx.config.trees)) {
      if (tree.url !== url && tree.fetchUrl !== url) continue;
      const bc = this.ctx.config.buildConfigs.find((b) => b.tree === name && b.branch === branch);
      if (bc) return { tree: name, url: tree.fetchUrl, bc };
    }
    return null;
  }

  /** Creates a node under `key` (the request's `Idempotency-Key`, or a fresh one). */
  async create(input: Parameters<ServiceContext['maestro']['nodes']['ensure']>[0], namespace: string, caller: Caller, idempotencyKey: string | undefined) {
    const key = await this.ctx.maestro.deriveKey(namespace, caller.username, idempotencyKey ?? randomUUID());
    return this.ctx.maestro.nodes.ensure(input, { key });
  }

  async checkout(body: Body, caller: Caller, idempotencyKey?: string): Promise<NodeAnswer> {
    let treeName: string;
    let url: string;
    let branch: string;
    let bc: BuildConfig | undefined;
    const filters = this.filters(body);
    const platformFilter = filters.platformFilter;
    let jobfilter = filters.jobfilter;
    let commit = body.commit;
    if (body.nodeid !== undefined && body.nodeid !== null) {
      // KernelCI's form: the tree of an existing node, at another commit, with the node's jobs.
      if (!isHexCommit(commit)) throw new ApiError(400, 'Invalid commit format');
      const node = await this.getNode(body.nodeid);
      const kr = kernelRevision(node.data);
      if (typeof kr.tree !== 'string' || typeof kr.url !== 'string' || typeof kr.branch !== 'string') throw new ApiError(400, 'Node does not have kernel revision data');
      treeName = kr.tree;
      url = kr.url;
      branch = kr.branch;
      bc = this.ctx.config.buildConfigs.find((b) => b.tree === treeName && b.branch === branch);
      jobfilter ??= await this.jobfilterOf(node);
    } else {
      if (typeof body.url !== 'string' || !body.url || typeof body.branch !== 'string' || !body.branch) throw new ApiError(400, 'Missing tree URL, branch or commit');
      const found = this.findBuildConfig(body.url, body.branch);
      if (!found) throw new ApiError(404, 'Tree not found');
      ({ tree: treeName, url, bc } = found);
      branch = body.branch;
      if (commit === undefined || commit === null || commit === '') commit = await this.tipOf(treeName, url, branch);
      else if (!isHexCommit(commit)) throw new ApiError(400, 'Invalid commit format');
    }
    if (!bc) throw new ApiError(404, 'Tree not found');
    const sha = commit as string;
    const { node, created } = await this.create(
      {
        kind: 'checkout',
        name: 'checkout',
        path: ['checkout'],
        data: { kernel_revision: { tree: treeName, url, branch, commit: sha } },
        treeid: createHash('sha256').update(`${url}\n${branch}\n${sha}\n${randomUUID()}`).digest('hex'),
        submitter: `user:${caller.username}`,
        ...(jobfilter ? { jobfilter } : {}),
        ...(platformFilter ? { platform_filter: platformFilter } : {}),
        timeout: new Date(this.now() + bc.checkoutTimeoutMs),
      },
      'api-checkout',
      caller,
      idempotencyKey,
    );
    this.ctx.log.info('custom checkout', { action: created ? 'api.checkout' : 'api.checkout-exists', node: node.id, user: caller.username, tree: treeName, branch, commit: sha, jobfilter });
    return node;
  }

  /** KernelCI's jobfilter for a node: its kbuild's name and its job's name. */
  async jobfilterOf(node: MaestroNode): Promise<string[] | null> {
    const chain: MaestroNode[] = [];
    for (let n: MaestroNode | null = node, i = 0; n && i < 32; i++) {
      chain.push(n);
      n = n.parent ? await this.ctx.maestro.nodes.get(n.parent) : null;
    }
    const kbuild = chain.find((n) => n.kind === 'kbuild');
    const job = chain.find((n) => n.kind === 'job' && this.ctx.config.jobs[n.name]?.kind === 'job');
    return kbuild && job ? [kbuild.name, job.name] : null;
  }

  async tipOf(tree: string, url: string, branch: string): Promise<string> {
    const mirror = join(this.ctx.config.workDir, this.ctx.instance, 'git', `${tree}.git`);
    await updateMirror(mirror, url);
    const tip = await revParse(mirror, `refs/heads/${branch}`);
    if (!tip) throw new ApiError(404, `Branch ${branch} not found`);
    return tip;
  }

  /**
   * Re-submits a job on the same kbuild as a new node with `retry_counter` + 1. Two identical
   * requests are deduplicated: the retry's key is the one job-retry uses for that level, so the
   * second request (or an automatic retry) answers with the same node and `"duplicate": true`.
   */
  async jobretry(body: Body, caller: Caller): Promise<{ node: NodeAnswer; duplicate: boolean }> {
    let node = await this.getNode(body.nodeid);
    if (node.kind !== 'job') throw new ApiError(400, 'Node is not a job');
    // A suite of a job's results: retry the job it belongs to.
    while (!this.isScheduledJob(node) && node.parent) node = await this.ctx.maestro.nodes.get(node.parent);
    if (!this.isScheduledJob(node)) throw new ApiError(400, 'Node is not a job of this pipeline');
    if (node.state !== 'done') throw new ApiError(409, 'Job is not done yet');
    const kbuild = node.parent ? await this.ctx.maestro.nodes.get(node.parent) : null;
    if (!kbuild || kbuild.kind !== 'kbuild') throw new ApiError(404, 'Kernel build not found');
    if (kbuild.result !== 'pass') throw new ApiError(400, 'Kernel build result is not pass');
    const { node: retry, created } = await this.#scheduler.createJob(kbuild, this.ctx.config.jobs[node.name]!, null, {
      retryCounter: (node.retry_counter ?? 0) + 1,
      submitter: `user:${caller.username}`,
      retryOf: node.id,
    });
    this.ctx.log.info('job retry', { action: created ? 'api.jobretry' : 'api.jobretry-duplicate', node: retry.id, retry_of: node.id, user: caller.username });
    return { node: retry, duplicate: !created };
  }

  isScheduledJob(node: MaestroNode): boolean {
    return node.kind === 'job' && node.data?.runtime === 'shell' && this.ctx.config.jobs[node.name]?.kind === 'job';
  }

  async patchset(body: Body, caller: Caller, idempotencyKey?: string): Promise<NodeAnswer> {
    const checkout = await this.getNode(body.nodeid);
    if (checkout.kind !== 'checkout') throw new ApiError(400, 'Node is not a checkout');
    const kr = kernelRevision(checkout.data);
    const bc = this.ctx.config.buildConfigs.find((b) => b.tree === kr.tree && b.branch === kr.branch);
    if (!bc || typeof kr.commit !== 'string') throw new ApiError(400, 'Node does not have kernel revision data of a configured tree');
    const { jobfilter, platformFilter } = this.filters(body);
    const texts = await this.patchTexts(body);
    // Stored on `storage`, where the tarball service downloads them from, under a content hash.
    const digest = createHash('sha256').update(texts.join('\0')).digest('hex');
    const dir = join(this.ctx.config.storage.root, 'patches', digest.slice(0, 32));
    await mkdir(dir, { recursive: true });
    const artifacts: Record<string, string> = {};
    for (const [i, text] of texts.entries()) {
      await writeFile(join(dir, `patch${i}.patch`), text);
      artifacts[`patch${i}`] = `${this.ctx.config.storage.url}/patches/${digest.slice(0, 32)}/patch${i}.patch`;
    }
    const { node } = await this.create(
      {
        kind: 'checkout',
        name: 'patchset',
        path: ['checkout', 'patchset'],
        group: 'patchset',
        parent: checkout.id,
        data: { kernel_revision: { tree: kr.tree, url: kr.url, branch: kr.branch, commit: kr.commit, patchset: digest } },
        artifacts,
        treeid: createHash('sha256').update(`${String(kr.url)}\n${String(kr.branch)}\n${digest}\n${randomUUID()}`).digest('hex'),
        submitter: `user:${caller.username}`,
        ...(jobfilter ? { jobfilter } : {}),
        ...(platformFilter ? { platform_filter: platformFilter } : {}),
        timeout: new Date(this.now() + bc.checkoutTimeoutMs),
      },
      'api-patchset',
      caller,
      idempotencyKey,
    );
    this.ctx.log.info('patchset', { action: 'api.patchset', node: node.id, checkout: checkout.id, patches: texts.length, user: caller.username });
    return node;
  }

  /** The patches of a request: inline texts, or URLs fetched now (loopback only when offline). */
  async patchTexts(body: Body): Promise<string[]> {
    const inline = optionalList(body, 'patch');
    const urls = optionalList(body, 'patchurl');
    if (inline && urls) throw new ApiError(400, 'patch and patchurl are mutually exclusive');
    if (!inline && !urls) throw new ApiError(400, 'Missing patch URL or patch');
    const items = (inline ?? urls)!;
    if (items.length > MAX_PATCHES) throw new ApiError(400, `Too many patches (maximum ${MAX_PATCHES})`);
    const texts: string[] = [];
    for (const item of items) {
      let text = item;
      if (urls) {
        let url: URL;
        try {
          url = new URL(item);
        } catch {
          throw new ApiError(400, 'Invalid patch URL');
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ApiError(400, 'Invalid patch URL');
        if (this.ctx.config.offline && !isLoopbackHost(url.hostname)) throw new ApiError(400, `Invalid patch URL: offline: true forbids ${url.hostname}`);
        const res = await fetch(url).catch(() => null);
        if (!res || !res.ok) throw new ApiError(400, 'Invalid patch URL');
        text = await res.text();
      }
      if (Buffer.byteLength(text) > MAX_PATCH_BYTES) throw new ApiError(413, `Patch too large (maximum ${MAX_PATCH_BYTES} bytes)`);
      if (text.includes('\0')) throw new ApiError(400, 'Binary content not allowed in a patch');
      texts.push(text);
    }
    return texts;
  }
}

export interface PipelineApiServer extends RunningService {
  port: number;
}

export async function startPipelineApi(ctx: ServiceContext, listen?: { port: number }): Promise<PipelineApiServer> {
  const config = ctx.config.pipelineApi;
  if (!config) throw new Error('the pipeline-api service needs a `pipeline_api` section in the configuration');
  const api = new PipelineApi(ctx);
  const app = Fastify({ logger: false, bodyLimit: MAX_PATCHES * MAX_PATCH_BYTES + 1024 * 1024 });
  const answer = (reply: FastifyReply, status: number, message: string) => reply.code(status).send({ message, detail: message });
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    if (err instanceof ApiError) return answer(reply, err.status, err.message);
    // fastify's own: malformed JSON, wrong content type, oversized body.
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return answer(reply, err.statusCode, err.message);
    ctx.log.error('request failed', { action: 'api.error', error: err });
    return answer(reply, 500, 'Internal error');
  });
  const route = (name: Route, handle: (body: Body, caller: Caller, req: FastifyRequest) => Promise<Record<string, unknown>>) =>
    app.post(`/api/${name}`, async (req, reply) => {
      const caller = await api.authorize(req.headers.authorization, name);
      if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) throw new ApiError(422, 'the body must be a JSON object');
      return reply.code(200).send({ message: 'OK', ...(await handle(req.body as Body, caller, req)) });
    });
  const idem = (req: FastifyRequest) => (typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined);
  route('checkout', async (body, caller, req) => ({ node: await api.checkout(body, caller, idem(req)) }));
  route('jobretry', async (body, caller) => {
    const { node, duplicate } = await api.jobretry(body, caller);
    return { node, duplicate };
  });
  route('patchset', async (body, caller, req) => ({ node: await api.patchset(body, caller, idem(req)) }));

  const url = new URL(config.url);
  const port = listen?.port ?? Number(url.port || 80);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  await app.listen({ port, host });
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  ctx.log.info('listening', { action: 'api.listening', url: `http://${host}:${bound}` });
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  return {
    port: bound,
    done,
    stop: async () => {
      await app.close();
      resolveDone();
    },
  };
}
