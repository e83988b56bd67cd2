/**
 * Mongoose schemas (declared with @nestjs/mongoose) of every collection Maestro reads or writes,
 * with KernelCI's collection names, field names and BSON types (docs/deployment.md#running-on-mongodb). The adapter
 * validates each document against them before writing it, and the offline tests check them.
 *
 * Options shared by every schema, and why:
 * - `versionKey: false`, `timestamps: false`: no `__v`/`createdAt` — Maestro MUST NOT add top-level
 *   fields to KernelCI documents (docs/deployment.md#running-on-mongodb).
 * - `minimize: false`: `artifacts: {}` and `data: {}` are stored as empty objects, as KernelCI does.
 * - `autoIndex: false`, `autoCreate: false`: indexes follow the reuse rules of docs/deployment.md#running-on-mongodb
 *   (mongo-index-manager.ts), never mongoose's own `createIndexes`.
 * - `strict: false`: documents written by KernelCI may carry fields this schema does not list
 *   (a redundant `id` on nodes, docs/nodes.md#model); they are kept.
 *
 * `pymongo_migrate` has no schema on purpose: Maestro never touches it (docs/deployment.md#running-on-mongodb). `telemetry` keeps
 * KernelCI's event layout (docs/telemetry.md).
 */
import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, SchemaTypes, type Types } from 'mongoose';

const OPTIONS = { versionKey: false, timestamps: false, minimize: false, autoIndex: false, autoCreate: false, strict: false } as const;

const NODE_STATES = ['running', 'available', 'closing', 'done'];
const NODE_RESULTS = ['pass', 'fail', 'skip', 'incomplete', null];

const integer = { validator: (value: unknown) => value === null || value === undefined || Number.isInteger(Number(value)), message: '{PATH} must be an integer' };
const stringOrNull = { validator: (value: unknown) => value === null || typeof value === 'string', message: '{PATH} must be a string or null' };

/** `node`: the 23 fields of docs/nodes.md#model (`id` is `_id`). */
@Schema({ ...OPTIONS, collection: 'node' })
export class NodeDocument {
  @Prop({ type: SchemaTypes.ObjectId, required: true }) _id!: Types.ObjectId;
  @Prop({ type: String, required: true }) kind!: string;
  @Prop({ type: String, required: true }) name!: string;
  @Prop({ type: [String], required: true, default: undefined }) path!: string[];
  @Prop({ type: String, default: null }) group!: string | null;
  @Prop({ type: SchemaTypes.ObjectId, default: null }) parent!: Types.ObjectId | null;
  @Prop({ type: String, required: true, enum: NODE_STATES }) state!: string;
  @Prop({ type: String, default: null, enum: NODE_RESULTS }) result!: string | null;
  @Prop({ type: SchemaTypes.Mixed, default: null }) artifacts!: Record<string, string> | null;
  @Prop({ type: SchemaTypes.Mixed, default: null }) data!: Record<string, unknown> | null;
  @Prop({ type: SchemaTypes.Mixed, default: null }) debug!: Record<string, unknown> | null;
  @Prop({ type: [String], default: null }) jobfilter!: string[] | null;
  @Prop({ type: [String], default: null }) platform_filter!: string[] | null;
  @Prop({ type: Date, required: true }) created!: Date;
  @Prop({ type: Date, required: true }) updated!: Date;
  @Prop({ type: Date, required: true }) timeout!: Date;
  @Prop({ type: Date, default: null }) holdoff!: Date | null;
  @Prop({ type: String, default: null }) owner!: string | null;
  @Prop({ type: String, default: null }) submitter!: string | null;
  @Prop({ type: String, default: null }) treeid!: string | null;
  @Prop({ type: [String], required: true, default: undefined }) user_groups!: string[];
  @Prop({ type: Boolean, required: true }) processed_by_kcidb_bridge!: boolean;
  @Prop({ type: Number, required: true, validate: integer }) retry_counter!: number;
}

/** An embedded copy of a `usergroup` document inside `user.groups` (readers also accept `id`). */
@Schema({ ...OPTIONS, _id: false })
export class EmbeddedGroup {
  @Prop({ type: SchemaTypes.ObjectId, required: true }) _id!: Types.ObjectId;
  @Prop({ type: String, required: true }) name!: string;
}
const EmbeddedGroupSchema = SchemaFactory.createForClass(EmbeddedGroup);

