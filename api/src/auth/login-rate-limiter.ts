/**
 * Rate limits of the credential routes (docs/auth.md "Rate limits", docs/adr/0003-auth.md), with
 * counters in `maestro_ratelimit` shared by every replica. A counter's window opens at the event
 * that creates it and lasts LOGIN_RATE_LIMIT_WINDOW_SECONDS; a blocked attempt is answered 429
 * without looking at the password, with `Retry-After` = the seconds until the blocking window ends,
 * and is not counted.
 *
 * Failed credential checks are counted three ways, so guessing stays expensive while nobody can lock
 * an account's owner out (issue #11):
 * - per username AND address (`pair`): LOGIN_RATE_LIMIT_ATTEMPTS failures block that address for
 *   that username only;
 * - per address (`addr`): ten times as many block the address for every username (spraying);
 * - per username (`user`), from every address: ten times as many block the username, except from an
 *   address where that account logged in successfully in the last 30 days (`known`), so a
 *   distributed guesser is capped without locking the owner out of their usual places.
 * The client address is Fastify's `request.ip` under TRUSTED_PROXIES (common/http/forwarded.ts).
 */
import { createHash } from 'node:crypto';
import { type CanActivate, createParamDecorator, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { TooManyRequestsError } from '../common/errors/domain-errors';
import { clientAddress } from '../common/http/forwarded';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { STORAGE, type RateLimitRecord, type Storage } from '../storage/ports';

export const TOO_MANY_LOGIN_ATTEMPTS = 'Too many login attempts, try again later';
export const TOO_MANY_RESET_REQUESTS = 'Too many password reset requests, try again later';
/** An address, or a username from all addresses, may fail this many times the per-pair limit. */
const WIDE_FACTOR = 10;
/** How long a successful login makes its address "known" to the account. */
const KNOWN_ADDRESS_MS = 30 * 24 * 3600 * 1000;

/** Keys stay short whatever a client sends as username (index entries have a size limit). */
function keyPart(value: string): string {
  return value.length <= 128 ? value : `sha256:${createHash('sha256').update(value).digest('hex')}`;
}

const keys = (username: string, address: string) => ({
  addr: `login:addr:${keyPart(address)}`,
  pair: `login:pair:${keyPart(address)}/${keyPart(username)}`,
  user: `login:user:${keyPart(username)}`,
  known: `login:known:${keyPart(address)}/${keyPart(username)}`,
});

@Injectable()
export class LoginRateLimiter {
  private lastPurge = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(STORAGE) private readonly storage: Storage,
  ) {}

  private get windowMs(): number {
    return this.config.loginRateLimit.windowSeconds * 1000;
  }

  private static block(detail: string, blocking: RateLimitRecord[], now: Date): void {
    if (blocking.length === 0) return;
    const waitMs = Math.max(...blocking.map((c) => c.expires.getTime() - now.getTime()));
    throw new TooManyRequestsError(detail, waitMs / 1000);
  }

  /** Throws the 429 while a counter that applies to this attempt is at its limit. Never counts. */
  async check(username: string | undefined, address: string, now = new Date()): Promise<void> {
    const { attempts } = this.config.loginRateLimit;
    const k = keys(username ?? '', address);
    const wanted = username !== undefined ? [k.addr, k.pair, k.user, k.known] : [k.addr];
    const counters = new Map((await this.storage.rateLimits.active(wanted, now)).map((c) => [c.key, c]));
    const reached = (key: string, limit: number) => {
      const counter = counters.get(key);
      return counter && counter.count >= limit ? [counter] : [];
    };
    const blocking = [
      ...reached(k.addr, attempts * WIDE_FACTOR),
      ...(username !== undefined ? reached(k.pair, attempts) : []),
      ...(username !== undefined && !counters.has(k.known) ? reached(k.user, attempts * WIDE_FACTOR) : []),
    ];
    LoginRateLimiter.block(TOO_MANY_LOGIN_ATTEMPTS, blocking, now);
  }

  async recordFailure(username: string, address: string, now = new Date()): Promise<void> {
    const k = keys(username, address);
    for (const key of [k.pair, k.user, k.addr]) await this.storage.rateLimits.hit(key, this.windowMs, now);
    await this.purgeNow(now);
  }

  /**
   * A right password clears this address's counter for the username and makes the address known
   * to the account for 30 days; the account-wide and address counters keep counting.
   */
  async recordSuccess(username: string, address: string, now = new Date()): Promise<void> {
    const k = keys(username, address);
    await this.storage.rateLimits.clear(k.pair);
    await this.storage.rateLimits.clear(k.known);
    await this.storage.rateLimits.hit(k.known, KNOWN_ADDRESS_MS, now);
  }

  /**
   * `POST /user/forgot-password`: every request counts (each may send a mail and costs a password
   * hash); LOGIN_RATE_LIMIT_ATTEMPTS per address and window, then 429 until the window ends.
   */
  async countResetRequest(address: string, now = new Date()): Promise<void> {
    const key = `reset:addr:${keyPart(address)}`;
    const [counter] = await this.storage.rateLimits.active([key], now);
    if (counter && counter.count >= this.config.loginRateLimit.attempts) LoginRateLimiter.block(TOO_MANY_RESET_REQUESTS, [counter], now);
    await this.storage.rateLimits.hit(key, this.windowMs, now);
    await this.purgeNow(now);
  }

  /**
   * Rows of ended windows are useless; drop them about once per window per replica so guessed
   * usernames cannot grow the table without bound (the TTL index of the MongoDB layout).
   */
  private async purgeNow(now: Date): Promise<void> {
    if (now.getTime() - this.lastPurge < this.windowMs) return;
    this.lastPurge = now.getTime();
    await this.storage.rateLimits.purgeExpired(now);
  }
}

type RawRequest = FastifyRequest & { body?: unknown };

/**
 * Applies the login limit before request validation (a 429 comes before a 422, docs/auth.md),
 * reading the username straight from the parsed form.
 */
@Injectable()
export class LoginRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: LoginRateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RawRequest>();
    const body = request.body as Record<string, unknown> | undefined;
    const username = body && typeof body === 'object' && typeof body.username === 'string' ? body.username : undefined;
    await this.limiter.check(username, clientAddress(request));
    return true;
  }
}

/** Counts a `forgot-password` request, or answers 429, before anything else is done with it. */
@Injectable()
export class ResetRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: LoginRateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.limiter.countResetRequest(clientAddress(context.switchToHttp().getRequest<RawRequest>()));
    return true;
  }
}

/** The caller's address: the TCP peer, or the right-most untrusted hop behind TRUSTED_PROXIES. */
export const ClientAddress = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  clientAddress(context.switchToHttp().getRequest<RawRequest>()),
);
