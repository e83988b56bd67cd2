/**
 * Result trees (sdk/README.md#nodes): a job's results as nested suites and cases, sent later in one
 * `PUT /nodes/{id}` by `nodes.submitResults`. The builder only holds the plain tree; `path`, `group`
 * and inherited `data` fields are filled in by the client against the stored root (sdk/README.md#nodes).
 */
import { ValidationError } from './errors.js';
import { NODE_KINDS, NODE_RESULTS } from './states.js';
import type { NodeKind, NodeResult } from './states.js';

/** Artifacts of a node: name → absolute http(s) URL. */
export type ResultArtifacts = Readonly<Record<string, string>>;
/** Free-form `data` of a result node. */
export type ResultData = Readonly<Record<string, unknown>>;

/** Options of {@link ResultTreeBuilder.case}. */
export interface ResultCaseOptions {
  /** `data` of the case node. */
  data?: ResultData;
  /** Artifacts of the case node (logs, attachments). */
  artifacts?: ResultArtifacts;
  /** Node kind; default `"test"`. */
  kind?: NodeKind;
}

/** Options of {@link ResultTreeBuilder.suite}. */
export interface ResultSuiteOptions {
  /** Explicit result; by default {@link evaluateSuiteResult} of the suite's children. */
  result?: NodeResult | null;
  /** `data` of the suite node. */
  data?: ResultData;
  /** Artifacts of the suite node. */
  artifacts?: ResultArtifacts;
  /** Node kind; default `"job"`, KernelCI's convention for suites. */
  kind?: NodeKind;
}

/** A node of the plain tree: one suite or case with its children (empty for cases). */
export interface ResultTreeNode {
  /** Node name, unique among its siblings. */
  readonly name: string;
  /** Node kind: `job` for suites, `test` for cases unless set. */
  readonly kind: NodeKind;
  /** The node's result; for suites, the explicit or evaluated one. */
  readonly result: NodeResult | null;
  /** `data` as given (deep-copied). */
  readonly data: ResultData;
  /** Artifacts as given (copied). */
  readonly artifacts: ResultArtifacts;
  /** Child nodes, in insertion order. */
  readonly children: readonly ResultTreeNode[];
}

/** The body of one node in a hierarchy submission, before the client adds path, group and inherited data. */
export interface ResultNodeBody {
  /** Node name. */
  name: string;
  /** Node kind. */
  kind: NodeKind;
  /** Result. */
  result: NodeResult | null;
  /** Always `done`: results are final. */
  state: 'done';
  /** Node data. */
  data: Record<string, unknown>;
  /** Node artifacts. */
  artifacts: Record<string, string>;
}

/** One level of a `PUT /nodes/{id}` body: `{ node, child_nodes }` (docs/nodes.md#endpoints). */
export interface ResultHierarchy<N = ResultNodeBody> {
  /** The node at this level. */
  node: N;
  /** Its children; `[]` for leaves. */
  child_nodes: ResultHierarchy<ResultNodeBody>[];
}

/** Root fields a tree may carry; the client merges them with the stored root. */
export interface ResultTreeRoot {
  /** Explicit root result; by default {@link evaluateSuiteResult} of the top-level children. */
  result?: NodeResult | null;
  /** `data` to deep-merge into the root. */
  data?: ResultData;
  /** Artifacts to merge into the root. */
  artifacts?: ResultArtifacts;
}

/**
 * KernelCI's suite rule: any `fail` gives `fail`; otherwise any `pass` gives `pass`; otherwise any
 * `skip` gives `skip`; otherwise `null` (no children, or only `incomplete`/`null` ones).
 */
export function evaluateSuiteResult(children: Iterable<{ readonly result: NodeResult | null | undefined }>): NodeResult | null {
  let pass = false;
  let skip = false;
  for (const child of children) {
    if (child.result === 'fail') return 'fail';
    if (child.result === 'pass') pass = true;
    else if (child.result === 'skip') skip = true;
  }
  return pass ? 'pass' : skip ? 'skip' : null;
}

function invalid(detail: string, loc: readonly (string | number)[]): ValidationError {
  return new ValidationError({ detail, issues: [{ loc, msg: detail }] });
}

