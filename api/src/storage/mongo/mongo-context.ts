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
import type { Connection } from 'mongoose';
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
}

/** Any stored document: `_id` is an ObjectId on KernelCI's collections, a string or number on some of Maestro's. */
export type DocumentId = ObjectId | string | number;
export type StoredDocument = Document & { _id?: DocumentId };

const DUPLICATE_KEY = 11000;

export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;
}

export class MongoContext {
  constructor(
    readonly connection: Connection,
    readonly unit: MongoUnit = {},
  ) {}

  collection<T extends Document = StoredDocument>(name: MongoCollectionName): Collection<T> {
    const db = this.connection.db;
    if (!db) throw new Error('MongoDB connection is not open');
    return db.collection<T>(name);
  }

  /** Options every operation passes, so reads inside a transaction see its writes. */
  get session(): { session?: ClientSession } {
    return this.unit.session ? { session: this.unit.session } : {};
  }

  /** Checks a document against the collection's schema (§11.1 field names and BSON types). */
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
    await mapDuplicate(name, () => this.collection<StoredDocument>(name).insertOne(document, this.session));
    const id = document._id;
    this.unit.journal?.record(() => this.collection<StoredDocument>(name).deleteOne({ _id: id }));
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
    const after = await mapDuplicate(name, () => collection.findOneAndUpdate(filter, update, { ...options, returnDocument: 'after', ...this.session }));
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
    return (await collection.deleteMany(filter, this.session)).deletedCount;
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
