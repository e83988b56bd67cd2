/** Turns the `Idempotency-Key` header of a request into an {@link IdempotentRequest}. */
import type { FastifyRequest } from 'fastify';
import { parseIdempotencyKey, requestFingerprint, type IdempotentRequest } from './idempotency.service';

/**
 * The key, method, path and fingerprint of a request, or null when it carries no key; 400 when the
 * key is malformed. The path is the routed one (version prefix applied), lower-cased: the only
 * variable parts of write paths are ids, which are case-insensitive.
 */
export function idempotentRequest(request: FastifyRequest & { body: unknown }, header: string | string[] | undefined): IdempotentRequest | null {
  const key = parseIdempotencyKey(header);
  if (key === null) return null;
  const queryStart = request.url.indexOf('?');
  const path = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
  const query = queryStart < 0 ? '' : request.url.slice(queryStart + 1);
  return { key, method: request.method, path: path.toLowerCase(), fingerprint: requestFingerprint(request.body, query) };
}