function copyData(data: ResultData | undefined, loc: readonly string[]): Record<string, unknown> {
  if (data === undefined) return {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalid('data must be an object', [...loc, 'data']);
  return structuredClone(data) as Record<string, unknown>;
}

function copyArtifacts(artifacts: ResultArtifacts | undefined, loc: readonly string[]): Record<string, string> {
  if (artifacts === undefined) return {};
  if (typeof artifacts !== 'object' || artifacts === null || Array.isArray(artifacts)) {
    throw invalid('artifacts must be an object of name → URL', [...loc, 'artifacts']);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(artifacts)) {
    if (typeof v !== 'string') throw invalid(`artifact '${k}' must be a URL string`, [...loc, 'artifacts', k]);
    out[k] = v;
  }
  return out;
}

function checkKind(kind: unknown, loc: readonly string[]): NodeKind {
  if (!(NODE_KINDS as readonly unknown[]).includes(kind)) throw invalid(`unknown node kind ${String(kind)}`, [...loc, 'kind']);
  return kind as NodeKind;
}

interface Entry {
  name: string;
  kind: NodeKind;
  /** Explicit result; undefined means "evaluate" (suites only). */
  result: NodeResult | null | undefined;
  data: Record<string, unknown>;
  artifacts: Record<string, string>;
  /** Undefined for cases. */
  children: ResultTreeBuilder | undefined;
}

/**
 * Builds one level of a result tree. Methods return `this`, so calls chain; names are checked as they
 * are added, so a mistake throws {@link ValidationError} at the line that made it.
 */
export class ResultTreeBuilder {
  readonly #entries: Entry[] = [];
  readonly #names = new Set<string>();
  readonly #loc: readonly string[];

  /** Prefer {@link resultTree}; `loc` names this level in error messages. */
  constructor(loc: readonly string[] = []) {
    this.#loc = loc;
  }

  #checkName(name: unknown): string {
    if (typeof name !== 'string' || name.trim() === '') throw invalid('a result node name must be a non-empty string', [...this.#loc, String(name)]);
    if (this.#names.has(name)) {
      throw invalid(`duplicate name '${name}' under ${this.#loc.length ? this.#loc.join('/') : 'the root'}`, [...this.#loc, name]);
    }
    return name;
  }

  /**
   * Adds a suite (a child of kind `job` by default) and builds its children with `build`.
   * Its result defaults to {@link evaluateSuiteResult} of its children.
   */
  suite(name: string, build: (suite: ResultTreeBuilder) => unknown, options: ResultSuiteOptions = {}): this {
    const checked = this.#checkName(name);
    const loc = [...this.#loc, checked];
    if (options.result !== undefined && options.result !== null && !(NODE_RESULTS as readonly unknown[]).includes(options.result)) {
      throw invalid(`unknown result ${String(options.result)}`, [...loc, 'result']);
    }
    const children = new ResultTreeBuilder(loc);
    build(children);
    this.#names.add(checked);
    this.#entries.push({
      name: checked,
      kind: checkKind(options.kind ?? 'job', loc),
      result: options.result,
      data: copyData(options.data, loc),
      artifacts: copyArtifacts(options.artifacts, loc),
      children,
    });
    return this;
  }

  /** Adds a leaf (kind `test` by default) with a required result. */
  case(name: string, result: NodeResult, options: ResultCaseOptions = {}): this {
    const checked = this.#checkName(name);
    const loc = [...this.#loc, checked];
    if (!(NODE_RESULTS as readonly unknown[]).includes(result)) {
      throw invalid(`case '${checked}' needs a result (${NODE_RESULTS.join(', ')}), got ${String(result)}`, [...loc, 'result']);
    }
    this.#names.add(checked);
    this.#entries.push({
      name: checked,
      kind: checkKind(options.kind ?? 'test', loc),
      result,
      data: copyData(options.data, loc),
      artifacts: copyArtifacts(options.artifacts, loc),
      children: undefined,
    });
    return this;
  }

  /** The plain tree of this level's children, with every suite result resolved. Returns fresh copies. */
  get children(): readonly ResultTreeNode[] {
    return this.#entries.map((e) => {
      const children = e.children ? e.children.children : [];
      return {
        name: e.name,
        kind: e.kind,
        result: e.result !== undefined ? e.result : evaluateSuiteResult(children),
        data: structuredClone(e.data),
        artifacts: { ...e.artifacts },
        children,
      };
    });
  }

  /** {@link evaluateSuiteResult} of this level's children. */
  get result(): NodeResult | null {
    return evaluateSuiteResult(this.children);
  }

  /** Number of nodes below this level (all depths). */
  get size(): number {
    let n = 0;
    for (const e of this.#entries) n += 1 + (e.children ? e.children.size : 0);
    return n;
  }
}

/** A complete tree: top-level suites and cases plus optional root fields. */
export class ResultTree extends ResultTreeBuilder {
  /** Root fields given to {@link resultTree}. */
  readonly root: Readonly<ResultTreeRoot>;

  /** Prefer {@link resultTree}. */
  constructor(root: ResultTreeRoot = {}) {
    super([]);
    if (root.result !== undefined && root.result !== null && !(NODE_RESULTS as readonly unknown[]).includes(root.result)) {
      throw invalid(`unknown result ${String(root.result)}`, ['root', 'result']);
    }
    this.root = Object.freeze({
      ...(root.result !== undefined ? { result: root.result } : {}),
      ...(root.data !== undefined ? { data: copyData(root.data, ['root']) } : {}),
      ...(root.artifacts !== undefined ? { artifacts: copyArtifacts(root.artifacts, ['root']) } : {}),
    });
  }

  /**
   * The `PUT /nodes/{id}` body (docs/nodes.md#endpoints) around `rootNode`: every child gets `name`, `kind`,
   * `result`, `state: "done"`, `data` and `artifacts`. The client adds `path`, `group`, inherited data
   * and the root's own fields; `rootNode` is copied, never modified.
   */
  toHierarchy<N extends object = Record<string, never>>(rootNode?: N): ResultHierarchy<N> {
    const toLevel = (n: ResultTreeNode): ResultHierarchy => ({
      node: {
        name: n.name,
        kind: n.kind,
        result: n.result,
        state: 'done',
        data: structuredClone(n.data) as Record<string, unknown>,
        artifacts: { ...n.artifacts },
      },
      child_nodes: n.children.map(toLevel),
    });
    return {
      node: structuredClone(rootNode ?? ({} as N)),
      child_nodes: this.children.map(toLevel),
    };
  }
}

/**
 * Starts a result tree.
 *
 * @example
 * resultTree()
 *   .suite('boot', (s) => s.case('login', 'pass').case('dmesg', 'pass'))
 *   .suite('ltp', (s) => s.case('mmap01', 'fail', { artifacts: { log: 'http://…/mmap01.txt' } }));
 */
export function resultTree(root?: ResultTreeRoot): ResultTree {
  return new ResultTree(root);
}
