import { Inject, Injectable } from '@nestjs/common';
import { parseIsoDatetime } from '../common/datetime';
import { BadRequestError, NotFoundError } from '../common/errors/domain-errors';
import { newObjectId } from '../common/object-id';
import type { NodeFilter } from '../common/query/filter-model';
import { NODE_EVENT_PUBLISHER, type NodeEventPublisher } from '../events/node-events.port';
import { STORAGE, type NodeRecord, type Storage, type UserRecord } from '../storage/ports';
import type { NodeInputDto } from './dto/node.dto';
import { coerceKernelVersion, validateNodeKind } from './node-kinds';

/** Default node lifetime: `timeout` = creation + 6 h (contract §6.1). */
export const DEFAULT_TIMEOUT_MS = 6 * 60 * 60 * 1000;

function toDate(value: Date | string | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  const parsed = parseIsoDatetime(value);
  if (!parsed) throw new BadRequestError(`Invalid isoformat string: '${value}'`);
  return parsed;
}

/** Holds the node rules: defaults, ownership, kinds, parents, groups (contract §6, §7). */
@Injectable()
export class NodesService {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(NODE_EVENT_PUBLISHER) private readonly events: NodeEventPublisher,
  ) {}

  /** Builds a node from a validated body, applying the defaults of contract §6.1. */
  private fromInput(input: NodeInputDto, now: Date): Omit<NodeRecord, 'id' | 'owner'> {
    const data = input.data === undefined ? {} : input.data;
    return {
      kind: input.kind ?? 'node',
      name: input.name,
      path: input.path,
      group: input.group ?? null,
      parent: input.parent ? input.parent.toLowerCase() : null,
      state: input.state ?? 'running',
      result: input.result ?? null,
      artifacts: input.artifacts === undefined ? {} : input.artifacts,
      data: data === null ? null : coerceKernelVersion(data),
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

  /** `POST /node`, steps 2–8 of contract §7.5 (step 1, the shape, is the DTO's). */
  async create(input: NodeInputDto, caller: UserRecord): Promise<NodeRecord> {
    const draft = this.fromInput(input, new Date());
    validateNodeKind(draft, 'generic');
    if (draft.parent && !(await this.storage.nodes.findById(draft.parent))) {
      throw new NotFoundError(`Parent not found with id: ${draft.parent}`);
    }
    for (const name of draft.user_groups) {
      if (!(await this.storage.groups.findByName(name))) throw new BadRequestError(`User group does not exist with name: ${name}`);
    }
    if (input.id !== undefined && input.id !== null) throw new BadRequestError(`Object cannot be created with id: ${input.id}`);
    const node: NodeRecord = { ...draft, id: newObjectId(), owner: caller.username };
    await this.storage.transaction(async (tx) => {
      await tx.nodes.insert(node);
      await this.events.nodeChanged(tx, { op: 'created', node });
    });
    return node;
  }

  findById(id: string): Promise<NodeRecord | null> {
    return this.storage.nodes.findById(id);
  }

  async list(filter: NodeFilter, page: { limit: number; offset: number }): Promise<{ items: NodeRecord[]; total: number }> {
    const [items, total] = await Promise.all([
      this.storage.nodes.list({ filter, limit: page.limit, offset: page.offset }),
      this.storage.nodes.count(filter),
    ]);
    return { items, total };
  }
}
