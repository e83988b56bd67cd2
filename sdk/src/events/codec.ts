/**
 * CloudEvents parsing and validation (sdk/README.md#events-delivery-guarantees), with the `cloudevents` package. Only the event
 * code imports this module, and only by dynamic `import()`, so the core entry point never bundles
 * `cloudevents`.
 */
import { CloudEvent } from 'cloudevents';
import { ProtocolError } from '../errors.js';
import type { CloudEventLike } from './types.js';

/** A parsed event: the CloudEvent and its `_sequence_id`, if any. */
export interface ParsedEvent {
  event: CloudEventLike;
  sequence: number | null;
}

/**
 * Parses one event: a JSON string (long-poll) or an object (socket.io). `_sequence_id` moves out
 * of the attributes, because strict mode rejects attribute names outside `[a-z0-9]{1,20}`; `owner`
 * stays as an extension.
 *
 * @throws ProtocolError when the input is not JSON or not a valid CloudEvent.
 */
export function parseCloudEvent(input: unknown): ParsedEvent {
  let attrs: unknown = input;
  if (typeof input === 'string') {
    try {
      attrs = JSON.parse(input);
    } catch (cause) {
      throw new ProtocolError('event is not JSON', { cause });
    }
  }
  if (attrs === null || typeof attrs !== 'object' || Array.isArray(attrs)) throw new ProtocolError('event is not a JSON object');
  const { _sequence_id: seq, ...rest } = attrs as Record<string, unknown>;
  if (seq !== undefined && (typeof seq !== 'number' || !Number.isInteger(seq))) throw new ProtocolError(`_sequence_id is not an integer: ${JSON.stringify(seq)}`);
  try {
    return { event: new CloudEvent(rest, true) as unknown as CloudEventLike, sequence: seq === undefined ? null : (seq as number) };
  } catch (cause) {
    throw new ProtocolError(`invalid CloudEvent: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Validates what `events.publish` would send, the same way (sdk/README.md#events-delivery-guarantees). */
export function validatePublish(data: unknown, attributes: Record<string, unknown>): void {
  new CloudEvent({ source: 'https://maestro.invalid/', type: 'api.kernelci.org', ...attributes, data }, true);
}
