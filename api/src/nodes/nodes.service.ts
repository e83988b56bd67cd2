import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { EDIT_DENIED, NodeEditPolicy } from '../auth/node-edit.policy';
import { parseIsoDatetime } from '../common/datetime';
import { IdempotencyService, type IdempotencyRecorder, type IdempotentRequest, type Replay } from '../common/idempotency/idempotency.service';
import { BadRequestError, GatewayTimeoutError, NotFoundError, UnauthorizedError } from '../common/errors/domain-errors';
import { newObjectId, parseObjectId } from '../common/object-id';
import type { NodeFilter } from '../common/query/filter-model';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { NODE_EVENT_PUBLISHER, type NodeEventPublisher } from '../events/node-events.port';
import { MetricsService } from '../system/metrics.service';
import {
  InvalidFilterError,
  QueryTimeoutError,
  STORAGE,
  type NodeListQuery,
  type NodeRecord,
  type Repositories,
  type Storage,
  type UserRecord,
} from '../storage/ports';
import type { HierarchyNodeDto, NodeDto, NodeInputDto, NodePatchDto } from './dto/node.dto';
import { toNodeResponse } from './node.mapper';
import { checkIfMatch } from './node-body';
import { hierarchyPreOrder } from './node-hierarchy';
import { checkTransition } from './node-state';
import { coerceKernelVersion, normaliseArtifactUrl, validateNodeKind } from './node-kinds';

/** Default node lifetime: `timeout` = creation + 6 h (docs/nodes.md#model). */
export const DEFAULT_TIMEOUT_MS = 6 * 60 * 60 * 1000;

/**
 * Longest a query with a `__re` condition may run on `/nodes` and `/count` before it is abandoned
 * with a 400: a pattern must never hang a request (docs/nodes.md#query-language, docs/api-conventions.md#error-bodies-and-precedence).
 */
export const REGEX_QUERY_TIMEOUT_MS = 10_000;

/** PATCH fields (docs/nodes.md#endpoints); any other key is ignored. */
const PATCH_FIELDS = ['state', 'result', 'artifacts', 'data', 'debug', 'jobfilter', 'platform_filter', 'timeout', 'holdoff', 'processed_by_kcidb_bridge'] as const;

function toDate(value: Date | string | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  const parsed = parseIsoDatetime(value);
  if (!parsed) throw new BadRequestError(`Invalid isoformat string: '${value}'`);
  return parsed;
}

export interface WriteOptions {
  ifMatch?: string;
  noevent?: boolean;
}