/** `user`: fastapi-users' fields plus embedded groups; `email` keeps its case (docs/deployment.md#running-on-mongodb). */
@Schema({ ...OPTIONS, collection: 'user' })
export class UserDocument {
  @Prop({ type: SchemaTypes.ObjectId, required: true }) _id!: Types.ObjectId;
  @Prop({ type: String, required: true }) email!: string;
  @Prop({ type: String, required: true }) hashed_password!: string;
  @Prop({ type: Boolean, required: true }) is_active!: boolean;
  @Prop({ type: Boolean, required: true }) is_superuser!: boolean;
  @Prop({ type: Boolean, required: true }) is_verified!: boolean;
  @Prop({ type: String, required: true }) username!: string;
  @Prop({ type: [EmbeddedGroupSchema], required: true, default: undefined }) groups!: EmbeddedGroup[];
}

/** `usergroup`. */
@Schema({ ...OPTIONS, collection: 'usergroup' })
export class UserGroupDocument {
  @Prop({ type: SchemaTypes.ObjectId, required: true }) _id!: Types.ObjectId;
  @Prop({ type: String, required: true }) name!: string;
}

/** The original CloudEvent Maestro keeps beside KernelCI's event fields, so replays are exact. */
@Schema({ ...OPTIONS, _id: false })
export class StoredCloudEvent {
  @Prop({ type: String, required: true }) id!: string;
  /** The envelope's own text (it carries microseconds, which a BSON date cannot). */
  @Prop({ type: String, required: true }) time!: string;
  @Prop({ type: String, required: true }) type!: string;
  @Prop({ type: String, required: true }) source!: string;
  @Prop({ type: String, required: true }) specversion!: string;
  @Prop({ type: SchemaTypes.Mixed, default: () => ({}) }) extensions!: Record<string, unknown>;
}
const StoredCloudEventSchema = SchemaFactory.createForClass(StoredCloudEvent);

/** `eventhistory`: KernelCI's event log (docs/events.md#the-log, docs/deployment.md#running-on-mongodb); `timestamp` carries the TTL index. */
@Schema({ ...OPTIONS, collection: 'eventhistory' })
export class EventHistoryDocument {
  @Prop({ type: SchemaTypes.ObjectId, required: true }) _id!: Types.ObjectId;
  @Prop({ type: Date, required: true }) timestamp!: Date;
  @Prop({ type: Number, required: true, validate: integer }) sequence_id!: number;
  @Prop({ type: String, required: true }) channel!: string;
  @Prop({ type: SchemaTypes.Mixed, default: null, validate: stringOrNull }) owner!: string | null;
  /** KernelCI stores an object; `/publish` payloads may be any JSON value, null included. */
  @Prop({ type: SchemaTypes.Mixed, default: null }) data!: unknown;
  @Prop({ type: StoredCloudEventSchema, default: undefined }) ce?: StoredCloudEvent;
}

/** `subscriber_state`: durable cursors keyed by `subscriber_id` (docs/events.md#durable-subscribers); `filter` is Maestro's. */
@Schema({ ...OPTIONS, collection: 'subscriber_state' })
export class SubscriberStateDocument {
  @Prop({ type: SchemaTypes.ObjectId, required: true }) _id!: Types.ObjectId;
  @Prop({ type: String, required: true }) subscriber_id!: string;
  @Prop({ type: String, required: true }) channel!: string;
  @Prop({ type: String, required: true }) user!: string;
  @Prop({ type: Boolean, required: true }) promiscuous!: boolean;
  @Prop({ type: Number, required: true, validate: integer }) last_event_id!: number;
  @Prop({ type: Date, required: true }) created_at!: Date;
  @Prop({ type: Date, default: null }) last_poll!: Date | null;
  @Prop({ type: SchemaTypes.Mixed, default: null }) filter!: Record<string, unknown> | null;
}

/** `maestro_counter`: `event_sequence` and `subscription_id`, int64 values (docs/deployment.md#running-on-mongodb). */
@Schema({ ...OPTIONS, collection: 'maestro_counter' })
export class CounterDocument {
  @Prop({ type: String, required: true, enum: ['event_sequence', 'subscription_id'] }) _id!: string;
  @Prop({ type: SchemaTypes.BigInt, required: true }) value!: bigint;
  /** `event_sequence` without transactions: the append holding the sequence lease, and until when. */
  @Prop({ type: String, default: undefined }) holder?: string | null;
  @Prop({ type: Date, default: undefined }) held_until?: Date | null;
}

