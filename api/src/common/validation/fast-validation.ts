/**
 * A fast path of the validation pipe for large nested bodies (a 1,000-node hierarchy submission,
 * docs/adr/0019-hierarchy-and-counts.md): it runs class-validator's own constraints, read once per
 * class from class-validator's metadata, straight on the parsed body and builds the DTO instances
 * as class-transformer would, without class-transformer's walk and class-validator's error
 * bookkeeping for every property of every node. It only ever says "valid": at the first failing
 * constraint, or at anything it does not handle, it gives up and the pipe runs the full
 * class-transformer + class-validator path, so every 422 answer (messages, locations) is that
 * path's own.
 *
 * It mirrors `validate(instance, { whitelist: true, forbidUnknownValues: false })` on an instance
 * whose free-form objects are kept as sent (request-validation.pipe.ts): conditional decorators
 * (`@IsOptional`, `@ValidateIf`) first, then `@IsDefined`, then every custom constraint (with
 * `each`), then nested DTOs, which must be plain objects (or arrays of them) of the
 * `@NestedDto` type; properties without validation metadata are dropped (whitelist).
 */
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { isPlainObject, nestedDtoTypes } from './decorators';

type Dto = new () => object;

interface PropertyRule {
  name: string;
  conditions: ValidationMetadata[];
  checks: ValidationMetadata[];
  nested: Dto | null;
}

/** DTO classes whose bodies may take the fast path (with every DTO nested in them). */
const optedIn = new WeakSet<object>();
const rulesByType = new WeakMap<object, PropertyRule[] | null>();
const HANDLED = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.NESTED_VALIDATION,
]);

/** Lets the validation pipe validate bodies of this DTO class with {@link validFastOrUndefined}. */
export function FastValidated(): ClassDecorator {
  return (target) => {
    optedIn.add(target);
  };
}

/** The rules of one DTO class, or null when it has metadata this fast path does not handle. */
function rulesOf(type: Dto, schema: string | undefined): PropertyRule[] | null {
  const cached = rulesByType.get(type);
  if (cached !== undefined) return cached;
  const storage = getMetadataStorage();
  const grouped = storage.groupByPropertyName(storage.getTargetValidationMetadatas(type, schema as string, false, false, undefined));
  const nestedTypes = nestedDtoTypes(type);
  let rules: PropertyRule[] | null = [];
  for (const [name, metadatas] of Object.entries(grouped)) {
    if (metadatas.some((m) => !HANDLED.has(m.type) || m.context)) {
      rules = null;
      break;
    }
    const hasNested = metadatas.some((m) => m.type === ValidationTypes.NESTED_VALIDATION);
    const nested = nestedTypes.get(name);
    if (hasNested && !nested) {
      rules = null;
      break;
    }
    rules.push({
      name,
      conditions: metadatas.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION),
      // IS_DEFINED first, as class-validator runs it; the order does not change a pass.
      checks: metadatas.filter((m) => m.type === ValidationTypes.IS_DEFINED || m.type === ValidationTypes.CUSTOM_VALIDATION),
      nested: hasNested ? nested!() : null,
    });
  }
  rulesByType.set(type, rules);
  return rules;
}

function passes(metadata: ValidationMetadata, object: object, value: unknown): boolean {
  if (metadata.validateIf && !metadata.validateIf(object, value)) return true;
  const args: ValidationArguments = { targetName: object.constructor.name, property: metadata.propertyName, object, value, constraints: metadata.constraints };
  for (const constraint of getMetadataStorage().getTargetValidatorConstraints(metadata.constraintCls)) {
    if (constraint.async) return false;
    const each = metadata.each && (Array.isArray(value) || value instanceof Set || value instanceof Map);
    const results: unknown[] = each ? Array.from(value as Iterable<unknown>, (item) => constraint.instance.validate(item, args)) : [constraint.instance.validate(value, args)];
    if (!results.every((result) => result === true)) return false;
  }
  return true;
}

/** The validated instance of `type` built from `value`, or undefined when it fails or is not handled. */
function build(type: Dto, value: Record<string, unknown>, schema: string | undefined): object | undefined {
  const rules = rulesOf(type, schema);
  if (!rules) return undefined;
  const instance = new type() as Record<string, unknown>;
  // class-transformer copies every key; the whitelist then drops those without metadata.
  for (const rule of rules) if (Object.prototype.hasOwnProperty.call(value, rule.name)) instance[rule.name] = value[rule.name];
  for (const rule of rules) {
    const item = instance[rule.name];
    if (!rule.conditions.every((m) => (m.constraints[0] as (o: object, v: unknown) => boolean)(instance, item))) continue;
    if (!rule.checks.every((m) => passes(m, instance, item))) return undefined;
    if (!rule.nested || item === undefined) continue;
    // class-validator names the nested schema after the class declaring `@ValidateNested`; only string-schema metadata would see it.
    const nestedSchema = type.name;
    if (Array.isArray(item)) {
      const built: object[] = [];
      for (const element of item) {
        const child = isPlainObject(element) ? build(rule.nested, element, nestedSchema) : undefined;
        if (!child) return undefined;
        built.push(child);
      }
      instance[rule.name] = built;
    } else if (isPlainObject(item)) {
      const child = build(rule.nested, item, nestedSchema);
      if (!child) return undefined;
      instance[rule.name] = child;
    } else {
      return undefined;
    }
  }
  return instance;
}

/**
 * The validated DTO instance of a body of an opted-in class (see {@link FastValidated}), or
 * undefined: not opted in, not valid, or not handled — the caller then runs the full validation,
 * which answers the 422.
 */
export function validFastOrUndefined(type: unknown, body: unknown): object | undefined {
  if (typeof type !== 'function' || !optedIn.has(type) || !isPlainObject(body)) return undefined;
  return build(type as Dto, body, undefined);
}
