/**
 * `limit` (default 50, at least 1) and `offset` (default 0) of the paginated lists `GET /nodes`,
 * `GET /users` and `GET /user-groups`: a parameter decorator for handlers and its OpenAPI
 * counterpart, so each list declares and reads its page the same way.
 */
import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { UnprocessableError, type ValidationIssue } from '../errors/domain-errors';
import { lastValue, parseTypedInt, type QueryParams } from './query-params';

export interface PageParams {
  limit: number;
  offset: number;
}

export const DEFAULT_PAGE_SIZE = 50;

/** The page a query asks for; FastAPI's 422 listing every bad parameter otherwise. */
export function parsePagination(query: QueryParams): PageParams {
  const issues: ValidationIssue[] = [];
  const limit = parseTypedInt(lastValue(query.limit), 'limit', { fallback: DEFAULT_PAGE_SIZE, min: 1, issues })!;
  const offset = parseTypedInt(lastValue(query.offset), 'offset', { fallback: 0, min: 0, issues })!;
  if (issues.length > 0) throw new UnprocessableError(issues);
  return { limit, offset };
}

/** Handler parameter: the parsed `limit` and `offset` of the request. */
export const Pagination = createParamDecorator((_data: unknown, context: ExecutionContext): PageParams => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return parsePagination((request.query ?? {}) as QueryParams);
});

/** The OpenAPI declaration of `limit` and `offset`, with a route-specific text for `offset`. */
export function ApiPagination(offsetDescription = 'Matches to skip'): MethodDecorator {
  return applyDecorators(
    ApiQuery({ name: 'limit', required: false, description: 'Page size, at least 1', schema: { type: 'integer', minimum: 1, default: DEFAULT_PAGE_SIZE, example: DEFAULT_PAGE_SIZE } }),
    // No default or example: Swagger UI would pre-fill it into every "Try it out" (0 is the default anyway).
    ApiQuery({ name: 'offset', required: false, description: `${offsetDescription} (default 0)`, schema: { type: 'integer', minimum: 0 } }),
  );
}

/**
 * The OpenAPI declaration of free-form filter conditions: any other query key, as `form`/`explode`
 * parameters (`?kind=kbuild&state=done`), with a route-specific example.
 */
export function ApiFilterQuery(description: string): MethodDecorator {
  return ApiQuery({
    name: 'filters',
    required: false,
    style: 'form',
    explode: true,
    schema: { type: 'object', additionalProperties: { type: 'string' } },
    description,
  });
}