/** `maestro_subscription`: live subscriptions shared by every replica (docs/architecture.md, docs/events.md#http-pubsub-kernelci-compatible). */
@Schema({ ...OPTIONS, collection: 'maestro_subscription' })
export class SubscriptionDocument {
  @Prop({ type: Number, required: true, validate: integer }) _id!: number;
  @Prop({ type: String, required: true }) channel!: string;
  @Prop({ type: String, required: true }) user!: string;
  @Prop({ type: Boolean, required: true }) promiscuous!: boolean;
  @Prop({ type: String, default: null }) subscriber_id!: string | null;
  @Prop({ type: String, required: true, enum: ['http', 'socket.io'] }) transport!: string;
  @Prop({ type: SchemaTypes.Mixed, default: null }) filter!: Record<string, unknown> | null;
  @Prop({ type: Date, required: true }) created!: Date;
  @Prop({ type: Date, default: null }) last_poll!: Date | null;
  @Prop({ type: Number, required: true, validate: integer }) position!: number;
  @Prop({ type: Number, default: null, validate: integer }) delivered!: number | null;
}

/** `maestro_apitoken`: revocable API tokens, only the hash stored (docs/auth.md#two-kinds-of-bearer-token). */
@Schema({ ...OPTIONS, collection: 'maestro_apitoken' })
export class ApiTokenDocument {
  @Prop({ type: SchemaTypes.ObjectId, required: true }) _id!: Types.ObjectId;
  @Prop({ type: SchemaTypes.ObjectId, required: true }) user_id!: Types.ObjectId;
  @Prop({ type: String, required: true }) name!: string;
  @Prop({ type: String, required: true }) prefix!: string;
  @Prop({ type: String, required: true }) token_hash!: string;
  @Prop({ type: Date, required: true }) created!: Date;
  @Prop({ type: Date, default: null }) expires_at!: Date | null;
  @Prop({ type: Date, default: null }) last_used!: Date | null;
  @Prop({ type: Date, default: null }) revoked_at!: Date | null;
}

/** `maestro_idempotency`: `Idempotency-Key` records (docs/nodes.md#idempotency-key); TTL on `created`. */
@Schema({ ...OPTIONS, collection: 'maestro_idempotency' })
export class IdempotencyDocument {
  @Prop({ type: SchemaTypes.ObjectId, required: true }) _id!: Types.ObjectId;
  @Prop({ type: SchemaTypes.ObjectId, required: true }) user_id!: Types.ObjectId;
  @Prop({ type: String, required: true }) method!: string;
  @Prop({ type: String, required: true }) path!: string;
  @Prop({ type: String, required: true }) key!: string;
  @Prop({ type: String, required: true }) fingerprint!: string;
  @Prop({ type: String, required: true, enum: ['pending', 'done'] }) state!: string;
  @Prop({ type: Number, default: null, validate: integer }) status!: number | null;
  /** The recorded response as JSON text, replayed byte for byte. */
  @Prop({ type: SchemaTypes.Mixed, default: null }) body!: unknown;
  @Prop({ type: [SchemaTypes.ObjectId], default: undefined }) node_ids?: Types.ObjectId[];
  @Prop({ type: Date, required: true }) created!: Date;
}

/** `maestro_ratelimit`: fixed-window counters (docs/auth.md#login-rate-limit); TTL 0 on `expires`. */
@Schema({ ...OPTIONS, collection: 'maestro_ratelimit' })
export class RateLimitDocument {
  @Prop({ type: SchemaTypes.ObjectId, required: true }) _id!: Types.ObjectId;
  @Prop({ type: String, required: true }) key!: string;
  @Prop({ type: Number, required: true, validate: integer }) count!: number;
  @Prop({ type: Date, required: true }) window_start!: Date;
  @Prop({ type: Date, required: true }) expires!: Date;
}

/**
 * `maestro_username`: every name an account has held, `_id` = the name (docs/adr/0012-account-ownership.md);
 * `user_id` is null for a name reserved from node owners without an account. Never deleted.
 */
@Schema({ ...OPTIONS, collection: 'maestro_username' })
export class UsernameDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: SchemaTypes.ObjectId, default: null }) user_id!: Types.ObjectId | null;
  @Prop({ type: Date, required: true }) claimed!: Date;
}

/** `maestro_lock`: background-job leases, `_id` = job name (docs/architecture.md); TTL 0 on `expires`. */
@Schema({ ...OPTIONS, collection: 'maestro_lock' })
export class LockDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) holder!: string;
  @Prop({ type: Date, required: true }) expires!: Date;
}