/** Holds the node rules: defaults, ownership, kinds, parents, groups, states (docs/nodes.md). */
@Injectable()
export class NodesService {
  private readonly logger = new Logger('Nodes');
  private readonly batchRefused: Counter | null;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(NODE_EVENT_PUBLISHER) private readonly events: NodeEventPublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly idempotency: IdempotencyService,
    private readonly editPolicy: NodeEditPolicy,
    @Optional() metrics?: MetricsService,
  ) {
    this.batchRefused = metrics?.counter('batch_nodeset_refused', 'Nodes skipped by PUT /batch/nodeset because the caller may not edit them') ?? null;
  }

  /**
   * Builds a node from a validated body with the defaults of docs/nodes.md#model (a PUT resets omitted
   * fields to them too, docs/nodes.md#endpoints). `data` is as sent: callers coerce or normalise it.
   */
  private fromInput(input: NodeInputDto, now: Date): Omit<NodeRecord, 'id' | 'owner'> {
    return {
      kind: input.kind ?? 'node',
      name: input.name,
      path: input.path,
      group: input.group ?? null,
      parent: input.parent ? input.parent.toLowerCase() : null,
      state: input.state ?? 'running',
      result: input.result ?? null,
      artifacts: input.artifacts === undefined ? {} : input.artifacts,
      data: input.data === undefined ? {} : input.data,
      debug: input.debug === undefined ? {} : input.debug,
      jobfilter: input.jobfilter ?? null,
      platform_filter: input.platform_filter === undefined ? [] : input.platform_filter,
      created: toDate(input.created) ?? now,
      updated: now,
      timeout: toDate(input.timeout) ?? new Date(now.getTime() + DEFAULT_TIMEOUT_MS),
      holdoff: toDate(input.holdoff),
      submitter: input.submitter ?? null,
      treeid: input.treeid ?? null,
      user_groups: input.user_groups ?? [],
      processed_by_kcidb_bridge: input.processed_by_kcidb_bridge ?? false,
      retry_counter: input.retry_counter ?? 0,
    };
  }

  /** Kernel-version coercion then kind validation of POST, PUT and PATCH (docs/nodes.md#model). */
  private validateGeneric<T extends { kind: string; data: Record<string, unknown> | null; artifacts: unknown }>(node: T): T {
    const coerced = { ...node, data: node.data === null ? null : coerceKernelVersion(node.data) };
    validateNodeKind(coerced, 'generic');
    return coerced;
  }

  /** `POST /node`, steps 2–8 of docs/nodes.md#endpoints (step 1, the shape, is the DTO's). */
  async create(input: NodeInputDto, caller: UserRecord, idempotency: IdempotentRequest | null = null): Promise<Replay<NodeDto>> {
    return this.idempotency.run<NodeDto>({
      userId: caller.id,
      request: idempotency,
      // The record keeps the answer as sent.
      execute: async (record) => toNodeResponse(await this.insert(input, caller, record && ((tx, node) => record(tx, toNodeResponse(node))))),
    });
  }

  private async insert(input: NodeInputDto, caller: UserRecord, record?: IdempotencyRecorder<NodeRecord>): Promise<NodeRecord> {
    const draft = this.validateGeneric(this.fromInput(input, new Date()));
    if (draft.parent && !(await this.storage.nodes.findById(draft.parent))) {
      throw new NotFoundError(`Parent not found with id: ${draft.parent}`);
    }
    for (const name of draft.user_groups) {
      if (!(await this.storage.groups.findByName(name))) throw new BadRequestError(`User group does not exist with name: ${name}`);
    }
    if (input.id !== undefined && input.id !== null) throw new BadRequestError(`Object cannot be created with id: ${input.id}`);
    const node: NodeRecord = { ...draft, id: newObjectId(), owner: caller.username };
    return this.storage.transaction(async (tx) => {
      const stored = await tx.nodes.insert(node);
      await this.events.nodeChanged(tx, { op: 'created', node: stored });
      if (record) await record(tx, stored);
      return stored;
    });
  }

  findById(id: string): Promise<NodeRecord | null> {
    return this.storage.nodes.findById(id);
  }

  /** The nodes with these ids as currently stored, in the given order (hierarchy replays, docs/nodes.md#idempotency-key). */
  async findManyInOrder(ids: string[]): Promise<NodeRecord[]> {
    const found = new Map((await this.storage.nodes.findByIds(ids)).map((n) => [n.id, n]));
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  /** Steps shared by PUT and PATCH: the locked stored node, its editor and `If-Match` (docs/nodes.md#endpoints 1–2). */
  private async lockForEdit(tx: Repositories, nodeId: string, caller: UserRecord, ifMatch: string | undefined): Promise<NodeRecord> {
    const stored = await tx.nodes.findById(nodeId, { forUpdate: true });
    if (!stored) throw new NotFoundError(`Node not found with id: ${nodeId}`);
    await this.editPolicy.assertCanEditNode(caller, stored, tx);
    checkIfMatch(ifMatch, stored);
    return stored;
  }

  /** Stores an update and announces it unless `noevent` (docs/nodes.md#endpoints step 8). */
  private async writeUpdate(tx: Repositories, stored: NodeRecord, node: NodeRecord, noevent: boolean): Promise<NodeRecord> {
    const written = (await tx.nodes.update(node)) ?? node;
    if (!noevent) {
      await this.events.nodeChanged(tx, { op: 'updated', node: written, previous: { state: stored.state, result: stored.result } });
    }
    return written;
  }

  /** `PUT /node/{id}`: full replacement (docs/nodes.md#endpoints). */
  async replace(id: string, input: NodeInputDto, caller: UserRecord, options: WriteOptions = {}): Promise<NodeRecord> {
    const nodeId = parseObjectId(id);
    return this.storage.transaction(async (tx) => {
      const stored = await this.lockForEdit(tx, nodeId, caller, options.ifMatch);
      const draft = this.fromInput(input, new Date());
      checkTransition(stored.state, draft.state);
      const validated = this.validateGeneric(draft);
      // docs/nodes.md#processed_by_kcidb_bridge: a state change clears the flag; otherwise only a flip of the stored value survives.
      const requested = input.processed_by_kcidb_bridge ?? false;
      const flag = draft.state !== stored.state ? false : requested === stored.processed_by_kcidb_bridge ? false : requested;
      if (validated.parent === nodeId) throw new BadRequestError('Parent cannot be the same as the object');
      const node: NodeRecord = {
        ...validated,
        id: nodeId,
        owner: stored.owner,
        submitter: stored.submitter,
        user_groups: stored.user_groups,
        processed_by_kcidb_bridge: flag,
      };
      return this.writeUpdate(tx, stored, node, options.noevent ?? false);
    });
  }

  /** `PATCH /node/{id}` (docs/nodes.md#endpoints); `present` lists the body's own keys. */
  async patch(id: string, input: NodePatchDto, present: ReadonlySet<string>, caller: UserRecord, options: WriteOptions = {}): Promise<NodeRecord> {
    const nodeId = parseObjectId(id);
    return this.storage.transaction(async (tx) => {
      const stored = await this.lockForEdit(tx, nodeId, caller, options.ifMatch);
      const fields = PATCH_FIELDS.filter((field) => present.has(field));
      if (fields.length === 0) throw new BadRequestError('No fields to update');
      const merged: NodeRecord = { ...stored };
      for (const field of fields) {
        const value = input[field];
        if (field === 'timeout') merged.timeout = toDate(value as string) ?? stored.timeout;
        else if (field === 'holdoff') merged.holdoff = toDate(value as string | null);
        else (merged as unknown as Record<string, unknown>)[field] = value ?? null;
      }
      const validated = this.validateGeneric(merged);
      checkTransition(stored.state, validated.state);
      validated.processed_by_kcidb_bridge =
        validated.state !== stored.state ? false : present.has('processed_by_kcidb_bridge') ? Boolean(input.processed_by_kcidb_bridge) : false;
      validated.updated = new Date();
      return this.writeUpdate(tx, stored, validated, options.noevent ?? false);
    });
  }

  /**
   * `PUT /nodes/{id}`: hierarchy submission (docs/nodes.md#endpoints). One transaction: the root is locked,
   * every node is checked (existence, edit right, kind) before anything is written, then the new
   * nodes are inserted and the replaced ones updated in bulk statements; one event for the root.
   * Returns every written node in pre-order, root first.
   */
  async submitHierarchy(
    id: string,
    body: HierarchyNodeDto,
    caller: UserRecord,
    options: WriteOptions = {},
    idempotency: IdempotentRequest | null = null,
  ): Promise<Replay<NodeRecord[]>> {
    const rootId = parseObjectId(id);
    return this.idempotency.run<NodeRecord[]>({
      userId: caller.id,
      request: idempotency,
      execute: (record) => this.writeHierarchy(rootId, body, caller, options, record),
      // Hierarchy answers can be megabytes: the record keeps the ids and a replay re-reads them.
      toRecord: (nodes) => nodes.map((node) => node.id),
      fromRecord: (recorded) => this.findManyInOrder(recorded as string[]),
    });
  }

  private async writeHierarchy(
    rootId: string,
    body: HierarchyNodeDto,
    caller: UserRecord,
    options: WriteOptions,
    record?: IdempotencyRecorder<NodeRecord[]>,
  ): Promise<NodeRecord[]> {
    const now = new Date();
    return this.storage.transaction(async (tx) => {
      const root = await this.lockForEdit(tx, rootId, caller, options.ifMatch);
      const ordered = hierarchyPreOrder(rootId, body);
      const givenIds = ordered.filter((o, i) => i > 0 && o.input.id).map((o) => o.id);
      const existing = new Map((await tx.nodes.findByIds(givenIds)).map((n) => [n.id, n]));
      // Edit rights on every replaced child at once (one lookup at most); refusals are raised in walk order below.
      const children = [...existing.values()];
      const allowed = await this.editPolicy.canEditEach(caller, children, tx);
      const refused = new Set(children.filter((_, i) => !allowed[i]).map((n) => n.id));
      existing.set(rootId, root);
      const inserts: NodeRecord[] = [];
      const updates: NodeRecord[] = [];
      const nodes: NodeRecord[] = [];
      for (const item of ordered) {
        const isUpdate = item.isRoot || Boolean(item.input.id);
        if (isUpdate) {
          const stored = existing.get(item.id);
          if (!stored) throw new BadRequestError(`No object found with id: ${item.id}`);
          if (!item.isRoot && refused.has(item.id)) throw new UnauthorizedError(EDIT_DENIED);
          if (item.parent === item.id) throw new BadRequestError('Parent cannot be the same as the object');
        }
        const draft = this.fromInput(item.input, now);
        // docs/nodes.md#endpoints step 5: kind-normalised data, no version-string coercion.
        const data = validateNodeKind(draft, 'normalise');
        const node: NodeRecord = {
          ...draft,
          data: data === null ? null : (JSON.parse(JSON.stringify(data)) as Record<string, unknown>),
          id: item.id,
          parent: item.parent,
          // docs/nodes.md#endpoints step 2: a provided owner is kept (as KernelCI does); an empty one becomes the caller.
          owner: item.input.owner ? item.input.owner : caller.username,
          submitter: root.submitter,
          treeid: root.treeid,
          artifacts: draft.artifacts && Object.fromEntries(Object.entries(draft.artifacts).map(([k, v]) => [k, normaliseArtifactUrl(v)])),
        };
        (isUpdate ? updates : inserts).push(node);
        nodes.push(node);
      }
      const stored = new Map((await tx.nodes.writeMany({ update: updates, insert: inserts })).map((n) => [n.id, n]));
      const written = nodes.map((n) => stored.get(n.id) ?? n);
      await this.events.nodeChanged(tx, {
        op: 'updated',
        node: written[0],
        previous: { state: root.state, result: root.result },
        isHierarchy: true,
      });
      if (record) await record(tx, written);
      return written;
    });
  }

  /**
   * `PUT /batch/nodeset` (docs/nodes.md#endpoints): returns how many nodes were updated; no events. A node the
   * caller may not edit is skipped without an error, as KernelCI does (a `200 0` answer): each such
   * refusal is logged and counted in the `batch_nodeset_refused` metric (docs/security.md).
   * Set-based with a node-by-node walk's answers: ids before the first malformed or unknown one are read and written
   * in one statement each, then its error is raised; the field and value are checked only once a node may be edited.
   */
  async batchSetFlag(ids: string[], field: string, value: string | boolean, caller: UserRecord): Promise<number> {
    let failure: Error | null = null;
    let valid = ids.length;
    const nodeIds: string[] = [];
    for (const [i, raw] of ids.entries()) {
      try {
        nodeIds.push(parseObjectId(raw));
      } catch (error) {
        [failure, valid] = [error as Error, i];
        break;
      }
    }
    const found = new Map((await this.storage.nodes.findByIds([...new Set(nodeIds)])).map((n) => [n.id, n]));
    const missing = nodeIds.findIndex((id) => !found.has(id));
    if (missing >= 0) [failure, valid] = [new NotFoundError(`Node not found with id: ${nodeIds[missing]}`), missing];
    const listed = nodeIds.slice(0, valid).map((id) => found.get(id)!);
    const allowed = await this.editPolicy.canEditEach(caller, listed);
    const editable = listed.filter((stored, i) => {
      if (allowed[i]) return true;
      this.logger.warn(`PUT /batch/nodeset: ${caller.username} may not edit node ${stored.id} (owner ${stored.owner}); skipped`);
      this.batchRefused?.inc();
      return false;
    });
    if (editable.length > 0) {
      if (field !== 'processed_by_kcidb_bridge') throw new BadRequestError('Field not supported');
      const flag = value === true || value === 'true' || value === 'True' ? true : value === false || value === 'false' || value === 'False' ? false : null;
      if (flag === null) throw new BadRequestError('Value not supported');
      await this.storage.nodes.setKcidbFlags([...new Set(editable.map((n) => n.id))], flag, new Date());
    }
    if (failure) throw failure;
    return editable.length;
  }

  /** Runs a read and turns the adapter's refusals into answers (docs/nodes.md). */
  private async guarded<T>(work: () => Promise<T>, onTimeout: () => Error): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof InvalidFilterError) throw new BadRequestError(error.message);
      if (error instanceof QueryTimeoutError) throw onTimeout();
      throw error;
    }
  }

  private regexTimeout(filter: NodeFilter): number | undefined {
    return filter.conditions.some((c) => c.op === 're') ? REGEX_QUERY_TIMEOUT_MS : undefined;
  }

  private static regexTooSlow(): Error {
    return new BadRequestError('Invalid regular expression: the query took too long to evaluate');
  }

  /**
   * `GET /nodes`: one page of `query.limit` items and the total (docs/api-conventions.md#pagination-envelope). With a sort order
   * (keyset paging) one more item is read to learn whether another page follows: `last` is then the
   * page's last item, from which the next cursor continues, and null on the last page.
   */
  async listPage(query: NodeListQuery & { limit: number }): Promise<{ items: NodeRecord[]; total: number; last: NodeRecord | null }> {
    const pageSize = query.limit;
    if (query.sort === undefined) return { ...(await this.list(query, pageSize)), last: null };
    const { items, total } = await this.list({ ...query, limit: pageSize + 1 }, pageSize);
    const page = items.slice(0, pageSize);
    return { items: page, total, last: items.length > pageSize ? page[page.length - 1] : null };
  }

  /**
   * A page and the total. The count (it visits every match) runs beside the page on its own
   * connection; a short offset page tells the total itself, so its count (as cheap as the page) is
   * not awaited. `query.limit` may be one more than the page size when a cursor is wanted.
   */
  private async list(query: NodeListQuery, pageSize = query.limit): Promise<{ items: NodeRecord[]; total: number }> {
    const timeoutMs = this.regexTimeout(query.filter);
    return this.guarded(async () => {
      const offset = query.offset ?? 0;
      const listed = this.storage.nodes.list(query, { timeoutMs });
      const counted = this.storage.nodes.count(query.filter, { timeoutMs });
      counted.catch(() => undefined); // awaited below unless the page is short
      const items = await listed;
      const short = pageSize !== undefined && items.length < pageSize && (items.length > 0 || offset === 0);
      const total = short && !query.after ? offset + items.length : await counted;
      return { items, total };
    }, NodesService.regexTooSlow);
  }

  /** `GET /nodes/fast`: every match, abandoned after NODES_FAST_TIMEOUT_SECONDS (docs/nodes.md#endpoints). */
  listFast(query: NodeListQuery): Promise<NodeRecord[]> {
    const timeoutMs = this.config.nodesFastTimeoutSeconds * 1000;
    return this.guarded(
      () => this.storage.nodes.list(query, { timeoutMs }),
      () => new GatewayTimeoutError('Timeout while fetching nodes: '),
    );
  }

  /** `GET /count` (docs/nodes.md#endpoints). */
  count(filter: NodeFilter): Promise<number> {
    return this.guarded(() => this.storage.nodes.count(filter, { timeoutMs: this.regexTimeout(filter) }), NodesService.regexTooSlow);
  }
}
