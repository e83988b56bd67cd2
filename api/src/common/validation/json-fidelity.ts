/**
 * JSON fidelity checks on a parsed request body (docs/security.md#input-limits).
 *
 * Every storage adapter must keep exactly what it accepted, so the body is refused up front when it
 * holds something one of them cannot store faithfully: a string or key with U+0000 (PostgreSQL's
 * jsonb rejects it), an integer beyond 2^53 − 1 (it would already be rounded by JSON.parse and then
 * stored as a different number) or nesting deeper than MongoDB and the deep-copying layers handle.
 *
 * The walk is iterative (an explicit stack, so a hostile body cannot overflow the call stack) and
 * visits every value once; locations are only assembled for the value that fails.
 */
import { UnprocessableError } from '../errors/domain-errors';

/**
 * Deepest accepted nesting, counted below the body itself: in `{"data": {...}}` the `data` object
 * is level 1, so a node's `data` may nest 64 levels as docs/security.md#input-limits allows.
 */
export const MAX_JSON_DEPTH = 64;

export const NUL_MESSAGE = 'NUL characters are not allowed in strings';

/** A container waiting to be visited; scalars are checked in place and never get a frame. */
interface Frame {
  value: object;
  depth: number;
  /** The frame holding this container and its key there, for building a location on failure. */
  parent: Frame | null;
  key: string | number;
  /** On the root frame: where the checked value sits in the body. */
  prefix?: (string | number)[];
}

/** Options of {@link checkJsonFidelity}. */
export interface JsonFidelityOptions {
  /** Deepest accepted nesting below the checked value; null for no limit. */
  maxDepth?: number | null;
  /** Location of the checked value inside the body, prefixed to reported locations. */
  location?: (string | number)[];
}

/** Dotted location of `key` inside `frame`, e.g. `data.results.3.value`; `body` for the body itself. */
function locationOf(frame: Frame | null, key?: string | number): string {
  const keys: (string | number)[] = key === undefined ? [] : [key];
  let root = frame;
  for (let f = frame; f?.parent; f = f.parent) {
    keys.push(f.key);
    root = f.parent;
  }
  const path = [...(root?.prefix ?? []), ...keys.reverse()];
  return path.length === 0 ? 'body' : path.join('.');
}

/** Checks a scalar; a container is returned for visiting. */
function checkValue(value: unknown, frame: Frame | null, key?: string | number): value is object {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw new UnprocessableError(NUL_MESSAGE);
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) {
      throw new UnprocessableError(`Integer out of range in ${locationOf(frame, key)}`);
    }
  }
  return typeof value === 'object' && value !== null;
}

/**
 * Throws UnprocessableError (422, string detail) for a NUL character, an out-of-range integer or
 * over-deep nesting in `body`; containers are visited in document order.
 *
 * JSON.parse has already turned `1e999` into Infinity and `1.0` into 1, so "integer" means an
 * integer-valued number here, and non-finite numbers are refused as out of range too.
 */
export function checkJsonFidelity(body: unknown, options: JsonFidelityOptions = {}): void {
  const maxDepth = options.maxDepth === undefined ? MAX_JSON_DEPTH : options.maxDepth;
  const root: Frame = { value: body as object, depth: 0, parent: null, key: '', prefix: options.location };
  if (!checkValue(body, null)) return;
  const stack: Frame[] = [root];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (maxDepth !== null && frame.depth > maxDepth) {
      throw new UnprocessableError(`Nesting too deep in ${locationOf(frame)} (max ${maxDepth} levels)`);
    }
    const containers: Frame[] = [];
    if (Array.isArray(frame.value)) {
      const items: unknown[] = frame.value;
      for (let i = 0; i < items.length; i++) {
        if (checkValue(items[i], frame, i)) containers.push({ value: items[i] as object, depth: frame.depth + 1, parent: frame, key: i });
      }
    } else {
      const object = frame.value as Record<string, unknown>;
      for (const key of Object.keys(object)) {
        if (key.includes('\u0000')) throw new UnprocessableError(NUL_MESSAGE);
        const child = object[key];
        if (checkValue(child, frame, key)) containers.push({ value: child, depth: frame.depth + 1, parent: frame, key });
      }
    }
    // Scalars were checked in document order above; containers are pushed in reverse so that
    // they are visited in document order too (a scalar after a container is checked before that
    // container's contents: a harmless difference in which of two problems is reported).
    for (let i = containers.length - 1; i >= 0; i--) stack.push(containers[i]);
  }
}
