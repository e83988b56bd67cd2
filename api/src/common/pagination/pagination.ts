import { UnprocessableError, type ValidationIssue } from '../errors/domain-errors';

export interface Pagination {
  limit: number;
  offset: number;
}

/** Last value of a possibly repeated query parameter (contract §2.6: a repeated key takes its last value). */
export function lastQueryValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/**
 * `limit` (default 50, at least 1, no maximum) and `offset` (default 0) of the paginated lists
 * (contract §2.5); anything else is FastAPI's 422.
 */
export function parsePagination(query: Record<string, string | string[] | undefined>): Pagination {
  const issues: ValidationIssue[] = [];
  const read = (name: 'limit' | 'offset', fallback: number, min: number): number => {
    const raw = lastQueryValue(query[name]);
    if (raw === undefined) return fallback;
    if (!/^[+-]?\d+$/.test(raw.trim())) {
      issues.push({ type: 'int_parsing', loc: ['query', name], msg: 'Input should be a valid integer, unable to parse string as an integer', input: raw });
      return fallback;
    }
    const value = Number(raw);
    if (value < min) {
      issues.push({ type: 'greater_than_equal', loc: ['query', name], msg: `Input should be greater than or equal to ${min}`, input: raw });
    }
    return value;
  };
  const pagination = { limit: read('limit', 50, 1), offset: read('offset', 0, 0) };
  if (issues.length > 0) throw new UnprocessableError(issues);
  return pagination;
}
