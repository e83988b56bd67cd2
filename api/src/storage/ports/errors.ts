/** Raised by adapters when the database refuses a filter value (e.g. a regular expression it cannot compile). */
export class InvalidFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidFilterError';
  }
}

/** Raised by adapters when a read ran longer than its `timeoutMs`. */
export class QueryTimeoutError extends Error {
  constructor() {
    super('query timed out');
    this.name = 'QueryTimeoutError';
  }
}

/** Raised by adapters when a unique constraint rejects a write; services turn it into a 400/409. */
export class DuplicateKeyError extends Error {
  constructor(readonly key: string) {
    super(`duplicate key: ${key}`);
    this.name = 'DuplicateKeyError';
  }
}

/** Options of a read that a request may not let run forever (docs/nodes.md). */
export interface QueryOptions {
  /** Abandon the statement after this many milliseconds with {@link QueryTimeoutError}. */
  timeoutMs?: number;
}

/** Raised by the event repository when a regular expression of a query is invalid. */
export class InvalidPatternError extends Error {
  constructor(readonly pattern: string) {
    super(`invalid regular expression: ${pattern}`);
    this.name = 'InvalidPatternError';
  }
}
