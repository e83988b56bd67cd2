/**
 * The pipeline configuration: one YAML file, a subset of KernelCI's pipeline configuration,
 * validated completely at start-up so a mistake stops the service with a clear message instead of
 * surfacing later as a missing job. Unknown keys are errors (docs/pipeline.md#configuration), and with `offline: true` no URL
 * may leave the machine (docs/pipeline.md).
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';

export interface TreeConfig {
  /** As written in the file. */
  url: string;
  /** `file://` URL of a local repository, or the remote URL (only when not offline). */
  fetchUrl: string;
}

export interface BuildConfig {
  name: string;
  tree: string;
  branch: string;
  initialBackfill: number;
  checkoutTimeoutMs: number;
  holdoffMs: number;
}

export interface AllowDeny {
  allow: string[];
  deny: string[];
}

export interface JobConfig {
  name: string;
  kind: 'kbuild' | 'job';
  command: string;
  timeoutMs: number;
  holdoffMs: number;
  results: 'tap' | 'json' | null;
  params: Record<string, string>;
  rules: { tree?: AllowDeny; branch?: AllowDeny };
}

export interface SchedulerEntry {
  job: string;
  channel: string;
  /** Every `event` key except `channel`, matched against the payload field of that name (docs/pipeline.md#services). */
  match: Record<string, string>;
  runtime: 'shell';
}

/** `job_retry`: which `incomplete` endings are re-submitted, and how often (docs/pipeline.md). */
export interface JobRetryConfig {
  maxRetries: number;
  errorCodes: string[];
}

/** One recipient list of `email.lists`. */
export interface EmailList {
  name: string;
  to: string[];
  tree?: string;
  branch?: string;
}

export interface EmailConfig {
  from: string;
  /** Absent: messages are written as `.eml` files to `outbox` instead of sent. */
  smtp: { host: string; port: number; secure: boolean; user?: string; password?: string } | null;
  outbox: string;
  /** How long the email service waits for the regression tracker to finish a checkout. */
  waitForRegressionsMs: number;
  lists: EmailList[];
}

/** Who may call a pipeline-api route: usernames and group names. */
export interface ApiPermission {
  users: string[];
  groups: string[];
}

export interface PipelineApiConfig {
  url: string;
  whoamiCacheMs: number;
  allow: { checkout: ApiPermission; jobretry: ApiPermission; patchset: ApiPermission };
}

export const DEFAULT_RETRY_ERROR_CODES = ['Infrastructure', 'submit_error', 'job_generation_error', 'kbuild_internal_error'];

