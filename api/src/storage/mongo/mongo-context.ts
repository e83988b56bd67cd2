/**
 * What every MongoDB repository gets: the collections, the unit of work it runs in, and writes that
 * validate the document against its mongoose schema, map duplicate keys to the port's
 * DuplicateKeyError, and take part in the unit of work.
 *
 * A unit of work is either a real transaction (`session`, on a replica set or sharded cluster) or,
 * on a standalone server, which has no transactions, an undo journal: every write records how to
 * reverse it, and the journal is played backwards when the work throws (docs/deployment.md states
 * what that fallback does and does not guarantee).
 */
import type { ClientSession, Collection, Document, Filter, ObjectId, UpdateFilter } from 'mongodb';
import mongoose, { type Connection } from 'mongoose';
import { DuplicateKeyError } from '../ports';
import type { MongoCollectionName } from './mongo-schemas';

/** Reverses the writes of a failed unit of work on a server without transactions, newest first. */
export class UndoJournal {
  private readonly steps: (() => Promise<unknown>)[] = [];

  record(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  /** Plays every step even if one fails, then reports the first failure. */
  async undo(): Promise<void> {
    let firstError: unknown;
    for (const step of this.steps.reverse()) {
      try {
        await step();
      } catch (error) {
        firstError ??= error;
      }
    }
    this.steps.length = 0;
    if (firstError !== undefined) throw firstError;
  }
}

export interface MongoUnit {
  /** Set inside a transaction: every operation passes it. */
  session?: ClientSession;
  /** Set inside a unit of work on a standalone server. */
  journal?: UndoJournal;
  /** Identifies the unit as the holder of the locks it takes. */
  holder?: string;
  /** `afterCommit` callbacks, run by MongoStorage.transaction once the unit has committed. */
  hooks?: (() => void)[];
  /**
   * Replica set: sequence ids this attempt reserved (ADR 0007); MongoStorage.transaction releases
   * them when the attempt ends, committed or not.
   */
  reservations?: number[];
  /** Standalone server: lock releases to run when the unit ends, whatever its outcome. */
  releases?: (() => Promise<unknown>)[];
  /**
   * A transient transaction error (write conflict) that a caller caught and swallowed: the server
   * has aborted the transaction, so MongoStorage.transaction rethrows it for the driver to retry.
   */
  poisoned?: unknown;
}

/** Any stored document: `_id` is an ObjectId on KernelCI's collections, a string or number on some of Maestro's. */
export type DocumentId = ObjectId | string | number;
export type StoredDocument = Document & { _id?: DocumentId };

const DUPLICATE_KEY = 11000;

export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;
}

/** Server error codes the adapter maps to port errors. */
export const MONGO_MAX_TIME_MS_EXPIRED = 50;
const MONGO_INVALID_REGEX_CODES = new Set([51091, 51108]);
const MONGO_BAD_VALUE = 2;

/** A `$regex` the server cannot compile (code 51091, or BadValue naming the expression on older servers). */
export function isInvalidRegex(error: unknown): boolean {
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  return MONGO_INVALID_REGEX_CODES.has(code as number) || (code === MONGO_BAD_VALUE && /regular expression/i.test(String(message)));
}


/** A second operation was started on a session while one was still in flight. */
export class ConcurrentSessionUseError extends Error {
  constructor() {
    super('a second MongoDB operation was started on a session while another is in flight (operations of one transaction must run one at a time)');
  }
}

const busySessions = new WeakSet<ClientSession>();

/**
 * Runs one operation on `session`, refusing to start a second one while the first is in flight. The
 * driver leaves concurrent operations on one session undefined: inside a transaction, the first
 * write conflict aborts it with the others still running (NoSuchTransaction, TransactionTooOld).
 * Without a session there is nothing to guard.
 */
export async function exclusive<T>(session: ClientSession | undefined, operation: () => Promise<T>): Promise<T> {
  if (!session) return operation();
  if (busySessions.has(session)) throw new ConcurrentSessionUseError();
  busySessions.add(session);
  try {
    return await operation();
  } finally {
    busySessions.delete(session);
  }
}

export class MongoContext {
  constructor(
    readonly connection: Connection,
    /** True on a replica set or sharded cluster (units of work are transactions). */
    readonly transactions: boolean,
    readonly unit: MongoUnit = {},
  ) {}

  /** The same connection in another unit of work. */
  withUnit(unit: MongoUnit): MongoContext {
    return new MongoContext(this.connection, this.transactions, unit);
  }

  /** Outside a unit of work every write has already happened, so the callback runs now. */
  afterCommit(callback: () => void): void {
    if (this.unit.hooks) this.unit.hooks.push(callback);
    else callback();
  }

