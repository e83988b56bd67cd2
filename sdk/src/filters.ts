/**
 * Node query filters. A filter is written as an object
 * (`{ kind: "job", state: { in: ["running", "available"] } }`) or with the builder
 * (`nodeFilter().eq("kind", "job").in("state", ["running", "available"])`), and compiled to the
 * server's `field__op=value` query parameters. Compilation refuses, with {@link FilterError}, every
 * input the server would silently misread, before anything is sent.
 */
import { checkFieldName, clausesOfObject, BUILDER_BRAND } from './filters/compile.js';
import type { CustomField, FieldValue, FilterClause, FilterField, FilterOperator, NodeFilter } from './filters/fields.js';

export * from './filters/fields.js';
export { compileFilter, isNodeFilterBuilder } from './filters/compile.js';

/**
 * Immutable filter builder: each method returns a new builder, so a shared base filter can be
 * extended safely. Pass it wherever a {@link NodeFilter} is accepted, or compile it with {@link compileFilter}.
 */
export class NodeFilterBuilder {
  readonly #clauses: readonly FilterClause[];

  /** Prefer {@link nodeFilter}. */
  constructor(clauses: readonly FilterClause[] = []) {
    this.#clauses = Object.freeze([...clauses]);
    Object.defineProperty(this, BUILDER_BRAND, { value: this.#clauses, enumerable: false });
  }

  private add(field: string, op: FilterOperator, value: unknown): NodeFilterBuilder {
    return new NodeFilterBuilder([...this.#clauses, { field, op, value }]);
  }

  /** Plain equality. */
  eq<F extends FilterField>(field: F, value: FieldValue<F>): NodeFilterBuilder {
    return this.add(field, 'eq', value);
  }
  /** Not equal. */
  ne<F extends FilterField>(field: F, value: FieldValue<F>): NodeFilterBuilder {
    return this.add(field, 'ne', value);
  }
  /** Less than. */
  lt<F extends FilterField>(field: F, value: FieldValue<F>): NodeFilterBuilder {
    return this.add(field, 'lt', value);
  }
  /** Less than or equal. */
  lte<F extends FilterField>(field: F, value: FieldValue<F>): NodeFilterBuilder {
    return this.add(field, 'lte', value);
  }
  /** Greater than. */
  gt<F extends FilterField>(field: F, value: FieldValue<F>): NodeFilterBuilder {
    return this.add(field, 'gt', value);
  }
  /** Greater than or equal. */
  gte<F extends FilterField>(field: F, value: FieldValue<F>): NodeFilterBuilder {
    return this.add(field, 'gte', value);
  }
  /** Equal to any of `values`; an empty list matches nothing. */
  in<F extends FilterField>(field: F, values: readonly FieldValue<F>[]): NodeFilterBuilder {
    return this.add(field, 'in', values);
  }
  /** Equal to none of `values`; an empty list is dropped. */
  nin<F extends FilterField>(field: F, values: readonly FieldValue<F>[]): NodeFilterBuilder {
    return this.add(field, 'nin', values);
  }
  /** Matches the regular expression (case-sensitive, no flags). */
  re<F extends FilterField>(field: F, pattern: string | RegExp): NodeFilterBuilder {
    return this.add(field, 're', pattern);
  }
  /** The conditions collected so far. */
  clauses(): readonly FilterClause[] {
    return this.#clauses;
  }
}

/**
 * Starts a filter builder, optionally from an object-form filter.
 *
 * @example nodeFilter({ kind: 'job' }).in('state', ['running', 'available']).eq(field('data.lab.rack'), 'r3')
 */
export function nodeFilter(initial?: NodeFilter): NodeFilterBuilder {
  return new NodeFilterBuilder(initial ? clausesOfObject(initial) : []);
}

/**
 * Names a field the SDK does not know, such as `data.custom.path`, for the builder (the escape hatch of
 * sdk/README.md#nodes). Its operands are untyped scalars.
 *
 * @throws FilterError on a name the server would misread (rule 3).
 */
export function field(path: string): CustomField {
  checkFieldName(path);
  return path as CustomField;
}
