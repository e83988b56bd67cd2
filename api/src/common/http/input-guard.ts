/**
 * The request-wide input rules, checked once for every route before any handler, pipe or database
 * sees the request (docs/security.md):
 *
 * - no string may contain U+0000, in a path parameter, a query key or value, or a body (PostgreSQL
 *   cannot store it, and one adapter must not accept what another refuses); the node query routes
 *   keep KernelCI's meaning for NUL in filter values (it matches nothing, see docs/nodes.md), so
 *   only their keys and path are checked here;
 * - a body may nest at most {@link MAX_BODY_DEPTH} levels and hold no integer beyond 2^53 − 1, so
 *   no recursive code (validation, the error answer, serialisation) can overflow the stack.
 *
 * The answer is sent from the hook itself with KernelCI's `{"detail": …}` shape (422), because a
 * Fastify hook runs before Nest's exception filter.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-errors';
import { MalformedJsonBody } from './body-parsing';
import { checkJsonFidelity, NUL_MESSAGE } from '../validation/json-fidelity';
import { MAX_BODY_DEPTH } from '../validation/limits';

/** Routes whose query values are the node query language, which defines NUL itself. */
const NODE_QUERY_ROUTES = new Set(['/latest/nodes', '/latest/nodes/fast', '/latest/count']);

function hasNul(record: unknown, checkValues: boolean): boolean {
  if (record === null || typeof record !== 'object') return false;
  for (const [key, value] of Object.entries(record)) {
    if (key.includes('\0')) return true;
    if (!checkValues) continue;
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (values.some((item) => typeof item === 'string' && item.includes('\0'))) return true;
  }
  return false;
}

/** Throws the DomainError a request breaking the rules above is answered with. */
export function checkRequestInput(request: Pick<FastifyRequest, 'params' | 'query' | 'body'>, route: string | undefined): void {
  if (hasNul(request.params, true) || hasNul(request.query, !NODE_QUERY_ROUTES.has(route ?? ''))) {
    throw new DomainError(422, NUL_MESSAGE);
  }
  if (typeof request.body === 'object' && request.body !== null && !(request.body instanceof MalformedJsonBody)) {
    checkJsonFidelity(request.body, { maxDepth: MAX_BODY_DEPTH });
  }
}

export function registerInputGuard(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      checkRequestInput(request, request.routeOptions.url);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return reply.status(error.status).headers(error.headers).send({ detail: error.detail });
    }
  });
}
