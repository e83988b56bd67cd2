/**
 * The event outbox in `maestro_pending_event` (docs/events.md). The document's `_id` is the event's
 * own ObjectId; `data` and `ce` are JSON text (key order kept, no BSON conversion on the way back).
 * Pending events are drained oldest first: by `timestamp`, then by `_id` (ObjectIds made by one
 * process increase).
 */
import { ObjectId } from 'bson';
import type { Document } from 'mongodb';
import type { NewEvent, PendingEventRepository } from '../ports';
import type { MongoContext } from './mongo-context';

/** The stored document of a pending event (pure). */
export function pendingEventDocument(event: NewEvent): Document & { _id: ObjectId } {
  return {
    _id: new ObjectId(event.id),
    timestamp: event.timestamp,
    channel: event.channel,
    owner: event.owner,
    data: JSON.stringify(event.data ?? null),
    ce: JSON.stringify(event.ce),
  };
}

/** The event a stored document holds (pure). */
export function pendingEventFromDocument(document: Document): NewEvent {
  const id = document._id instanceof ObjectId ? document._id.toHexString() : String(document._id);
  return {
    id,
    timestamp: document.timestamp as Date,
    channel: String(document.channel),
    owner: (document.owner as string | null | undefined) ?? null,
    data: JSON.parse(String(document.data)),
    ce: JSON.parse(String(document.ce)),
  };
}

/** Oldest first. */
export const PENDING_EVENT_ORDER = { timestamp: 1, _id: 1 } as const;

export class MongoPendingEventRepository implements PendingEventRepository {
  constructor(private readonly ctx: MongoContext) {}

  async add(event: NewEvent): Promise<void> {
    await this.ctx.insert('maestro_pending_event', pendingEventDocument(event));
  }

  async oldest(limit: number): Promise<NewEvent[]> {
    const documents = await this.ctx.run(() =>
      this.ctx.collection('maestro_pending_event').find({}, { sort: PENDING_EVENT_ORDER, limit, ...this.ctx.session }).toArray(),
    );
    return documents.map(pendingEventFromDocument);
  }

  async remove(id: string): Promise<boolean> {
    return (await this.ctx.remove('maestro_pending_event', { _id: new ObjectId(id) })) > 0;
  }
}
