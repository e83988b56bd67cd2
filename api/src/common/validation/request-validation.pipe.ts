import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { UnprocessableError } from '../errors/domain-errors';
import { MalformedJsonBody } from '../http/body-parsing';
import { isPlainObject, keptAsSentKeys, nestedDtoTypes } from './decorators';
import { toValidationIssues } from './validation-issues';

const PRIMITIVES: unknown[] = [String, Boolean, Number, Array, Object];

/**
 * Validates DTO-typed parameters at the boundary and answers FastAPI's 422 list
 * (`{"detail": [{type, loc, msg, input}]}`, contract §2.4). Unknown body keys are dropped
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
    // Free-form values (data, debug, event payloads) never go through class-transformer.
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
 * A shallow copy of `value` in which every {@link KeepAsSent} object or array (at this level and in
 * nested DTOs) is replaced by `token` and its index in `held`. The token holds a NUL character,
 * which no accepted request body contains (docs/security.md), so it cannot be forged.
 */
function hideFreeForm(value: unknown, type: object, held: unknown[], token: string): unknown {
  if (!isPlainObject(value)) return value;
  const kept = keptAsSentKeys(type);
  const nested = nestedDtoTypes(type);
  if (kept.size === 0 && nested.size === 0) return value;
  const copy: Record<string, unknown> = { ...value };
  for (const key of kept) {
    const item = Object.hasOwn(value, key) ? value[key] : undefined;
    if (typeof item === 'object' && item !== null) copy[key] = `${token}${held.push(item) - 1}`;
  }
  for (const [key, nestedType] of nested) {
    const item = Object.hasOwn(value, key) ? value[key] : undefined;
    if (Array.isArray(item)) copy[key] = item.map((element) => hideFreeForm(element, nestedType(), held, token));
    else if (isPlainObject(item)) copy[key] = hideFreeForm(item, nestedType(), held, token);
  }
  return copy;
}

/** Puts the values {@link hideFreeForm} took out back into the transformed instance. */
function restoreFreeForm(instance: unknown, type: object, held: unknown[], token: string): void {
  if (typeof instance !== 'object' || instance === null) return;
  const target = instance as Record<string, unknown>;
  for (const key of keptAsSentKeys(type)) {
    const item = target[key];
    if (typeof item === 'string' && item.startsWith(token)) target[key] = held[Number(item.slice(token.length))];
  }
  for (const [key, nestedType] of nestedDtoTypes(type)) {
    const item = target[key];
    if (Array.isArray(item)) item.forEach((element) => restoreFreeForm(element, nestedType(), held, token));
    else restoreFreeForm(item, nestedType(), held, token);
  }
}
