import { UnprocessableError } from '../common/errors/domain-errors';

type Raw = string | string[] | undefined;

/** A repeated query key takes its last value (contract §2.6). */
export function lastValue(value: Raw): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** Boolean query parameter of contract §2.6 (`True`, `yes`, `0`…); anything else → 422. */
export function parseQueryBoolean(value: Raw, name: string, fallback: boolean): boolean {
  const text = lastValue(value);
  if (text === undefined) return fallback;
  const lower = text.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  throw new UnprocessableError([{ type: 'bool_parsing', loc: ['query', name], msg: 'Input should be a valid boolean, unable to interpret input', input: text }]);
}

/** Integer path parameter (`sub_id`); anything else → 422 (contract §10.4). */
export function parsePathInteger(value: string, name: string): number {
  if (!/^[-+]?\d+$/.test(value.trim())) {
    throw new UnprocessableError([{ type: 'int_parsing', loc: ['path', name], msg: 'Input should be a valid integer, unable to parse string as an integer', input: value }]);
  }
  return Number(value);
}
