import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { UnprocessableError } from '../errors/domain-errors';
import { MalformedJsonBody } from '../http/body-parsing';
import { isPlainObject, nestedDtoTypes } from './decorators';
import { validFastOrUndefined } from './fast-validation';
import { toValidationIssues } from './validation-issues';

const PRIMITIVES: unknown[] = [String, Boolean, Number, Array, Object];

/**
 * Validates DTO-typed parameters at the boundary and answers FastAPI's 422 list
 * (`{"detail": [{type, loc, msg, input}]}`, docs/api-conventions.md#error-bodies-and-precedence). Unknown body keys are dropped
 * (whitelist), as KernelCI ignores them.
 */
@Injectable()
export class RequestValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype, type } = metadata;
    if (type === 'body' && value instanceof MalformedJsonBody) {
      throw new UnprocessableError([{ type: 'json_invalid', loc: ['body'], msg: `JSON decode error: ${value.message}`, input: {} }]);
    }
    if (type === 'custom' || !metatype || PRIMITIVES.includes(metatype)) return value;
    const root = type === 'param' ? 'path' : type;
    if (type === 'body' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new UnprocessableError([
        value === undefined
          ? { type: 'missing', loc: ['body'], msg: 'Field required', input: null }
          : { type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object', input: value },
      ]);
    }
    // Large nested bodies (opted-in DTOs): class-validator's constraints without the per-node walks; anything else or any failure goes on below.
    const fast = type === 'body' ? validFastOrUndefined(metatype, value) : undefined;
    if (fast) return fast;
    // The request's own objects and arrays never go through class-transformer (see hideFreeForm).
    const held: unknown[] = [];
    const token = `\u0000kept-as-sent:${randomUUID()}:`;
    const instance = plainToInstance(metatype as new () => object, hideFreeForm(value ?? {}, metatype, held, token));
    restoreFreeForm(instance, metatype, held, token);
    const errors = await validate(instance, { whitelist: true, forbidUnknownValues: false });
    if (errors.length > 0) throw new UnprocessableError(toValidationIssues(errors, root));
    return instance;
  }
}

/**
 * A shallow copy of `value` in which every object or array value (at this level and in nested DTOs)
 * is replaced by `token` and its index in `held`: class-transformer then only sees scalars and
 * nested DTOs. It must never walk a request's own objects: it deep-copies them, drops keys named
 * `__proto__` and `constructor`, fails on an object whose `constructor` key is not a function
 * (a 500 for `{"jobfilter": {"constructor": 1}}`) and recurses once per nesting level. The token
 * holds a NUL character, which no accepted request body contains (docs/security.md), so it cannot
 * be forged.
 */
function hideFreeForm(value: unknown, type: object, held: unknown[], token: string): unknown {
  if (!isPlainObject(value)) return value;
  const nested = nestedDtoTypes(type);
  const copy: Record<string, unknown> = { ...value };
  for (const key of Object.keys(value)) {
    const item = value[key];
    const nestedType = nested.get(key);
    if (nestedType && Array.isArray(item)) copy[key] = item.map((element) => (isPlainObject(element) ? hideFreeForm(element, nestedType(), held, token) : element));
    else if (nestedType && isPlainObject(item)) copy[key] = hideFreeForm(item, nestedType(), held, token);
    else if (typeof item === 'object' && item !== null) copy[key] = `${token}${held.push(item) - 1}`;
  }
  return copy;
}

/** Puts the values {@link hideFreeForm} took out back into the transformed instance. */
function restoreFreeForm(instance: unknown, type: object, held: unknown[], token: string): void {
  if (typeof instance !== 'object' || instance === null) return;
  const target = instance as Record<string, unknown>;
  const nested = nestedDtoTypes(type);
  for (const key of Object.keys(target)) {
    const item = target[key];
    const nestedType = nested.get(key);
    if (typeof item === 'string' && item.startsWith(token)) target[key] = held[Number(item.slice(token.length))];
    else if (nestedType && Array.isArray(item)) item.forEach((element) => restoreFreeForm(element, nestedType(), held, token));
    else if (nestedType) restoreFreeForm(item, nestedType(), held, token);
  }
}