  /**
   * Runs one write of the unit. A server error inside a transaction makes MongoDB abort the
   * transaction, so it is remembered: a caller that catches it (the event append's fallback) cannot
   * make the aborted transaction look committed (MongoStorage.transaction rethrows it; a transient
   * one re-runs the unit). The driver's classes come through `mongoose.mongo`: `mongodb` is not a
   * direct dependency. Every operation that passes the unit's session goes through here, one at a
   * time (`exclusive`).
   */
  async run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await exclusive(this.unit.session, operation);
    } catch (error) {
      if (this.unit.session && error instanceof mongoose.mongo.MongoServerError) this.unit.poisoned ??= error;
      throw error;
    }
  }

  collection<T extends Document = StoredDocument>(name: MongoCollectionName): Collection<T> {
    const db = this.connection.db;
    if (!db) throw new Error('MongoDB connection is not open');
    return db.collection<T>(name);
  }

  /** Options every operation passes, so reads inside a transaction see its writes. */
  get session(): { session?: ClientSession } {
    return this.unit.session ? { session: this.unit.session } : {};
  }

  /** Checks a document against the collection's schema (docs/deployment.md#running-on-mongodb field names and BSON types). */
  async validate(name: MongoCollectionName, document: Document): Promise<void> {
    const Model = this.connection.model(name);
    try {
      await new Model(document).validate();
    } catch (error) {
      throw new Error(`refusing to write an invalid ${name} document: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async insert(name: MongoCollectionName, document: Document & { _id: DocumentId }): Promise<void> {
    await this.validate(name, document);
    await mapDuplicate(name, () => this.run(() => this.collection<StoredDocument>(name).insertOne(document, this.session)));
    const id = document._id;
    this.unit.journal?.record(() => this.collection<StoredDocument>(name).deleteOne({ _id: id }));
  }

  /** Inserts documents in the given order, `chunk` per round trip; the journal deletes them. */
  async insertMany(name: MongoCollectionName, documents: (Document & { _id: DocumentId })[], chunk = 1000): Promise<void> {
    for (const document of documents) await this.validate(name, document);
    const collection = this.collection<StoredDocument>(name);
    for (let i = 0; i < documents.length; i += chunk) {
      const part = documents.slice(i, i + chunk);
      await mapDuplicate(name, () => this.run(() => collection.insertMany(part, { ordered: true, ...this.session })));
      const ids = part.map((document) => document._id);
      this.unit.journal?.record(() => collection.deleteMany({ _id: { $in: ids } }));
    }
  }

  /**
   * Inserts `document` unless one matches `filter` (a unique key): true when inserted. Unlike an
   * insert that hits a duplicate key, this never fails inside a transaction, which the server would
   * abort; the transaction stays usable (docs/security.md#input-limits, the event append).
   */
  async insertIfAbsent(name: MongoCollectionName, filter: Filter<StoredDocument>, document: Document & { _id: DocumentId }): Promise<boolean> {
    await this.validate(name, document);
    const collection = this.collection<StoredDocument>(name);
    // The upsert copies the filter's equalities into the new document; the rest is set on insert.
    const onInsert: Document = { ...document };
    for (const key of Object.keys(filter)) delete onInsert[key];
    const _id = document._id;
    try {
      const result = await this.run(() => collection.updateOne(filter, { $setOnInsert: onInsert }, { upsert: true, ...this.session }));
      if (result.upsertedCount === 0) return false;
    } catch (error) {
      // Two concurrent upserts of the same key outside a transaction: the loser did not insert.
      if (isDuplicateKey(error) && !this.unit.session) return false;
      throw error;
    }
    this.unit.journal?.record(() => collection.deleteOne({ _id }));
    return true;
  }

  /**
   * Applies one update per document id (`$set` of known fields), `chunk` per round trip; the
   * journal restores the pre-images.
   */
  async updateEach(name: MongoCollectionName, updates: { id: DocumentId; update: UpdateFilter<StoredDocument> }[], chunk = 1000): Promise<void> {
    const collection = this.collection<StoredDocument>(name);
    for (let i = 0; i < updates.length; i += chunk) {
      const part = updates.slice(i, i + chunk);
      if (this.unit.journal) {
        const before = await collection.find({ _id: { $in: part.map((u) => u.id) } }).toArray();
        this.unit.journal.record(() =>
          before.length === 0 ? Promise.resolve() : collection.bulkWrite(before.map((document) => ({ replaceOne: { filter: { _id: document._id }, replacement: document } }))),
        );
      }
      await mapDuplicate(name, () =>
        this.run(() =>
          collection.bulkWrite(
            part.map(({ id, update }) => ({ updateOne: { filter: { _id: id }, update } })),
            { ordered: true, ...this.session },
          ),
        ),
      );
    }
  }

  /**
   * Updates (or, with `upsert`, inserts) one document and answers it as it is after the write, or
   * null when nothing matched. In the undo journal, the pre-image is restored or the upserted
   * document deleted.
   */
  async modify(
    name: MongoCollectionName,
    filter: Filter<StoredDocument>,
    update: UpdateFilter<StoredDocument> | Document[],
    options: { upsert?: boolean } = {},
  ): Promise<StoredDocument | null> {
    const collection = this.collection<StoredDocument>(name);
    const journal = this.unit.journal;
    const before = journal ? await collection.findOne(filter) : null;
    const after = await mapDuplicate(name, () =>
      this.run(() => collection.findOneAndUpdate(filter, update, { ...options, returnDocument: 'after', ...this.session })),
    );
    if (journal && after) {
      const id = after._id;
      journal.record(() => (before ? collection.replaceOne({ _id: before._id }, before) : collection.deleteOne({ _id: id })));
    }
    return after;
  }

  /** Deletes matching documents; the journal re-inserts them. */
  async remove(name: MongoCollectionName, filter: Filter<StoredDocument>): Promise<number> {
    const collection = this.collection<StoredDocument>(name);
    if (this.unit.journal) {
      const removed = await collection.find(filter).toArray();
      if (removed.length === 0) return 0;
      await collection.deleteMany({ _id: { $in: removed.map((document) => document._id) } });
      this.unit.journal.record(() => collection.insertMany(removed));
      return removed.length;
    }
    return (await this.run(() => collection.deleteMany(filter, this.session))).deletedCount;
  }
}

async function mapDuplicate<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isDuplicateKey(error)) throw new DuplicateKeyError(name);
    throw error;
  }
}
