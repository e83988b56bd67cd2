/**
 * Queue lists in `maestro_queue` (docs/queues-kv.md): a pop is one `findOneAndDelete` of the
 * list's smallest `_id`, so each item goes to exactly one consumer across replicas.
 */
import { ObjectId } from 'bson';
import type { QueueItem, QueueRepository } from '../ports';
import type { MongoContext } from './mongo-context';

export class MongoQueueRepository implements QueueRepository {
  constructor(private readonly ctx: MongoContext) {}

  async push(list: string, event: Record<string, unknown>): Promise<void> {
    await this.ctx.insert('maestro_queue', { _id: new ObjectId(), list, event, created: new Date() });
  }

  async pop(list: string): Promise<QueueItem | null> {
    const document = await this.ctx.run(() => this.ctx.collection('maestro_queue').findOneAndDelete({ list }, { sort: { _id: 1 }, ...this.ctx.session }));
    if (!document) return null;
    return { position: (document._id as ObjectId).toHexString(), event: document.event as Record<string, unknown> };
  }

  async restore(list: string, item: QueueItem): Promise<void> {
    await this.ctx.insertIfAbsent('maestro_queue', { _id: new ObjectId(item.position) }, { _id: new ObjectId(item.position), list, event: item.event, created: new Date() });
  }

  async depths(): Promise<Record<string, number>> {
    const rows = await this.ctx.collection('maestro_queue').aggregate([{ $group: { _id: '$list', depth: { $sum: 1 } } }]).toArray();
    return Object.fromEntries(rows.map((row) => [String(row._id), Number(row.depth)]));
  }
}
