import type { NewEvent } from './event.port';

/**
 * The durable outbox of the event log (docs/events.md): an event whose append failed inside a write
 * that still committed, recorded in the same unit of work as that write, and appended later by the
 * event-outbox job with its original id, timestamp and CloudEvent attributes.
 */
export interface PendingEventRepository {
  /** Records the event (call inside the write's transaction, so both commit together). */
  add(event: NewEvent): Promise<void>;
  /** The oldest `limit` pending events, in the order they were added. */
  oldest(limit: number): Promise<NewEvent[]>;
  /** Deletes the pending event; false when it was already gone (another drain took it). */
  remove(id: string): Promise<boolean>;
}
