/**
 * `Idempotency-Key` on `POST /node` and `PUT /nodes/{id}` (contract §7.10, §13.5).
 *
 * The first request with a key claims a record (status NULL = in progress); its outcome is written
 * in the same transaction as the node write, so a committed write always has its record. A failed
 * execution drops the claim (nothing was committed), so a retry re-executes. An in-progress claim
 * whose process died expires after 60 s.
 */
import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { BadRequestError, ConflictError, UnprocessableError } from '../errors/domain-errors';
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

export type Replay<T> = { replayed: true; result: T } | { replayed: false; result: T };

@Injectable()
export class IdempotencyService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Idempotency');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.cleanup(), CLEANUP_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async cleanup(): Promise<void> {
    try {
      await this.storage.idempotency.deleteOlderThan(new Date(Date.now() - this.config.idempotencyTtlSeconds * 1000));
    } catch (error) {
      this.logger.warn(`cleanup failed: ${(error as Error).message}`);
    }
  }

  /**
   * Executes `execute` once per scope: `execute` receives a recorder to call inside its write
   * transaction; a replay answers `fromRecord(recorded)` instead. Without a key, just executes.
   */
  async run<T>(
    scope: IdempotencyScope | null,
    fingerprint: string,
    execute: (record?: (tx: Repositories, result: T) => Promise<void>) => Promise<T>,
    toRecord: (result: T) => unknown,
    fromRecord: (recorded: unknown) => Promise<T>,
  ): Promise<Replay<T>> {
    if (!scope) return { replayed: false, result: await execute() };
    const ttlMs = this.config.idempotencyTtlSeconds * 1000;
    const claim = await this.storage.idempotency.begin(scope, fingerprint, ttlMs, IN_PROGRESS_TTL_MS);
    if (claim.outcome !== 'started') {
      if (claim.fingerprint !== fingerprint) {
        throw new UnprocessableError('Idempotency-Key has already been used with a different request');
      }
      if (claim.outcome === 'in_progress') throw new ConflictError('A request with this Idempotency-Key is already in progress');
      return { replayed: true, result: await fromRecord(claim.response) };
    }
    try {
      const result = await execute((tx, value) => tx.idempotency.complete(scope, 200, toRecord(value)));
      return { replayed: false, result };
    } catch (error) {
      await this.storage.idempotency.abandon(scope).catch(() => undefined);
      throw error;
    }
  }
}
