import { pythonJsonDumps, toCloudEvent, type CloudEventJson } from '../cloud-event';
import type { EventRecord } from '../../storage/ports';

const envelopes = new WeakMap<EventRecord, CloudEventJson>();
const texts = new WeakMap<EventRecord, string>();

/**
 * The CloudEvent of an event, built once per event record: the fan-out hands the same record to
 * every subscription of a process, so its envelope is built once per event, not once per subscriber
 * (docs/events.md#delivery-fan-out). `defaultSource` is the process's configured source.
 */
export function cloudEventOnce(event: EventRecord, defaultSource: string): CloudEventJson {
  let envelope = envelopes.get(event);
  if (!envelope) {
    envelope = toCloudEvent(event, defaultSource);
    envelopes.set(event, envelope);
  }
  return envelope;
}

/** The `/listen` text of the CloudEvent (Python's `json.dumps`), also serialised once per event record. */
export function cloudEventTextOnce(event: EventRecord, defaultSource: string): string {
  let text = texts.get(event);
  if (text === undefined) {
    text = pythonJsonDumps(cloudEventOnce(event, defaultSource));
    texts.set(event, text);
  }
  return text;
}
