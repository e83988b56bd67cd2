/**
 * Reusable class-validator decorators for request DTOs, each enforcing one wire type of the
 * contract (docs/nodes.md#model, docs/api-conventions.md#serialisation). A failure becomes a 422 issue through toValidationIssues; the constraint
 * names below are already in the snake_case that ends up as the issue `type`.
 *
 * None of these accepts `undefined` or `null` unless its name says so: combine them with
 * `@IsOptional()` (absent or null allowed) or `@IsPresentOrAbsent()` (absent allowed, null refused)
 * in the DTO, so that nullability is visible where the field is declared.
 */
import { Transform, Type } from 'class-transformer';
import { ValidateBy, ValidateIf, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { parseIsoDatetime } from '../datetime';
import { isObjectIdString } from '../object-id';

function describe(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A JSON object: not null and not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for an absolute `http`/`https` URL with a host, the type of artifact links (docs/nodes.md#model). */
export function isAbsoluteHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '';
  } catch {
    return false;
  }
}

/**
 * Validates the property only when it is present: `null` is then checked (and refused) by the
 * other decorators, which is what a non-nullable field with a default needs (e.g. `state`).
 */
export function IsPresentOrAbsent(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

/**
 * A JSON integer only: refuses `"1"`, `1.5` and booleans (docs/nodes.md#model `retry_counter`).
 * JSON.parse turns `1.0` into the number 1, so `1.0` cannot be told apart and is accepted.
 */
export function IsStrictInt(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'int_type',
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isInteger(value),
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must be an integer`,
      },
    },
    options,
  );
}

/**
 * A 24-hex ObjectId, `null` or absent, with KernelCI's 422 message `Invalid ObjectId: <value>`
 * (docs/nodes.md#model `parent`).
 */
export function IsObjectIdOrNull(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'object_id',
      validator: {
        validate: (value: unknown) => value === null || value === undefined || isObjectIdString(value),
        defaultMessage: (args?: ValidationArguments) => `Invalid ObjectId: ${describe(args?.value)}`,
      },
    },
    options,
  );
}

/** An object mapping names to absolute http/https URLs (docs/nodes.md#model `artifacts`). */
export function IsUrlMap(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'url_map',
      validator: {
        validate: (value: unknown) => isPlainObject(value) && Object.values(value).every(isAbsoluteHttpUrl),
        defaultMessage: (args?: ValidationArguments) => {
          const value: unknown = args?.value;
          if (!isPlainObject(value)) return `${args?.property} must be an object mapping names to URLs`;
          const [name, url] = Object.entries(value).find(([, v]) => !isAbsoluteHttpUrl(v))!;
          return `${args?.property}.${name}: ${describe(url)} is not an absolute http or https URL`;
        },
      },
    },
    options,
  );
}

/** A datetime string in one of the ISO 8601 forms clients send (docs/api-conventions.md#serialisation). */
export function IsWireDatetime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'datetime_from_date_parsing',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseIsoDatetime(value) !== null,
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must be an ISO 8601 datetime`,
      },
    },
    options,
  );
}

/** An array without repeated items, compared by value for strings and numbers (docs/nodes.md#model `user_groups`). */
export function HasUniqueItems(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'unique_items',
      validator: {
        validate: (value: unknown) => Array.isArray(value) && new Set(value).size === value.length,
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must not contain duplicate items`,
      },
    },
    options,
  );
}

/** Nested DTO types per DTO class, read by the validation pipe. */
const nestedTypes = new WeakMap<object, Map<string, () => new () => object>>();

/**
 * Keeps the property exactly as it was in the parsed body (free-form `data`, `debug`, event
 * payloads: docs/nodes.md#model; a key named `constructor` in `data` is user data). The validation
 * pipe never lets class-transformer walk a request's own objects at all; this Transform keeps the
 * value for direct plainToInstance calls as far as class-transformer can.
 */
export function KeepAsSent(): PropertyDecorator {
  return Transform(({ obj, key }) => (obj as Record<string, unknown>)[key], { toClassOnly: true });
}

/** class-transformer's `@Type` for a nested DTO, recorded so the pipe can walk it. */
export function NestedDto(type: () => new () => object): PropertyDecorator {
  const decorate = Type(type);
  return (target, key) => {
    decorate(target, key);
    const map = nestedTypes.get(target.constructor) ?? new Map<string, () => new () => object>();
    map.set(String(key), type);
    nestedTypes.set(target.constructor, map);
  };
}

/** Nested DTO types of `type` and its base classes, by property name. */
export function nestedDtoTypes(type: object): Map<string, () => new () => object> {
  const found = new Map<string, () => new () => object>();
  for (let current: object | null = type; current && current !== Function.prototype; current = Object.getPrototypeOf(current)) {
    for (const [key, nested] of nestedTypes.get(current) ?? []) if (!found.has(key)) found.set(key, nested);
  }
  return found;
}

/**
 * Converts a datetime string that passed `@IsWireDatetime()` to a Date (UTC). Call it after
 * validation, when building the record to store; a string that was not validated is a bug, so it
 * throws instead of returning an invalid date.
 */
export function wireDatetimeToDate(text: string): Date {
  const date = parseIsoDatetime(text);
  if (!date) throw new TypeError(`Not a validated datetime: ${text}`);
  return date;
}
