import { Inject, Injectable } from '@nestjs/common';
import { parseIsoDatetime } from '../common/datetime';
import { BadRequestError, invalidIntMessage } from '../common/errors/domain-errors';
import { lastValues, parseFilterBoolean, parsePythonInt, type QueryParams } from '../common/query/query-params';
import { isObjectIdString } from '../common/object-id';
import { regexRefusal } from '../common/query/regex-safety';
import { toNodeResponse } from '../nodes/node.mapper';
import { InvalidPatternError, STORAGE, type EventHistoryCondition, type EventHistoryQuery, type Storage } from '../storage/ports';
import type { EventDto } from './dto/events.dto';
import { toEventResponse } from './event.mapper';

/** Parameters matched exactly against `data.<same name>`, ignored when empty (docs/events.md#event-history-get-events). */
const PAYLOAD_KEYS = ['kind', 'state', 'result', 'op', 'name', 'group', 'owner'];
const RECURSIVE_LIMIT = 1000;

export interface ParsedEventQuery extends EventHistoryQuery {
  recursive: boolean;
}

/** Turns `/events` query parameters into storage conditions, with the exact 400 texts of docs/events.md#event-history-get-events. */
export function parseEventQuery(query: QueryParams): ParsedEventQuery {
  const params = lastValues(query);
  if (params.has('node_id') && params.has('data.id')) throw new BadRequestError('Provide either node_id or data.id, not both');
  if (params.has('id') && params.has('ids')) throw new BadRequestError('Provide either id or ids, not both');

  const conditions: EventHistoryCondition[] = [];
  let limit: number | undefined;
  let offset: number | undefined;
  let recursive = false;
  for (const [key, value] of params) {
    if (PAYLOAD_KEYS.includes(key)) {
      if (value !== '') conditions.push({ field: 'data', path: [key], value });
    } else if (key === 'channel') {
      conditions.push({ field: 'channel', value });
    } else if (key === 'path') {
      if (regexRefusal(value, 'database') !== null) throw new BadRequestError(`Invalid regular expression: ${value}`);
      conditions.push({ field: 'pathRegex', pattern: value });
    } else if (key === 'node_id') {
      conditions.push({ field: 'data', path: ['id'], value });
    } else if (key === 'id') {
      if (!isObjectIdString(value)) throw new BadRequestError('Invalid id format');
      conditions.push({ field: 'ids', ids: [value.toLowerCase()] });
    } else if (key === 'ids') {
      const ids = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
      if (ids.length === 0) throw new BadRequestError('ids must contain at least one id');
      if (!ids.every(isObjectIdString)) throw new BadRequestError('Invalid ids format');
      conditions.push({ field: 'ids', ids: ids.map((id) => id.toLowerCase()) });
    } else if (key === 'from') {
      const from = parseIsoDatetime(value);
      if (!from) throw new BadRequestError("Invalid 'from' parameter, must be an ISO 8601 datetime");
      conditions.push({ field: 'after', timestamp: from });
    } else if (key === 'limit') {
      // MongoDB semantics, as KernelCI passes the value through: 0 = no limit, negative = its magnitude.
      const n = Math.abs(parsePythonInt(value));
      limit = n === 0 ? undefined : n;
    } else if (key === 'offset') {
      const n = parsePythonInt(value);
      if (n < 0) throw new BadRequestError(invalidIntMessage(value));
      offset = n;
    } else if (key === 'recursive') {
      recursive = value !== '';
    } else {
      // Anything else: exact match on the stored document; only true/false are converted (docs/events.md#event-history-get-events).
      const typed = parseFilterBoolean(value) ?? value;
      if (key === 'data' || key.startsWith('data.')) {
        conditions.push({ field: 'data', path: key === 'data' ? [] : key.slice(5).split('.'), value: typed });
      } else {
        conditions.push({ field: 'document', key, value: typed });
      }
    }
  }
  if (recursive && (limit === undefined || limit > RECURSIVE_LIMIT)) throw new BadRequestError('Recursive limit is too large, max is 1000');
  return { conditions, limit, offset, recursive };
}

/** `GET /events` (docs/events.md#event-history-get-events). */
@Injectable()
export class EventHistoryService {
  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  async list(query: QueryParams): Promise<EventDto[]> {
    const parsed = parseEventQuery(query);
    let events;
    try {
      events = await this.storage.events.history(parsed);
    } catch (error) {
      if (error instanceof InvalidPatternError) throw new BadRequestError(`Invalid regular expression: ${error.pattern}`);
      throw error;
    }
    const items = events.map(toEventResponse);
    if (!parsed.recursive) return items;
    // Each event gains the current node named by data.id, omitted when gone or absent (docs/events.md#event-history-get-events, docs/api-conventions.md#error-bodies-and-precedence).
    const nodes = new Map<string, EventDto['node']>();
    for (const event of events) {
      const nodeId = (event.data as { id?: unknown } | null)?.id;
      if (typeof nodeId !== 'string' || nodes.has(nodeId)) continue;
      const node = isObjectIdString(nodeId) ? await this.storage.nodes.findById(nodeId.toLowerCase()) : null;
      nodes.set(nodeId, node ? toNodeResponse(node) : undefined);
    }
    return items.map((item) => {
      const nodeId = (item.data as { id?: unknown } | null)?.id;
      const node = typeof nodeId === 'string' ? nodes.get(nodeId) : undefined;
      return node ? { ...item, node } : item;
    });
  }
}