export interface PipelineConfig {
  offline: boolean;
  /** Directory of the config file; relative paths are resolved against it. */
  baseDir: string;
  apiUrl: string;
  storage: { root: string; url: string };
  /** Bare clones and job work directories, per service instance. */
  workDir: string;
  trees: Record<string, TreeConfig>;
  buildConfigs: BuildConfig[];
  jobs: Record<string, JobConfig>;
  scheduler: SchedulerEntry[];
  trigger: { pollIntervalMs: number };
  runtimeShell: { concurrency: number };
  jobRetry: JobRetryConfig;
  email: EmailConfig | null;
  pipelineApi: PipelineApiConfig | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid pipeline configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const DURATION_RE = /^(\d+)(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** Parses `<n>(ms|s|m|h)` (docs/pipeline.md#configuration); anything else, including a bare number, is rejected. */
export function parseDuration(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = DURATION_RE.exec(value.trim());
  if (!m) return null;
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

const LOOPBACK_HOSTS = new Set(['localhost', '::1', '[::1]']);

/** True for `localhost`, `::1` and any address in 127.0.0.0/8. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return LOOPBACK_HOSTS.has(h) || /^127(\.\d{1,3}){3}$/.test(h);
}

/** KernelCI's allow/deny list: `name` allows, `!name` denies (docs/pipeline.md#configuration). */
export function parseAllowDeny(value: unknown): AllowDeny | null {
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items) || !items.every((i) => typeof i === 'string' && i.length > 0)) return null;
  const allow: string[] = [];
  const deny: string[] = [];
  for (const item of items as string[]) (item.startsWith('!') ? deny : allow).push(item.replace(/^!/, ''));
  return { allow, deny };
}

/** A value passes when it is not denied and, if any name is allowed, it is one of them. */
export function passesAllowDeny(rule: AllowDeny | undefined, value: string | undefined): boolean {
  if (!rule) return true;
  if (value !== undefined && rule.deny.includes(value)) return false;
  return rule.allow.length === 0 || (value !== undefined && rule.allow.includes(value));
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates a parsed document; `baseDir` resolves relative paths. */
export function validateConfig(doc: unknown, baseDir: string): PipelineConfig {
  const problems: string[] = [];
  const fail = (msg: string) => problems.push(msg);
  const keys = (o: Obj, where: string, allowed: string[]) => {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(`${where}: unknown key '${k}'`);
  };
  const obj = (v: unknown, where: string): Obj => {
    if (v === undefined) return {};
    if (!isObj(v)) {
      fail(`${where}: must be a mapping`);
      return {};
    }
    return v;
  };
  const str = (v: unknown, where: string, required = true): string | undefined => {
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v.length === 0) {
      fail(`${where}: must be a non-empty string`);
      return undefined;
    }
    return v;
  };
  const duration = (v: unknown, where: string, fallback?: number): number => {
    if (v === undefined && fallback !== undefined) return fallback;
    const ms = parseDuration(v);
    if (ms === null) {
      fail(`${where}: duration must be written as <n>(ms|s|m|h), got ${JSON.stringify(v)}`);
      return 0;
    }
    return ms;
  };

  if (!isObj(doc)) throw new ConfigError(['the file must contain a YAML mapping']);
  keys(doc, 'config', ['offline', 'api', 'storage', 'work_dir', 'trees', 'build_configs', 'jobs', 'scheduler', 'trigger', 'runtime_shell', 'job_retry', 'email', 'pipeline_api']);
  if (doc.offline !== undefined && typeof doc.offline !== 'boolean') fail('offline: must be true or false');
  const offline = doc.offline === true;

  const checkHttpUrl = (v: string | undefined, where: string): string => {
    if (v === undefined) return '';
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      fail(`${where}: not a URL: ${v}`);
      return v;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(`${where}: must be an http(s) URL`);
    else if (offline && !isLoopbackHost(url.hostname)) fail(`${where}: offline: true forbids the non-loopback host '${url.hostname}'`);
    return v.replace(/\/+$/, '');
  };

  const api = obj(doc.api, 'api');
  keys(api, 'api', ['url']);
  const apiUrl = checkHttpUrl(str(api.url, 'api.url'), 'api.url');

  const storage = obj(doc.storage, 'storage');
  keys(storage, 'storage', ['root', 'url']);
  const storageRoot = str(storage.root, 'storage.root');
  const storageUrl = checkHttpUrl(str(storage.url, 'storage.url'), 'storage.url');
  if (storageUrl) {
    try {
      // Artifacts must be loopback HTTP whatever `offline` says: the storage server binds 127.0.0.1 (docs/pipeline.md#services).
      if (!isLoopbackHost(new URL(storageUrl).hostname)) fail('storage.url: the storage service serves loopback only; use http://127.0.0.1:<port>');
    } catch {
      /* reported by checkHttpUrl */
    }
  }
  const workDirRaw = doc.work_dir === undefined ? './var/work' : str(doc.work_dir, 'work_dir');

  const trees: Record<string, TreeConfig> = {};
  for (const [name, raw] of Object.entries(obj(doc.trees, 'trees'))) {
    const t = obj(raw, `trees.${name}`);
    keys(t, `trees.${name}`, ['url']);
    const url = str(t.url, `trees.${name}.url`);
    if (url === undefined) continue;
    if (url.startsWith('file://')) {
      trees[name] = { url, fetchUrl: url };
    } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/]+@[^:]+:/.test(url)) {
      if (offline) fail(`trees.${name}.url: offline: true allows only file:// URLs or local paths, got ${url}`);
      trees[name] = { url, fetchUrl: url };
    } else {
      const abs = isAbsolute(url) ? url : resolve(baseDir, url);
      trees[name] = { url, fetchUrl: pathToFileURL(abs).href };
    }
  }
  if (Object.keys(trees).length === 0 && problems.length === 0) fail('trees: at least one tree is required');

  const buildConfigs: BuildConfig[] = [];
  for (const [name, raw] of Object.entries(obj(doc.build_configs, 'build_configs'))) {
    const where = `build_configs.${name}`;
    const b = obj(raw, where);
    keys(b, where, ['tree', 'branch', 'initial_backfill', 'checkout_timeout', 'holdoff']);
    const tree = str(b.tree, `${where}.tree`);
    if (tree !== undefined && !trees[tree]) fail(`${where}.tree: unknown tree '${tree}'`);
    const branch = str(b.branch, `${where}.branch`);
    const backfill = b.initial_backfill ?? 1;
    if (!Number.isInteger(backfill) || (backfill as number) < 1 || (backfill as number) > 10) fail(`${where}.initial_backfill: must be an integer from 1 to 10`);
    buildConfigs.push({
      name,
      tree: tree ?? '',
      branch: branch ?? '',
      initialBackfill: backfill as number,
      checkoutTimeoutMs: duration(b.checkout_timeout, `${where}.checkout_timeout`, 3_600_000),
      holdoffMs: duration(b.holdoff, `${where}.holdoff`, 0),
    });
  }

