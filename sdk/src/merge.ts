/**
 * Deep merge of patch maps (sdk/README.md#nodes). The server replaces `data`, `artifacts` and `debug` wholesale
 * (docs/nodes.md#endpoints), so the client merges the caller's changes into the stored maps and sends the
 * result under `If-Match`. Nothing here mutates its inputs (sdk/README.md#nodes).
 */
import { unset } from './types.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * `changes` merged into `stored`: objects merge key by key, arrays and scalars replace, `undefined`
 * leaves a key alone, `null` stores null, {@link unset} deletes the key.
 */
export function deepMerge(stored: unknown, changes: unknown): unknown {
  if (changes === unset) return undefined;
  if (!isPlainObject(changes)) return changes === undefined ? structuredClone(stored) : cloneChange(changes);
  const base: Record<string, unknown> = isPlainObject(stored) ? structuredClone(stored) : {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (value === unset) {
      delete base[key];
      continue;
    }
    base[key] = isPlainObject(value) ? deepMerge(base[key], value) : cloneChange(value);
  }
  return base;
}

function cloneChange(value: unknown): unknown {
  if (value === unset) return undefined;
  if (Array.isArray(value)) return value.map(cloneChange);
  if (isPlainObject(value)) return deepMerge({}, value);
  return value;
}

/** Structural equality of JSON-like values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
