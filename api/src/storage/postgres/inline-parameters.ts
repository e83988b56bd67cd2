/**
 * Statements sent as literal text inside a multi-statement simple query, so that they share the
 * `COMMIT`'s round trip (`pg` sends one query at a time and cannot pipeline;
 * docs/adr/0020-event-append-at-commit.md).
 *
 * `sql` with each `$n` replaced by parameter n as a literal quoted by `pg`'s escapeLiteral (doubled
 * quotes, and backslashes under `E''`, whatever `standard_conforming_strings` says; numbers quoted
 * too, so that no value can form a comment, as `1 -$1` with -1 would), or `null` when
 * that would not be certain to mean what the bound parameters mean — the caller then sends the
 * statement with its parameters as usual:
 *
 * - the text must be free of anything in which `$n` could be something else than a placeholder:
 *   string literals (`'`), comments (`--`, `/*`) and dollar quoting (a `$` not followed by a digit);
 * - each value must be NULL, a string without a NUL character (a NUL ends the query text on the
 *   wire; bound, it is refused by the server — the refusal the caller gets by sending it bound), a
 *   finite number, a boolean, a bigint or a valid Date (as its ISO text: every time column here is
 *   `timestamptz`). Arrays, objects and buffers, which `pg` converts in ways of its own, are not
 *   inlined.
 *
 * The literals are untyped, as `pg`'s bound parameters are: the server gives each the type its
 * context asks for, as it does for a parameter.
 */
export function inlineParameters(sql: string, params: unknown[], escapeLiteral: (text: string) => string): string | null {
  if (/'|--|\/\*|\$(?!\d)/.test(sql)) return null;
  const literals: string[] = [];
  for (const value of params) {
    const literal = toLiteral(value, escapeLiteral);
    if (literal === null) return null;
    literals.push(literal);
  }
  let complete = true;
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index < 0 || index >= literals.length) complete = false;
    return literals[index] ?? 'NULL';
  });
  return complete ? text : null;
}

function toLiteral(value: unknown, escapeLiteral: (text: string) => string): string | null {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'string':
      return value.includes('\0') ? null : escapeLiteral(value);
    case 'number':
      return Number.isFinite(value) ? escapeLiteral(String(value)) : null;
    case 'boolean':
    case 'bigint':
      return escapeLiteral(String(value));
    default:
      return value instanceof Date && !Number.isNaN(value.getTime()) ? escapeLiteral(value.toISOString()) : null;
  }
}