  const jobs: Record<string, JobConfig> = {};
  for (const [name, raw] of Object.entries(obj(doc.jobs, 'jobs'))) {
    const where = `jobs.${name}`;
    const j = obj(raw, where);
    keys(j, where, ['kind', 'command', 'timeout', 'holdoff', 'results', 'params', 'rules']);
    if (j.kind !== 'kbuild' && j.kind !== 'job') fail(`${where}.kind: must be kbuild or job`);
    if (j.results !== undefined && j.results !== 'tap' && j.results !== 'json') fail(`${where}.results: must be tap or json`);
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj(j.params, `${where}.params`))) {
      if (typeof v !== 'string' && typeof v !== 'number') fail(`${where}.params.${k}: must be a string`);
      else params[k] = String(v);
    }
    const rules: JobConfig['rules'] = {};
    const r = obj(j.rules, `${where}.rules`);
    keys(r, `${where}.rules`, ['tree', 'branch']);
    for (const k of ['tree', 'branch'] as const) {
      if (r[k] === undefined) continue;
      const parsed = parseAllowDeny(r[k]);
      if (!parsed) fail(`${where}.rules.${k}: must be a name or a list of names ('!name' denies)`);
      else rules[k] = parsed;
    }
    jobs[name] = {
      name,
      kind: j.kind === 'kbuild' ? 'kbuild' : 'job',
      command: str(j.command, `${where}.command`) ?? '',
      timeoutMs: duration(j.timeout, `${where}.timeout`),
      holdoffMs: duration(j.holdoff, `${where}.holdoff`, 0),
      results: (j.results as 'tap' | 'json' | undefined) ?? null,
      params,
      rules,
    };
  }

  const scheduler: SchedulerEntry[] = [];
  if (doc.scheduler !== undefined && !Array.isArray(doc.scheduler)) fail('scheduler: must be a list');
  for (const [i, raw] of (Array.isArray(doc.scheduler) ? doc.scheduler : []).entries()) {
    const where = `scheduler[${i}]`;
    const e = obj(raw, where);
    keys(e, where, ['job', 'event', 'runtime']);
    const job = str(e.job, `${where}.job`);
    if (job !== undefined && !jobs[job]) fail(`${where}.job: unknown job '${job}'`);
    const event = obj(e.event, `${where}.event`);
    const match: Record<string, string> = {};
    for (const [k, v] of Object.entries(event)) {
      if (k === 'channel') continue;
      if (!['kind', 'name', 'state', 'result', 'group', 'op'].includes(k)) fail(`${where}.event: unknown key '${k}'`);
      else if (typeof v !== 'string') fail(`${where}.event.${k}: must be a string`);
      else match[k] = v;
    }
    if (event.channel !== undefined && event.channel !== 'node') fail(`${where}.event.channel: only the node channel is supported`);
    if (!match.kind) fail(`${where}.event.kind: required`);
    const runtime = obj(e.runtime, `${where}.runtime`);
    keys(runtime, `${where}.runtime`, ['type']);
    if (runtime.type !== 'shell') fail(`${where}.runtime.type: only 'shell' is supported, got ${JSON.stringify(runtime.type)}`);
    scheduler.push({ job: job ?? '', channel: 'node', match, runtime: 'shell' });
  }

  const trigger = obj(doc.trigger, 'trigger');
  keys(trigger, 'trigger', ['poll_interval']);
  const rs = obj(doc.runtime_shell, 'runtime_shell');
  keys(rs, 'runtime_shell', ['concurrency']);
  const concurrency = rs.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || (concurrency as number) < 1) fail('runtime_shell.concurrency: must be a positive integer');

  const pollIntervalMs = duration(trigger.poll_interval, 'trigger.poll_interval', 10_000);

  const strList = (v: unknown, where: string): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((i) => typeof i === 'string' && i.length > 0)) {
      fail(`${where}: must be a list of names`);
      return [];
    }
    return v as string[];
  };

  const jr = obj(doc.job_retry, 'job_retry');
  keys(jr, 'job_retry', ['max_retries', 'error_codes']);
  const maxRetries = jr.max_retries ?? 3;
  if (!Number.isInteger(maxRetries) || (maxRetries as number) < 0 || (maxRetries as number) > 10) fail('job_retry.max_retries: must be an integer from 0 to 10');
  const jobRetry: JobRetryConfig = {
    maxRetries: maxRetries as number,
    errorCodes: jr.error_codes === undefined ? [...DEFAULT_RETRY_ERROR_CODES] : strList(jr.error_codes, 'job_retry.error_codes'),
  };

  let email: EmailConfig | null = null;
  if (doc.email !== undefined) {
    const e = obj(doc.email, 'email');
    keys(e, 'email', ['from', 'smtp', 'outbox', 'wait_for_regressions', 'lists']);
    let smtp: EmailConfig['smtp'] = null;
    if (e.smtp !== undefined) {
      const s = obj(e.smtp, 'email.smtp');
      keys(s, 'email.smtp', ['host', 'port', 'secure', 'user', 'password']);
      const host = str(s.host, 'email.smtp.host') ?? '';
      if (offline && host && !isLoopbackHost(host)) fail(`email.smtp.host: offline: true forbids the non-loopback host '${host}'`);
      if (!Number.isInteger(s.port) || (s.port as number) < 1 || (s.port as number) > 65535) fail('email.smtp.port: must be a port number');
      if (s.secure !== undefined && typeof s.secure !== 'boolean') fail('email.smtp.secure: must be true or false');
      smtp = {
        host,
        port: s.port as number,
        secure: s.secure === true,
        ...(s.user !== undefined ? { user: str(s.user, 'email.smtp.user') } : {}),
        ...(s.password !== undefined ? { password: str(s.password, 'email.smtp.password') } : {}),
      };
    }
    const lists: EmailList[] = [];
    if (!Array.isArray(e.lists) || e.lists.length === 0) fail('email.lists: at least one recipient list is required');
    for (const [i, raw] of (Array.isArray(e.lists) ? e.lists : []).entries()) {
      const where = `email.lists[${i}]`;
      const l = obj(raw, where);
      keys(l, where, ['name', 'to', 'tree', 'branch']);
      const name = str(l.name, `${where}.name`) ?? '';
      if (name && !/^[A-Za-z0-9_-]+$/.test(name)) fail(`${where}.name: letters, digits, '_' or '-' only`);
      const to = strList(l.to, `${where}.to`);
      if (to.length === 0) fail(`${where}.to: at least one address is required`);
      const tree = str(l.tree, `${where}.tree`, false);
      if (tree !== undefined && !trees[tree]) fail(`${where}.tree: unknown tree '${tree}'`);
      lists.push({ name, to, ...(tree ? { tree } : {}), ...(l.branch !== undefined ? { branch: str(l.branch, `${where}.branch`) } : {}) });
    }
    if (new Set(lists.map((l) => l.name)).size !== lists.length) fail('email.lists: names must be unique');
    email = {
      from: str(e.from, 'email.from') ?? '',
      smtp,
      outbox: resolve(baseDir, (e.outbox === undefined ? './var/outbox' : str(e.outbox, 'email.outbox')) ?? '.'),
      waitForRegressionsMs: duration(e.wait_for_regressions, 'email.wait_for_regressions', 60_000),
      lists,
    };
  }

  let pipelineApi: PipelineApiConfig | null = null;
  if (doc.pipeline_api !== undefined) {
    const a = obj(doc.pipeline_api, 'pipeline_api');
    keys(a, 'pipeline_api', ['url', 'whoami_cache', 'allow']);
    const url = checkHttpUrl(str(a.url, 'pipeline_api.url'), 'pipeline_api.url');
    const allow = obj(a.allow, 'pipeline_api.allow');
    keys(allow, 'pipeline_api.allow', ['checkout', 'jobretry', 'patchset']);
    const perm = (k: 'checkout' | 'jobretry' | 'patchset'): ApiPermission => {
      const p = obj(allow[k], `pipeline_api.allow.${k}`);
      keys(p, `pipeline_api.allow.${k}`, ['users', 'groups']);
      return { users: strList(p.users, `pipeline_api.allow.${k}.users`), groups: strList(p.groups, `pipeline_api.allow.${k}.groups`) };
    };
    pipelineApi = {
      url,
      whoamiCacheMs: duration(a.whoami_cache, 'pipeline_api.whoami_cache', 30_000),
      allow: { checkout: perm('checkout'), jobretry: perm('jobretry'), patchset: perm('patchset') },
    };
  }

  if (problems.length) throw new ConfigError(problems);
  return {
    offline,
    baseDir,
    apiUrl,
    storage: { root: resolve(baseDir, storageRoot!), url: storageUrl },
    workDir: resolve(baseDir, workDirRaw!),
    trees,
    buildConfigs,
    jobs,
    scheduler,
    trigger: { pollIntervalMs },
    runtimeShell: { concurrency: concurrency as number },
    jobRetry,
    email,
    pipelineApi,
  };
}

/** Reads and validates a config file. */
export function loadConfig(file: string): PipelineConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`cannot read ${file}: ${(err as Error).message}`]);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError([`${file} is not valid YAML: ${(err as Error).message}`]);
  }
  return validateConfig(doc, dirname(resolve(file)));
}
