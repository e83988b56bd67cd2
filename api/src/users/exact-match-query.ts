import { BadRequestError } from '../common/errors/domain-errors';
import { lastValue, parseFilterBoolean, type QueryParams } from '../common/query/query-params';
import type { ExactMatch } from '../storage/ports';

/**
 * The filters of `GET /users` and `GET /user-groups` (docs/auth.md): every parameter other than
 * `limit`/`offset` is an exact match; `true`/`false` in any letter case become booleans (`requests`
 * sends `True`/`False`); there are no `__op` operators.
 */
export function parseExactMatchQuery(query: QueryParams, options: { forbidden?: string } = {}): ExactMatch[] {
  const filter: ExactMatch[] = [];
  for (const [field, raw] of Object.entries(query)) {
    if (field === 'limit' || field === 'offset') continue;
    // docs/auth.md#endpoints, docs/api-conventions.md#error-bodies-and-precedence: filtering on the hash would let any user probe other users' hashes.
    if (options.forbidden && field.startsWith(options.forbidden)) throw new BadRequestError(`Invalid filter field: ${options.forbidden}`);
    const value = lastValue(raw);
    if (value === undefined) continue;
    filter.push({ field, value: parseFilterBoolean(value) ?? value });
  }
  return filter;
}
