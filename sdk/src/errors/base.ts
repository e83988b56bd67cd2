/**
 * The base of the SDK's error hierarchy. Every error extends {@link MaestroError} and carries the
 * brand `Symbol.for("maestro.sdk.error")`, whose value lists the class names of the error's chain;
 * `SomeError.is(error)` reads that brand rather than `instanceof`, so it still works when the ESM and
 * CJS builds of the SDK are both loaded.
 *
 * Nothing an error renders may contain a credential: messages, string properties, URLs, bodies and
 * the `cause` chain pass through {@link redactText}/{@link redactUrl} on construction.
 */
import { redactText } from '../redact.js';

/** The brand every SDK error carries; its value is the frozen list of class names of the error's chain. */
export const MAESTRO_ERROR_BRAND: unique symbol = Symbol.for('maestro.sdk.error') as never;

/** Options every SDK error accepts. */
export interface MaestroErrorOptions {
  /** The underlying error; it is kept as a redacted copy, never as the original object. */
  cause?: unknown;
  /** Exact secrets to redact in addition to the built-in patterns (for example the client's token). */
  secrets?: readonly string[];
}

function brandChain(target: abstract new (...args: never[]) => unknown): readonly string[] {
  const names: string[] = [];
  for (let c: unknown = target; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c)) {
    if (Object.prototype.hasOwnProperty.call(c, 'errorName')) names.push((c as unknown as { errorName: string }).errorName);
  }
  return Object.freeze(names.reverse());
}

const MAX_CAUSE_DEPTH = 5;

/** A redacted, detached copy of an arbitrary thrown value, safe to keep as `cause`. */
function sanitizeCause(cause: unknown, secrets: readonly string[], depth = 0): unknown {
  if (cause === undefined || cause === null) return cause;
  if (hasBrand(cause, 'MaestroError')) {
    // Already redacted on construction, but perhaps without this error's extra secrets.
    const rendered = `${String((cause as Error).stack)}${safeStringify(cause)}`;
    if (!secrets.some((s) => s.length >= 6 && rendered.includes(s))) return cause;
  }
  if (cause instanceof Error || (typeof cause === 'object' && 'message' in (cause as object))) {
    const source = cause as Error & { code?: unknown; cause?: unknown };
    const copy = new Error(redactText(String(source.message ?? ''), secrets));
    Object.defineProperty(copy, 'name', { value: String(source.name ?? 'Error'), enumerable: false, configurable: true, writable: true });
    if (typeof source.stack === 'string') copy.stack = redactText(source.stack, secrets);
    if (typeof source.code === 'string' || typeof source.code === 'number') {
      (copy as Error & { code?: unknown }).code = source.code;
    }
    if (source.cause !== undefined && depth < MAX_CAUSE_DEPTH) {
      Object.defineProperty(copy, 'cause', {
        value: sanitizeCause(source.cause, secrets, depth + 1),
        enumerable: false,
        configurable: true,
        writable: true,
      });
    }
    return copy;
  }
  if (typeof cause === 'string') return redactText(cause, secrets);
  if (typeof cause === 'number' || typeof cause === 'boolean') return cause;
  return redactText(safeStringify(cause), secrets);
}

export function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function redactDeep(value: unknown, redact: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[…]';
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact, depth + 1));
  if (value instanceof Date) return new Date(value.getTime());
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, redact, depth + 1);
  return out;
}

/**
 * Base class of every error the SDK throws. `name` is the class name, `message` is redacted, and
 * `toJSON()` returns a plain, redacted object suitable for structured logs.
 */
export class MaestroError extends Error {
  /** Class name used in the brand and as `name`; each subclass declares its own. */
  static readonly errorName: string = 'MaestroError';
  /** The class-name chain, e.g. `["MaestroError", "HttpError", "NotFoundError"]`. */
  declare readonly [MAESTRO_ERROR_BRAND]: readonly string[];
  /**
   * Whether `error` is an instance of this class or a subclass, from any loaded copy of the SDK
   * (ESM and CJS builds side by side): `NotFoundError.is(error)`, `MaestroError.is(error)`. It reads
   * the brand, not the prototype chain.
   */
  static is<T>(this: abstract new (...args: never[]) => T, error: unknown): error is T {
    return hasBrand(error, (this as unknown as { errorName: string }).errorName);
  }

  /** Redacts text with this error's extra secrets; a closure, so the secrets themselves are never rendered. */
  declare protected readonly redact: (text: string) => string;

  constructor(message: string, options: MaestroErrorOptions = {}) {
    const secrets = options.secrets ?? [];
    super(redactText(message, secrets));
    const chain = brandChain(new.target);
    Object.defineProperty(this, MAESTRO_ERROR_BRAND, { value: chain, enumerable: false });
    Object.defineProperty(this, 'name', { value: chain[chain.length - 1] ?? 'MaestroError', enumerable: false, configurable: true, writable: true });
    Object.defineProperty(this, 'redact', { value: (text: string): string => redactText(text, secrets), enumerable: false });
    if (options.cause !== undefined) {
      Object.defineProperty(this, 'cause', {
        value: sanitizeCause(options.cause, secrets),
        enumerable: false,
        configurable: true,
        writable: true,
      });
    }
    if (typeof this.stack === 'string') this.stack = redactText(this.stack, secrets);
  }

  /** A plain, redacted object: `name`, `message`, the error's own properties and a short `cause`. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [k, v] of Object.entries(this)) out[k] = redactDeep(v, this.redact);
    const cause = (this as { cause?: unknown }).cause;
    if (cause !== undefined) {
      out.cause =
        cause instanceof MaestroError
          ? cause.toJSON()
          : cause instanceof Error
            ? { name: cause.name, message: this.redact(cause.message) }
            : redactDeep(cause, this.redact);
    }
    return out;
  }
}

function hasBrand(error: unknown, name: string): boolean {
  if ((typeof error !== 'object' && typeof error !== 'function') || error === null) return false;
  const chain = (error as { [MAESTRO_ERROR_BRAND]?: unknown })[MAESTRO_ERROR_BRAND];
  return Array.isArray(chain) && chain.includes(name);
}
