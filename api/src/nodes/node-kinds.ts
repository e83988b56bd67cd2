/**
 * The kind validator: each kind's `data` model (a declarative table in node-definitions.ts) is
 * interpreted by one validator that mimics the pydantic models of KernelCI: the same accepted
 * values, the same 400 report layout, and the same re-serialisation for hierarchy submissions.
 */
import { ObjectId } from 'bson';
import { BadRequestError, invalidIntMessage } from '../common/errors/domain-errors';
import { isObjectIdString } from '../common/object-id';
import { isAbsoluteHttpUrl, isPlainObject } from '../common/validation/decorators';

import { KINDS, type FieldType, type NodeKind, type Schema } from './node-definitions';

export { CHECKOUT_ERROR_CODES, ERROR_CODES, NODE_KINDS, type NodeKind } from './node-definitions';

// ---------------------------------------------------------------------------------------------
// The validator

interface SchemaError {
  loc: string;
  msg: string;
  type: string;
}

type Loc = (string | number)[];

const TRUE_WORDS = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_WORDS = new Set(['0', 'off', 'f', 'false', 'n', 'no']);
const DECIMAL = /^\s*[+-]?\d+\s*$/;

/** The absolute URL in its normalised (WHATWG) form, or null: pydantic's URL types parse the same way. */
function parseUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    return new URL(value).href;
  } catch {
    return null;
  }
}

class SchemaValidator {
  readonly errors: SchemaError[] = [];

  private fail(loc: Loc, type: string, msg: string): undefined {
    this.errors.push({ loc: loc.join('.'), type, msg });
    return undefined;
  }

  /** Checks `value` against `type`; returns its normalised form (undefined after an error). */
  value(type: FieldType, value: unknown, loc: Loc): unknown {
    if (typeof type === 'object') {
      if ('enum' in type) {
        if (typeof value === 'string' && type.enum.includes(value)) return value;
        const choices = type.enum.map((v) => `'${v}'`);
        const expected = `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}`;
        return this.fail(loc, 'enum', `Input should be ${expected}`);
      }
      if ('list' in type) {
        if (!Array.isArray(value)) return this.fail(loc, 'list_type', 'Input should be a valid list');
        return value.map((item, index) => this.value(type.list, item, [...loc, index]));
      }
      if (!isPlainObject(value)) return this.fail(loc, 'model_type', 'Input should be a valid dictionary');
      return this.object(type.model, value, loc);
    }
    switch (type) {
      case 'str':
        return typeof value === 'string' ? value : this.fail(loc, 'string_type', 'Input should be a valid string');
      case 'bool':
        if (typeof value === 'boolean') return value;
        if (value === 0 || value === 1) return value === 1;
        if (typeof value === 'string' && TRUE_WORDS.has(value.toLowerCase())) return true;
        if (typeof value === 'string' && FALSE_WORDS.has(value.toLowerCase())) return false;
        return this.fail(loc, 'bool_parsing', 'Input should be a valid boolean');
      case 'int':
        if (typeof value === 'string' && DECIMAL.test(value)) return Number(value.trim());
        return this.value('strict_int', value, loc);
      case 'strict_int':
        return typeof value === 'number' && Number.isInteger(value)
          ? value
          : this.fail(loc, 'int_type', 'Input should be a valid integer');
      case 'url':
        return parseUrl(value) ?? this.fail(loc, 'url_parsing', 'Input should be a valid absolute URL');
      case 'http_url':
        return isAbsoluteHttpUrl(value)
          ? normaliseArtifactUrl(value)
          : this.fail(loc, 'url_parsing', 'Input should be a valid absolute http or https URL');
      case 'object_id':
        // Stored as a BSON ObjectId by the normalising mode (docs/nodes.md#endpoints step 5); its toJSON()
        // gives back the 24-hex string wherever the value is serialised as JSON.
        return isObjectIdString(value) ? new ObjectId(value) : this.fail(loc, 'object_id', 'Invalid ObjectId');
      case 'dict':
        return isPlainObject(value) ? value : this.fail(loc, 'dict_type', 'Input should be a valid dictionary');
    }
  }

