/**
 * The login rate limit of contract §4.9. Failed credential checks are counted per username and per
 * client address in `maestro_ratelimit` (shared by every replica); a counter's window opens at the
 * failure that creates it and lasts LOGIN_RATE_LIMIT_WINDOW_SECONDS. While a username has
 * LOGIN_RATE_LIMIT_ATTEMPTS failures, or an address ten times that many, attempts are answered 429
 * without looking at the password, with `Retry-After` = the seconds until the blocking window ends.
 * docs/adr/0003-auth.md explains why this is ours and not rate-limiter-flexible.
 */
import { type CanActivate, createParamDecorator, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { TooManyRequestsError } from '../common/errors/domain-errors';
import { clientAddress } from '../common/http/forwarded';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { STORAGE, type Storage } from '../storage/ports';

export const TOO_MANY_LOGIN_ATTEMPTS = 'Too many login attempts, try again later';
/** An address may fail this many times the per-username limit (§4.9). */
const ADDRESS_FACTOR = 10;

const userKey = (username: string): string => `login:user:${username}`;
const addressKey = (address: string): string => `login:addr:${address}`;

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

  /** Throws the 429 of §4.9 while either counter is at its limit. Never counts anything itself. */
  async check(username: string | undefined, address: string, now = new Date()): Promise<void> {
    const { attempts } = this.config.loginRateLimit;
    const keys = [addressKey(address), ...(username !== undefined ? [userKey(username)] : [])];
    const counters = await this.storage.rateLimits.active(keys, now);
    const blocking = counters.filter((c) => c.count >= (c.key.startsWith('login:addr:') ? attempts * ADDRESS_FACTOR : attempts));
    if (blocking.length === 0) return;
    const waitMs = Math.max(...blocking.map((c) => c.expires.getTime() - now.getTime()));
    throw new TooManyRequestsError(TOO_MANY_LOGIN_ATTEMPTS, waitMs / 1000);
  }

  async recordFailure(username: string, address: string, now = new Date()): Promise<void> {
    await this.storage.rateLimits.hit(userKey(username), this.windowMs, now);
    await this.storage.rateLimits.hit(addressKey(address), this.windowMs, now);
    // Rows of ended windows are useless; drop them about once per window per replica so guessed
    // usernames cannot grow the table without bound (the TTL index of the MongoDB layout, §11.2).
    if (now.getTime() - this.lastPurge >= this.windowMs) {
      this.lastPurge = now.getTime();
      await this.storage.rateLimits.purgeExpired(now);
    }
  }

  /** A right password clears the username's counter (§4.9); the address counter keeps counting. */
  async recordSuccess(username: string): Promise<void> {
    await this.storage.rateLimits.clear(userKey(username));
  }
}

type RawRequest = FastifyRequest & { body?: unknown };

function requestAddress(request: RawRequest): string {
  return clientAddress(request);
}

/**
 * Applies the limit before authentication-free validation (contract §2.4 precedence: 429 before
 * 422), reading the username straight from the parsed form.
 */
@Injectable()
export class LoginRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: LoginRateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RawRequest>();
    const body = request.body as Record<string, unknown> | undefined;
    const username = body && typeof body === 'object' && typeof body.username === 'string' ? body.username : undefined;
    await this.limiter.check(username, requestAddress(request));
    return true;
  }
}

/** The caller's address as §4.9 defines it (TCP peer, or the first forwarded hop behind a proxy). */
export const ClientAddress = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  requestAddress(context.switchToHttp().getRequest<RawRequest>()),
);
