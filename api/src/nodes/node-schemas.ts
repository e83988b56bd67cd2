/**
 * The node definitions (node-definitions.ts) as named OpenAPI schemas: the enumerations, the state
 * machine and each kind's `data` model. `buildOpenApiDocument` adds them to the document, and the
 * SDK's generator turns them into its constants and types.
 */
import type { OpenAPIObject } from '@nestjs/swagger';
import {
  CHECKOUT_ERROR_CODES,
  ERROR_CODES,
  KINDS,
  NODE_KINDS,
  NODE_RESULTS,
  NODE_STATES,
  STATE_TRANSITIONS,
  type FieldType,
  type NodeKind,
  type Schema,
} from './node-definitions';

type SchemaOrRef = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];
type ReferenceObject = Extract<SchemaOrRef, { $ref: string }>;
type SchemaObject = Exclude<SchemaOrRef, ReferenceObject>;

const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });

/** Schema name of a kind's `data` model: `CheckoutData`, `KbuildData`, … */
export function dataSchemaName(kind: NodeKind): string {
  return `${kind[0]!.toUpperCase()}${kind.slice(1)}Data`;
}

function typeSchema(type: FieldType, models: Record<string, SchemaObject>): SchemaObject | ReferenceObject {
  if (typeof type === 'object') {
    if ('enum' in type) return ref(type.name);
    if ('list' in type) return { type: 'array', items: typeSchema(type.list, models) };
    models[type.name] ??= modelSchema(type.model, models, `The \`${type.name}\` model of KernelCI.`);
    return ref(type.name);
  }
  switch (type) {
    case 'str':
      return { type: 'string' };
    case 'bool':
      return { type: 'boolean', description: 'Also accepts pydantic\'s boolean words ("yes", "off", 1, 0…).' };
    case 'int':
      return { type: 'integer', description: 'Also accepts a decimal string.' };
    case 'strict_int':
      return { type: 'integer' };
    case 'url':
      return { type: 'string', format: 'uri', description: 'An absolute URL.' };
    case 'http_url':
      return { type: 'string', format: 'uri', description: 'An absolute http or https URL.' };
    case 'object_id':
      return { type: 'string', pattern: '^[0-9a-fA-F]{24}$', description: 'A node id.' };
    case 'dict':
      return { type: 'object', additionalProperties: true };
  }
}

function modelSchema(schema: Schema, models: Record<string, SchemaObject>, description: string): SchemaObject {
  const properties: Record<string, SchemaObject | ReferenceObject> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(schema)) {
    const type = typeSchema(field.type, models);
    if (field.required) {
      required.push(name);
      properties[name] = type;
    } else {
      // Optional fields accept null; a `$ref` cannot carry `nullable` in OpenAPI 3.0, hence allOf.
      properties[name] = '$ref' in type ? { allOf: [type], nullable: true } : { ...type, nullable: true };
    }
  }
  return {
    type: 'object',
    description,
    properties,
    ...(required.length > 0 ? { required } : {}),
    // Writes store `data` as sent: keys the model does not name are kept.
    additionalProperties: true,
  };
}

/** Every named schema of the node definitions, by name. */
export function definitionSchemas(): Record<string, SchemaObject> {
  const models: Record<string, SchemaObject> = {};
  const stateEnum = (values: readonly string[]): SchemaObject => ({ type: 'array', items: { type: 'string', enum: [...values] } });
  const schemas: Record<string, SchemaObject> = {
    NodeKind: { type: 'string', enum: [...NODE_KINDS], description: 'A node kind that writes accept.' },
    NodeState: { type: 'string', enum: [...NODE_STATES], description: 'Lifecycle state.' },
    NodeResult: { type: 'string', enum: [...NODE_RESULTS], description: 'Result of the work the node stands for.' },
    ErrorCode: { type: 'string', enum: [...ERROR_CODES], description: '`data.error_code` of kbuild, test, job and regression nodes.' },
    CheckoutErrorCode: { type: 'string', enum: [...CHECKOUT_ERROR_CODES], description: '`data.error_code` of checkout nodes.' },
    NodeStateTransitions: {
      type: 'object',
      description: 'The state machine: for each state, the states a node may move to (staying is always allowed; nothing leaves `done`).',
      properties: Object.fromEntries(NODE_STATES.map((s) => [s, stateEnum(STATE_TRANSITIONS[s])])),
      required: [...NODE_STATES],
    },
  };
  const byKind: Record<string, ReferenceObject> = {};
  for (const kind of NODE_KINDS) {
    const { model, data } = KINDS[kind];
    const name = dataSchemaName(kind);
    schemas[name] = data
      ? modelSchema(data, models, `\`data\` of a ${kind} node (KernelCI's \`${model}\` model). Unknown keys are stored as sent.`)
      : { type: 'object', additionalProperties: true, description: `\`data\` of a ${kind} node: any object, stored as sent.` };
    byKind[kind] = ref(name);
  }
  schemas.NodeKindData = {
    type: 'object',
    description: 'The `data` model of each node kind.',
    properties: byKind,
    required: [...NODE_KINDS],
  };
  return { ...schemas, ...models };
}
