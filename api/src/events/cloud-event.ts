/**
 * The CloudEvents 1.0 envelope of docs/events.md#event-envelope: built and validated with the `cloudevents`
 * package, emitted with the contract's key order, and serialised the way Python's `json.dumps`
 * does, since the `/listen` envelope carries the event as a JSON string.
 */
import { createHash, randomUUID } from 'node:crypto';
import { CloudEvent, ValidationError } from 'cloudevents';
import { formatCloudEventTime } from '../common/datetime';
import type { EventRecord, StoredCloudEvent } from '../storage/ports';

export const DEFAULT_EVENT_TYPE = 'api.kernelci.org';
export const KEEP_ALIVE_DATA = 'BEEP';

/** A CloudEvent as a JSON object, in wire key order (`_sequence_id` last, absent on keep-alives). */
export type CloudEventJson = Record<string, unknown> & {
  specversion: string;
  id: string;
  source: string;
  type: string;
  time: string;
  data: unknown;
  _sequence_id?: number;
};

export class InvalidCloudEventError extends Error {}

export interface CloudEventInput {
  data: unknown;
  source: string;
  type?: string;
  owner?: string | null;
  /** Extra attributes of `/publish`; `id`, `time` and `specversion` override the defaults (docs/events.md#http-pubsub-kernelci-compatible). */
  attributes?: Record<string, unknown>;
  now: Date;
}

const RESERVED = new Set(['type', 'source', 'owner', 'data', '_sequence_id']);

/**
 * Fills defaults, assigns id and time (step 1 of docs/events.md#the-log) and validates the result.
 * @throws InvalidCloudEventError when an attribute breaks the CloudEvents rules.
 */
export function buildCloudEvent(input: CloudEventInput): StoredCloudEvent {
  const attributes = input.attributes ?? {};
  const extensions: Record<string, unknown> = {};
  if (input.owner) extensions.owner = input.owner;
  for (const [name, value] of Object.entries(attributes)) {
    if (RESERVED.has(name) || name === 'id' || name === 'time' || name === 'specversion') continue;
    extensions[name] = value;
  }
  const ce: StoredCloudEvent = {
    id: typeof attributes.id === 'string' ? attributes.id : randomUUID(),
    time: typeof attributes.time === 'string' ? attributes.time : formatCloudEventTime(input.now),
    type: input.type ?? DEFAULT_EVENT_TYPE,
    source: input.source,
    specversion: typeof attributes.specversion === 'string' ? attributes.specversion : '1.0',
    extensions,
  };
  try {
    // The package checks required attributes, the spec version, the time format and extension names.
    new CloudEvent({ specversion: ce.specversion as '1.0', id: ce.id, source: ce.source, type: ce.type, time: ce.time, data: input.data, ...extensions }, true);
  } catch (error) {
    if (error instanceof ValidationError || error instanceof TypeError) {
      throw new InvalidCloudEventError(`Invalid CloudEvent: ${error.message.split('\n')[0]}`);
    }
    throw error;
  }
  return ce;
}

/**
 * A replay id for an event KernelCI stored without CloudEvent attributes: derived from the
 * document id, so the same event always replays with the same id (docs/deployment.md#running-on-mongodb).
 */
export function derivedEventId(documentId: string): string {
  const hex = createHash('sha1').update(`maestro-eventhistory:${documentId}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Key order of node event payloads (docs/events.md#event-envelope). */
const NODE_PAYLOAD_KEYS = ['op', 'id', 'kind', 'name', 'path', 'group', 'state', 'result', 'owner', 'data', 'is_hierarchy', 'previous_state', 'previous_result'];

/**
 * A stored payload in the order it was published. PostgreSQL's jsonb does not keep key order, so
 * node event payloads get the contract's order back here (other keys follow as stored); anything
 * else is returned unchanged.
 */
export function orderedPayload(data: unknown): unknown {
  if (data === null || typeof data !== 'object' || Array.isArray(data) || !('op' in data) || !('id' in data)) return data;
  const payload = data as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const key of NODE_PAYLOAD_KEYS) if (key in payload) ordered[key] = payload[key];
  for (const [key, value] of Object.entries(payload)) if (!(key in ordered)) ordered[key] = value;
  return ordered;
}

/** The stored event as the CloudEvent subscribers receive, with its original attributes. */
export function toCloudEvent(event: EventRecord, defaultSource: string): CloudEventJson {
  const ce = event.ce ?? {
    id: derivedEventId(event.id),
    time: formatCloudEventTime(event.timestamp),
    type: DEFAULT_EVENT_TYPE,
    source: defaultSource,
    specversion: '1.0',
    extensions: event.owner ? { owner: event.owner } : {},
  };
  return {
    specversion: ce.specversion,
    id: ce.id,
    source: ce.source,
    type: ce.type,
    time: ce.time,
    data: orderedPayload(event.data),
    ...ce.extensions,
    _sequence_id: event.sequenceId,
  };
}

/** The keep-alive CloudEvent of docs/events.md#http-pubsub-kernelci-compatible: never stored, no owner, no sequence id. */
export function keepAliveCloudEvent(source: string, now: Date): CloudEventJson {
  return { specversion: '1.0', id: randomUUID(), source, type: DEFAULT_EVENT_TYPE, time: formatCloudEventTime(now), data: KEEP_ALIVE_DATA };
}

/**
 * JSON text as Python's `json.dumps` writes it by default: `", "` and `": "` separators and
 * non-ASCII characters escaped as `\uXXXX` (docs/events.md#event-envelope, a SHOULD that KernelCI clients see).
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (value instanceof Date) return pythonJsonDumps(value.toISOString());
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
}
