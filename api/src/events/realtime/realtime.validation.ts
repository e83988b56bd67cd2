import { isPlainObject } from '../../common/validation/decorators';
import type { RealtimeAckDto, RealtimeSubscribeDto, RealtimeUnsubscribeDto } from '../dto/realtime.dto';

/** A socket.io request that fails with an HTTP-like status (contract §10.10). */
export class RealtimeRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Filter keys of contract §10.10; anything else → 422. */
export const FILTER_KEYS = ['kind', 'state', 'result', 'op', 'name', 'group', 'owner', 'id', 'path'];

function invalid(detail: string): never {
  throw new RealtimeRequestError(422, detail);
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

export function parseSubscribeRequest(payload: unknown): RealtimeSubscribeDto & { filter?: Record<string, string[]> } {
  if (!isPlainObject(payload)) invalid('subscribe: the payload must be an object');
  const { channel, filter, promisc, subscriber_id, from_sequence } = payload;
  if (typeof channel !== 'string' || channel === '') invalid('subscribe: channel must be a non-empty string');
  if (promisc !== undefined && typeof promisc !== 'boolean') invalid('subscribe: promisc must be a boolean');
  if (subscriber_id !== undefined && (typeof subscriber_id !== 'string' || subscriber_id === '')) invalid('subscribe: subscriber_id must be a non-empty string');
  if (from_sequence !== undefined && (!isInteger(from_sequence) || from_sequence < 0)) invalid('subscribe: from_sequence must be a non-negative integer');
  let normalised: Record<string, string[]> | undefined;
  if (filter !== undefined && filter !== null) {
    if (!isPlainObject(filter)) invalid('subscribe: filter must be an object');
    normalised = {};
    for (const [key, value] of Object.entries(filter)) {
      if (!FILTER_KEYS.includes(key)) invalid(`subscribe: unknown filter key: ${key}`);
      const values = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) invalid(`subscribe: filter.${key} must be a string or a list of strings`);
      normalised[key] = values as string[];
    }
  }
  return {
    channel,
    filter: normalised,
    promisc: promisc as boolean | undefined,
    subscriber_id: subscriber_id as string | undefined,
    from_sequence: from_sequence as number | undefined,
  };
}

export function parseUnsubscribeRequest(payload: unknown): RealtimeUnsubscribeDto {
  if (!isPlainObject(payload) || !isInteger(payload.subscription)) invalid('unsubscribe: subscription must be an integer');
  return { subscription: payload.subscription };
}

export function parseAckRequest(payload: unknown): RealtimeAckDto {
  if (!isPlainObject(payload) || !isInteger(payload.subscription)) invalid('ack: subscription must be an integer');
  if (!isInteger(payload.sequence_id)) invalid('ack: sequence_id must be an integer');
  return { subscription: payload.subscription, sequence_id: payload.sequence_id };
}
