/**
 * Integers as KernelCI's pymongo writes them: int32 when the value fits, int64 beyond. The Node.js
 * driver writes a JavaScript number outside the int32 range as a double, which KernelCI would then
 * read as a float (`1234567890123.0`); these helpers make such values `Long`s before a write. On
 * reading, the driver's default `promoteLongs` turns an int64 back into a number when it fits 53
 * bits (Maestro keeps integers up to 2^53 − 1, docs/security.md#input-limits); a larger one, which only another
 * writer can store, stays a `Long` and `withNumbers` turns it into the nearest number, as a JSON
 * parser would, instead of serialising the `Long` object's fields.
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

/** Walks plain objects and arrays, copying only along the paths where `leaf` changed something. */
function mapLeaves<T>(value: T, leaf: (value: unknown) => unknown): T {
  const converted = leaf(value);
  if (converted !== value || typeof value !== 'object' || value === null) return converted as T;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    value.forEach((item, i) => {
      const mapped = mapLeaves(item, leaf);
      if (mapped !== item) (copy ??= [...value])[i] = mapped;
    });
    return (copy ?? value) as T;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | null = null;
  for (const [key, item] of Object.entries(value)) {
    const mapped = mapLeaves(item, leaf);
    if (mapped !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = mapped;
  }
  return (copy ?? value) as T;
}

/** A stored value with every remaining `Long` (beyond 53 bits) as the nearest number. */
export function withNumbers<T>(value: T): T {
  return mapLeaves(value, (leaf) => (leaf instanceof Long ? leaf.toNumber() : leaf));
}

/**
 * A copy of a JSON-like value (a node's `data`, an event payload) with every integer outside the
 * int32 range as a `Long`; values that need no change are returned as they are, without copying.
 */
export function withInt64<T>(value: T): T {
  return mapLeaves(value, (leaf) => (typeof leaf === 'number' ? bsonInteger(leaf) : leaf));
}
