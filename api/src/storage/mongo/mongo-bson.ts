/**
 * Integers as KernelCI's pymongo writes them: int32 when the value fits, int64 beyond. The Node.js
 * driver writes a JavaScript number outside the int32 range as a double, which KernelCI would then
 * read as a float (`1234567890123.0`); these helpers make such values `Long`s before a write. On
 * reading, the driver's default `promoteLongs` turns an int64 back into a number (Maestro keeps
 * integers up to 2^53 − 1, contract §13.12).
 */
import { Long } from 'bson';

const INT32_MAX = 0x7fffffff;
const INT32_MIN = -0x80000000;

/** One integer: itself when it fits int32, a `Long` beyond (and any non-integer as is). */
export function bsonInteger(value: number): number | Long {
  return Number.isInteger(value) && (value > INT32_MAX || value < INT32_MIN) ? Long.fromNumber(value) : value;
}

const isPlainObject = (value: object): boolean => {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/**
 * A copy of a JSON-like value (a node's `data`, an event payload) with every integer outside the
 * int32 range as a `Long`; values that need no change are returned as they are, without copying.
 */
export function withInt64<T>(value: T): T {
  if (typeof value === 'number') return bsonInteger(value) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    value.forEach((item, i) => {
      const converted = withInt64(item);
      if (converted !== item) (copy ??= [...value])[i] = converted;
    });
    return (copy ?? value) as T;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | null = null;
  for (const [key, item] of Object.entries(value)) {
    const converted = withInt64(item);
    if (converted !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = converted;
  }
  return (copy ?? value) as T;
}