  /** Validates the schema's fields of `value`; returns them alone, in schema order, with defaults. */
  object(schema: Schema, value: Record<string, unknown>, loc: Loc): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(schema)) {
      const fieldLoc = [...loc, name];
      const given = Object.hasOwn(value, name) ? value[name] : undefined;
      if (given === undefined) {
        if (field.required) this.fail(fieldLoc, 'missing', 'Field required');
        out[name] = field.default ?? null;
      } else if (given === null && !field.required) {
        out[name] = null;
      } else {
        out[name] = this.value(field.type, given, fieldLoc);
      }
    }
    return out;
  }
}

/** The artifact URL as pydantic's AnyHttpUrl stores it: a bare host gains a trailing `/` (docs/nodes.md#model). */
export function normaliseArtifactUrl(url: string): string {
  return new URL(url).href;
}

function pythonRepr(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Python's truthiness, which decides whether KernelCI converts a version number at all. */
function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

function toPythonInt(value: unknown): number {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'string' && DECIMAL.test(value)) return Number(value.trim());
  throw new BadRequestError(invalidIntMessage(pythonRepr(value)));
}

/**
 * Kernel-version coercion of POST, PUT and PATCH (docs/nodes.md#model): when
 * `data.kernel_revision.version` is an object, its truthy `version`, `patchlevel` and `sublevel`
 * become integers (`"6"` → 6, `6.7` → 6). Returns a new object, leaving `data` untouched; data
 * without a version object is returned as is. 400 `invalid literal for int() …` otherwise.
 */
export function coerceKernelVersion<T>(data: T): T {
  if (!isPlainObject(data) || !isPlainObject(data.kernel_revision)) return data;
  const version = data.kernel_revision.version;
  if (!isPlainObject(version)) return data;
  const coerced = { ...version };
  for (const key of ['version', 'patchlevel', 'sublevel']) {
    if (isTruthy(coerced[key])) coerced[key] = toPythonInt(coerced[key]);
  }
  return { ...data, kernel_revision: { ...data.kernel_revision, version: coerced } };
}

function report(model: string, errors: SchemaError[]): string {
  const title = `${errors.length} validation error${errors.length > 1 ? 's' : ''} for ${model}`;
  return [title, ...errors.map((e) => `${e.loc}\n  ${e.msg} [type=${e.type}]`)].join('\n');
}

/** True for the kinds that may be written (docs/nodes.md#model); `node` and unknown kinds are refused. */
export function isNodeKind(kind: string): kind is NodeKind {
  return Object.hasOwn(KINDS, kind);
}

/**
 * Validates a node as the model of its kind (docs/nodes.md#model): 400 `Unsupported node kind: <kind>`,
 * or 400 with a pydantic-style report listing every error in `artifacts` (docs/nodes.md#endpoints: an invalid
 * artifact URL reaching this far is a 400) and `data`.
 *
 * Returns the node's data: as given in `generic` mode (POST, PUT, PATCH store data as sent,
 * docs/nodes.md#model); in `normalise` mode (hierarchy submissions, docs/nodes.md#endpoints step 5) re-serialised
 * through the schema: unknown keys dropped, absent fields null or their default, URLs normalised,
 * ObjectId fields as BSON ObjectIds; `process` data as given.
 */
export function validateNodeKind(
  node: { kind: string; data: unknown; artifacts?: unknown },
  mode: 'generic' | 'normalise',
): Record<string, unknown> | null {
  if (!isNodeKind(node.kind)) throw new BadRequestError(`Unsupported node kind: ${node.kind}`);
  const { model, data: schema } = KINDS[node.kind];
  const validator = new SchemaValidator();
  if (isPlainObject(node.artifacts)) {
    for (const [name, url] of Object.entries(node.artifacts)) validator.value('http_url', url, ['artifacts', name]);
  } else if (node.artifacts !== null && node.artifacts !== undefined) {
    validator.value('dict', node.artifacts, ['artifacts']);
  }
  let normalised: unknown = node.data;
  if (schema) {
    normalised = isPlainObject(node.data)
      ? validator.object(schema, node.data, ['data'])
      : validator.value('dict', node.data, ['data']);
  } else if (!isPlainObject(node.data) && node.data !== null) {
    validator.value('dict', node.data, ['data']);
  }
  if (validator.errors.length > 0) throw new BadRequestError(report(model, validator.errors));
  return (mode === 'normalise' ? normalised : node.data) as Record<string, unknown> | null;
}
