/**
 * The one function that builds the OpenAPI document. `main.ts` serves it (with Swagger UI) and
 * `bin/write-openapi.ts` writes it to openapi/openapi.json, so the served and the committed
 * documents cannot drift apart. It must run from `nest build` output: the Swagger CLI plugin, which
 * turns DTO types and JSDoc into schemas, only runs there.
 */
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from './config/config';
import { addExamples } from './openapi-examples';
import { definitionSchemas } from './nodes/node-schemas';

export const API_VERSION = '0.1.0';

const DESCRIPTION = [
  'Maestro stores CI results as a tree of nodes per kernel revision and publishes a CloudEvent for',
  'every change. It is wire-compatible with the KernelCI API: every path below also answers under',
  '`/v0` and without a prefix.',
  '',
  'Errors use KernelCI\'s shapes: `{"detail": "<text>"}`, and `{"detail": [{type, loc, msg, input}]}`',
  'for request validation (422).',
  '',
  'Realtime events are also available over socket.io (namespace `/pubsub` at `/latest/socket.io/`),',
  'which OpenAPI cannot describe: see docs/realtime.md.',
].join('\n');

function sortKeys<T extends Record<string, unknown>>(object: T | undefined): T | undefined {
  if (!object) return object;
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b))) as T;
}

/** Deterministic output and house rules: paths without the version prefix, sorted paths and schemas. */
export function normaliseDocument(document: OpenAPIObject): OpenAPIObject {
  const paths: OpenAPIObject['paths'] = {};
  for (const [path, item] of Object.entries(document.paths)) {
    const bare = path.replace(/^\/latest(?=\/|$)/, '') || '/';
    if (paths[bare]) throw new Error(`OpenAPI: path ${bare} is declared twice`);
    for (const operation of Object.values(item) as { summary?: string; description?: string; operationId?: string }[]) {
      if (operation && typeof operation === 'object' && 'responses' in operation) {
        if (!operation.summary) throw new Error(`OpenAPI: ${operation.operationId ?? path} has no summary (write a JSDoc first line)`);
        // The plugin puts a handler's whole JSDoc in `summary`: its first paragraph is the summary,
        // the rest the description.
        const [summary, ...rest] = operation.summary.split(/\n\s*\n/);
        operation.summary = summary.replace(/\s+/g, ' ').trim();
        if (rest.length > 0) operation.description = rest.join('\n\n').replace(/\n(?!\n)/g, ' ').trim();
      }
    }
    paths[bare] = item;
  }
  return {
    ...document,
    servers: [{ url: '/latest', description: 'This server (also /v0 and no prefix)' }],
    paths: sortKeys(paths)!,
    components: { ...document.components, schemas: sortKeys(document.components?.schemas) },
  };
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Maestro API')
    .setDescription(DESCRIPTION)
    .setVersion(API_VERSION)
    .setLicense('LGPL-2.1-or-later', 'https://spdx.org/licenses/LGPL-2.1-or-later.html')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT or mst_ API token' })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controllerKey, methodKey) => methodKey,
  });
  // The node definitions (kinds, states, results, error codes, the state machine, each kind's data
  // model) as named schemas: the SDK generates its constants and types from them.
  const schemas = document.components?.schemas ?? {};
  for (const [name, schema] of Object.entries(definitionSchemas())) {
    const existing = schemas[name];
    if (existing && JSON.stringify(existing) !== JSON.stringify(schema)) {
      // NodeState and NodeResult are also named by the DTOs' enums: they must agree.
      if (!('enum' in existing && JSON.stringify(existing.enum) === JSON.stringify(schema.enum))) {
        throw new Error(`OpenAPI: schema ${name} from the node definitions differs from the DTOs' one`);
      }
    }
    schemas[name] = schema;
  }
  document.components = { ...document.components, schemas };
  return addExamples(normaliseDocument(document));
}

/**
 * Serves the document at /latest/openapi.json and Swagger UI at /latest/docs (assets served locally).
 * The document is built at its first request, not at start: most processes never serve it, and
 * building it costs memory an idle process keeps (docs/adr/0018-write-path.md).
 */
export function setupOpenApi(app: INestApplication, _config: AppConfig): void {
  SwaggerModule.setup('latest/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'latest/openapi.json',
    yamlDocumentUrl: 'latest/openapi.yaml',
    customSiteTitle: 'Maestro API',
    swaggerOptions: { persistAuthorization: true, displayOperationId: true, tryItOutEnabled: false },
  });
}
