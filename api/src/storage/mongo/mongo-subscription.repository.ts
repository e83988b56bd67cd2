/**
 * Live subscriptions (`maestro_subscription`) and durable cursors (`subscriber_state`, docs/events.md#durable-subscribers);
 * subscription ids come from `maestro_counter` (docs/deployment.md#running-on-mongodb).
 */
import { Long, ObjectId } from 'bson';
import type { Document } from 'mongodb';
import {
  type DeliveryState,
  type PayloadFilter,
  type SubscriberStateRecord,
  type SubscriberStateRepository,
  type SubscriptionRecord,
  type SubscriptionRepository,
  type SubscriptionTransport,
} from '../ports';
import type { MongoContext } from './mongo-context';
import { bsonInteger } from './mongo-bson';

export function subscriptionToDocument(s: SubscriptionRecord): Document & { _id: number } {
  return {
    _id: s.id,
    channel: s.channel,
    user: s.user,
    promiscuous: s.promiscuous,
    subscriber_id: s.subscriberId,
    transport: s.transport,
    filter: s.filter,
    created: s.created,
    last_poll: s.lastPoll,
    position: s.position,
    delivered: s.delivered,
  };
}

export function subscriptionFromDocument(document: Document): SubscriptionRecord {
  return {
    id: Number(document._id),
    channel: document.channel,
    user: document.user,
    promiscuous: document.promiscuous === true,
    subscriberId: document.subscriber_id ?? null,
    transport: document.transport as SubscriptionTransport,
    filter: (document.filter ?? null) as PayloadFilter | null,
    created: document.created,
    lastPoll: document.last_poll ?? null,
    position: Number(document.position),
    delivered: document.delivered === null || document.delivered === undefined ? null : Number(document.delivered),
  };
}

/** Never polled and created before the cutoff, or polled before it (pure, docs/events.md). */
export function idleFilter(cutoff: Date, createdField: 'created' | 'created_at'): Document {
  return { $or: [{ last_poll: { $lt: cutoff } }, { last_poll: null, [createdField]: { $lt: cutoff } }] };
}

export class MongoSubscriptionRepository implements SubscriptionRepository {
  constructor(private readonly ctx: MongoContext) {}

  private get subscriptions() {
    return this.ctx.collection('maestro_subscription');
  }

  async nextId(): Promise<number> {
    const counter = await this.ctx.run(() =>
      this.ctx
        .collection('maestro_counter')
        .findOneAndUpdate({ _id: 'subscription_id' }, { $inc: { value: Long.fromNumber(1) } }, { upsert: true, returnDocument: 'after', ...this.ctx.session }),
    );
    return Number(counter!.value);
  }

  async insert(subscription: SubscriptionRecord): Promise<void> {
    await this.ctx.insert('maestro_subscription', subscriptionToDocument(subscription));
  }

  async findById(id: number): Promise<SubscriptionRecord | null> {
    const document = await this.subscriptions.findOne({ _id: id }, this.ctx.session);
    return document ? subscriptionFromDocument(document) : null;
  }

  async list(): Promise<SubscriptionRecord[]> {
    return (await this.subscriptions.find({}, { ...this.ctx.session, sort: { _id: 1 } }).toArray()).map(subscriptionFromDocument);
  }

  countByUser(user: string): Promise<number> {
    return this.subscriptions.countDocuments({ user: { $eq: user } }, this.ctx.session);
  }

  async findBySubscriberId(subscriberId: string, transport: SubscriptionTransport): Promise<SubscriptionRecord[]> {
    const documents = await this.subscriptions
      .find({ subscriber_id: { $eq: subscriberId }, transport: { $eq: transport } }, { ...this.ctx.session, sort: { _id: 1 } })
      .toArray();
    return documents.map(subscriptionFromDocument);
  }

  async delete(id: number): Promise<boolean> {
    return (await this.ctx.remove('maestro_subscription', { _id: id })) > 0;
  }

  /** Compare-and-set in one update: matches only while position and delivered are as expected. */
  async updateDelivery(id: number, expected: DeliveryState, next: DeliveryState): Promise<boolean> {
    const after = await this.ctx.modify(
      'maestro_subscription',
      { _id: id, position: expected.position, delivered: expected.delivered },
      { $set: { position: next.position, delivered: next.delivered } },
    );
    return after !== null;
  }

  async touch(id: number, at: Date, position?: number): Promise<boolean> {
    const update = position === undefined ? { $set: { last_poll: at } } : { $set: { last_poll: at }, $max: { position } };
    return (await this.ctx.modify('maestro_subscription', { _id: id }, update)) !== null;
  }

  deleteIdle(cutoff: Date): Promise<number> {
    return this.ctx.remove('maestro_subscription', idleFilter(cutoff, 'created'));
  }
}

export function subscriberStateToDocument(s: SubscriberStateRecord): Document & { _id: ObjectId } {
  return {
    _id: new ObjectId(),
    subscriber_id: s.subscriberId,
    channel: s.channel,
    user: s.user,
    promiscuous: s.promiscuous,
    last_event_id: bsonInteger(s.lastEventId),
    created_at: s.createdAt,
    last_poll: s.lastPoll,
    filter: s.filter,
  };
}

/** Reads a cursor (pure); KernelCI's documents have no `filter` (null) and may hold int64 ids. */
export function subscriberStateFromDocument(document: Document): SubscriberStateRecord {
  return {
    subscriberId: String(document.subscriber_id),
    channel: String(document.channel),
    user: String(document.user),
    promiscuous: document.promiscuous === true,
    lastEventId: Number(document.last_event_id ?? 0),
    createdAt: document.created_at,
    lastPoll: document.last_poll instanceof Date ? document.last_poll : null,
    filter: (document.filter ?? null) as PayloadFilter | null,
  };
}

export class MongoSubscriberStateRepository implements SubscriberStateRepository {
  constructor(private readonly ctx: MongoContext) {}

  async find(subscriberId: string): Promise<SubscriberStateRecord | null> {
    const document = await this.ctx.collection('subscriber_state').findOne({ subscriber_id: { $eq: subscriberId } }, this.ctx.session);
    return document ? subscriberStateFromDocument(document) : null;
  }

  async insert(state: SubscriberStateRecord): Promise<void> {
    await this.ctx.insert('subscriber_state', subscriberStateToDocument(state));
  }

  async updateSettings(subscriberId: string, settings: { promiscuous: boolean; filter: PayloadFilter | null }): Promise<void> {
    await this.ctx.modify('subscriber_state', { subscriber_id: { $eq: subscriberId } }, { $set: { promiscuous: settings.promiscuous, filter: settings.filter } });
  }

  async advance(subscriberId: string, lastEventId: number, polledAt: Date | null): Promise<number> {
    const after = await this.ctx.modify('subscriber_state', { subscriber_id: { $eq: subscriberId } }, {
      $max: { last_event_id: bsonInteger(lastEventId) },
      ...(polledAt ? { $set: { last_poll: polledAt } } : {}),
    });
    return after ? Number(after.last_event_id) : lastEventId;
  }

  deleteIdle(cutoff: Date): Promise<number> {
    return this.ctx.remove('subscriber_state', idleFilter(cutoff, 'created_at'));
  }
}
