/**
 * class-validator errors → FastAPI-style 422 issues `{type, loc, msg, input}` (docs/api-conventions.md#error-bodies-and-precedence).
 *
 * `loc` is the path from the request part (`body`, `query`, `path`) down to the failing value, with
 * array positions as numbers as FastAPI writes them (`["body", "child_nodes", 0, "node", "name"]`).
 * The contract fixes neither `type` nor `msg` except where it quotes a message (e.g.
 * `Invalid ObjectId: x`), so `msg` is the constraint's message and `type` its name in snake_case,
 * with the common class-validator names mapped to the pydantic codes clients are used to.
 */
import type { ValidationError } from 'class-validator';
import type { ValidationIssue } from '../errors/domain-errors';

const PYDANTIC_TYPES: Record<string, string> = {
  isString: 'string_type',
  isBoolean: 'bool_type',
  isInt: 'int_type',
  isArray: 'list_type',
  isObject: 'dict_type',
  isIn: 'enum',
  isEnum: 'enum',
  isDefined: 'missing',
  maxLength: 'string_too_long',
  nestedValidation: 'model_type',
};

function issueType(constraint: string): string {
  return PYDANTIC_TYPES[constraint] ?? constraint.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Flattens class-validator errors, nested children included, into 422 issues located under `root`.
 * Needs the errors' `value` (class-validator's default `validationError: { value: true }`).
 */
export function toValidationIssues(errors: ValidationError[], root: 'body' | 'query' | 'path'): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const visit = (error: ValidationError, parentLoc: (string | number)[], inArray: boolean): void => {
    // Errors of `@ValidateNested({ each: true })` items carry their index as a string property.
    const segment = inArray ? Number(error.property) : error.property;
    const loc = [...parentLoc, segment];
    if (error.constraints) {
      if (error.value === undefined) {
        // A required field that is absent fails every one of its constraints; FastAPI reports it once.
        issues.push({ type: 'missing', loc, msg: 'Field required' });
      } else {
        for (const [name, msg] of Object.entries(error.constraints)) {
          issues.push({ type: issueType(name), loc, msg, input: error.value });
        }
      }
    }
    for (const child of error.children ?? []) visit(child, loc, Array.isArray(error.value));
  };
  for (const error of errors) visit(error, [root], false);
  return issues;
}
