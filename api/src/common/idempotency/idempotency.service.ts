/**
 * `Idempotency-Key` on `POST /node` and `PUT /nodes/{id}` (docs/nodes.md#idempotency-key), usable by any write.
 *
 * The first request with a key claims a record (status NULL = in progress); its outcome is written
 * in the same transaction as the node write, so a committed write always has its record. A failed
 * execution drops the claim (nothing was committed), so a retry re-executes. An in-progress claim
 * whose process died expires after 60 s.
 */
import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { BadRequestError, ConflictError, UnprocessableError } from '../errors/domain-errors';
import { JobRunner } from '../jobs/job-runner';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { STORAGE, type IdempotencyScope, type Repositories, type Storage } from '../../storage/ports';

export const IN_PROGRESS_TTL_MS = 60_000;
const VISIBLE_ASCII = /^[\x21-\x7e]{1,255}$/;
/** How often expired records are deleted (replays already ignore them; this only frees space). */
const CLEANUP_INTERVAL_MS = 60 * 60 * 1000;

/** The header's value, or null when absent; 400 `Invalid Idempotency-Key header` when malformed. */
export function parseIdempotencyKey(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  const value = Array.isArray(header) ? header[header.length - 1] : header;
  if (!VISIBLE_ASCII.test(value)) throw new BadRequestError('Invalid Idempotency-Key header');
  return value;
}

/**
 * SHA-256 of the request body and query string. The body is fingerprinted as parsed JSON
 * re-serialised (key order kept), so a retry that re-sends the same document matches even if a
 * proxy changed its whitespace.
 */
export function requestFingerprint(body: unknown, queryString: string): string {
  return createHash('sha256').update(JSON.stringify(body ?? null)).update('\n').update(queryString).digest('hex');
}

export type Replay<T> = { replayed: boolean; result: T };

/** Called inside the write's transaction with the result, so the record commits with the write. */
export type IdempotencyRecorder<T> = (tx: Repositories, result: T) => Promise<void>;

/** An `Idempotency-Key` request: its key, where it was sent, and a fingerprint of what it sent. */
export interface IdempotentRequest {
  key: string;
  method: string;
  /** The request path after version routing, so `/node`, `/v0/node` and `/latest/node` are one scope. */
  path: string;
  fingerprint: string;
}

export interface IdempotentWrite<T> {
  /** The caller; keys are scoped per user. */
  userId: string;
  /** The key and its request, or null when the request carried no key (the write just executes). */
  request: IdempotentRequest | null;
  /** Performs the write; with a key, calls `record` inside its transaction. */
  execute: (record?: IdempotencyRecorder<T>) => Promise<T>;
  /** What the record keeps of a result (default: the result itself, which must be JSON). */
  toRecord?: (result: T) => unknown;
  /** Rebuilds the answer of a replay from the record (default: the record itself). */
  fromRecord?: (recorded: unknown) => Promise<T> | T;
}

/**
 * Runs writes at most once per `Idempotency-Key` (docs/nodes.md). Services call it around their
 * write; the HTTP layer only turns the header into an {@link IdempotentRequest}.
 */
@Injectable()
export class IdempotencyService implements OnModuleInit {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobRunner,
  ) {}

  onModuleInit(): void {
    this.jobs.register({
      name: 'idempotency-cleanup',
      everyMs: CLEANUP_INTERVAL_MS,
      leaseTtlMs: CLEANUP_INTERVAL_MS / 2,
      run: async () => {
        const deleted = await this.cleanup();
        return deleted > 0 ? `deleted ${deleted} expired record(s)` : undefined;
      },
    });
  }

  /** Deletes expired records; returns how many. */
  async cleanup(now = new Date()): Promise<number> {
    return this.storage.idempotency.deleteOlderThan(new Date(now.getTime() - this.config.idempotencyTtlSeconds * 1000));
  }

  /** Executes the write once per scope; a replay answers the recorded result instead. */
  async run<T>(write: IdempotentWrite<T>): Promise<Replay<T>> {
    const { request } = write;
    if (!request) return { replayed: false, result: await write.execute() };
    const scope: IdempotencyScope = { userId: write.userId, method: request.method, path: request.path, key: request.key };
    const toRecord = write.toRecord ?? ((result: T) => result);
    const fromRecord = write.fromRecord ?? ((recorded: unknown) => recorded as T);
    const ttlMs = this.config.idempotencyTtlSeconds * 1000;
    const claim = await this.storage.idempotency.begin(scope, request.fingerprint, ttlMs, IN_PROGRESS_TTL_MS);
    if (claim.outcome !== 'started') {
      if (claim.fingerprint !== request.fingerprint) {
        throw new UnprocessableError('Idempotency-Key has already been used with a different request');
      }
      if (claim.outcome === 'in_progress') throw new ConflictError('A request with this Idempotency-Key is already in progress');
      return { replayed: true, result: await fromRecord(claim.response) };
    }
    try {
      const result = await write.execute((tx, value) => tx.idempotency.complete(scope, 200, toRecord(value)));
      return { replayed: false, result };
    } catch (error) {
      await this.storage.idempotency.abandon(scope).catch(() => undefined);
      throw error;
    }
  }
}