/** `telemetry`: KernelCI's telemetry events (docs/telemetry.md); no `id` field, `_id` is the id. */
@Schema({ ...OPTIONS, collection: 'telemetry' })
export class TelemetryDocument {
  @Prop({ type: SchemaTypes.ObjectId, required: true }) _id!: Types.ObjectId;
  @Prop({ type: Date, required: true }) ts!: Date;
  @Prop({ type: String, required: true }) kind!: string;
  @Prop({ type: String, required: true }) runtime!: string;
  @Prop({ type: String, default: null, validate: stringOrNull }) device_type!: string | null;
  @Prop({ type: String, default: null, validate: stringOrNull }) device_id!: string | null;
  @Prop({ type: String, default: null, validate: stringOrNull }) job_name!: string | null;
  @Prop({ type: String, default: null, validate: stringOrNull }) test_name!: string | null;
  @Prop({ type: String, default: null, validate: stringOrNull }) job_id!: string | null;
  @Prop({ type: String, default: null, validate: stringOrNull }) node_id!: string | null;
  @Prop({ type: String, default: null, validate: stringOrNull }) tree!: string | null;
  @Prop({ type: String, default: null, validate: stringOrNull }) branch!: string | null;
  @Prop({ type: String, default: null, validate: stringOrNull }) arch!: string | null;
  @Prop({ type: String, default: null, validate: stringOrNull }) result!: string | null;
  @Prop({ type: Boolean, required: true }) is_infra_error!: boolean;
  @Prop({ type: String, default: null, validate: stringOrNull }) error_type!: string | null;
  @Prop({ type: String, default: null, validate: stringOrNull }) error_msg!: string | null;
  @Prop({ type: Number, required: true, validate: integer }) retry!: number;
  @Prop({ type: SchemaTypes.Mixed, required: true }) extra!: Record<string, unknown>;
}

/** `maestro_kv`: the key/value store, `_id` = `<namespace length>:<namespace>/<key>`. */
@Schema({ ...OPTIONS, collection: 'maestro_kv' })
export class KeyValueDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) namespace!: string;
  @Prop({ type: String, required: true }) key!: string;
  @Prop({ type: String, required: true }) value!: string;
  @Prop({ type: Date, required: true }) updated!: Date;
}

/** `maestro_queue`: queue list items; `_id` (an ObjectId, time-ordered) is the FIFO position. */
@Schema({ ...OPTIONS, collection: 'maestro_queue' })
export class QueueItemDocument {
  @Prop({ type: SchemaTypes.ObjectId, required: true }) _id!: Types.ObjectId;
  @Prop({ type: String, required: true }) list!: string;
  @Prop({ type: SchemaTypes.Mixed, required: true }) event!: Record<string, unknown>;
  @Prop({ type: Date, required: true }) created!: Date;
}

/**
 * `maestro_pending_event`: the event outbox (docs/events.md), `_id` = the event's id; `data` and
 * `ce` as JSON text, so their key order survives until the append. Drained oldest first.
 */
@Schema({ ...OPTIONS, collection: 'maestro_pending_event' })
export class PendingEventDocument {
  @Prop({ type: SchemaTypes.ObjectId, required: true }) _id!: Types.ObjectId;
  @Prop({ type: Date, required: true }) timestamp!: Date;
  @Prop({ type: String, required: true }) channel!: string;
  @Prop({ type: String, default: null }) owner!: string | null;
  @Prop({ type: String, required: true }) data!: string;
  @Prop({ type: String, required: true }) ce!: string;
}

/** Model name → schema; the model name is also the collection name (docs/deployment.md#running-on-mongodb). */
export const MONGO_SCHEMAS = {
  node: SchemaFactory.createForClass(NodeDocument),
  user: SchemaFactory.createForClass(UserDocument),
  usergroup: SchemaFactory.createForClass(UserGroupDocument),
  eventhistory: SchemaFactory.createForClass(EventHistoryDocument),
  subscriber_state: SchemaFactory.createForClass(SubscriberStateDocument),
  maestro_counter: SchemaFactory.createForClass(CounterDocument),
  maestro_subscription: SchemaFactory.createForClass(SubscriptionDocument),
  maestro_apitoken: SchemaFactory.createForClass(ApiTokenDocument),
  maestro_idempotency: SchemaFactory.createForClass(IdempotencyDocument),
  maestro_ratelimit: SchemaFactory.createForClass(RateLimitDocument),
  maestro_lock: SchemaFactory.createForClass(LockDocument),
  maestro_username: SchemaFactory.createForClass(UsernameDocument),
  telemetry: SchemaFactory.createForClass(TelemetryDocument),
  maestro_kv: SchemaFactory.createForClass(KeyValueDocument),
  maestro_queue: SchemaFactory.createForClass(QueueItemDocument),
  maestro_pending_event: SchemaFactory.createForClass(PendingEventDocument),
} satisfies Record<string, MongooseSchema>;

export type MongoCollectionName = keyof typeof MONGO_SCHEMAS;
