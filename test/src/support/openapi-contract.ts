/**
 * Checks every response an e2e test receives against the committed openapi/openapi.json, so a
 * route that drifts from its documented status codes or shapes fails the run. Used by the fetch
 * handed to the SDK and by the raw-HTTP helper, never test by test.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import OpenAPIResponseValidator from 'openapi-response-validator';

interface Operation {
  responses: Record<string, unknown>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, unknown>;
}

const document: Document = JSON.parse(readFileSync(resolve(__dirname, '../../../openapi/openapi.json'), 'utf8'));

const templates = Object.keys(document.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}|\{[^}]+\}/g, '[^/]+')}$`),
}));

/** Routes the document does not describe on purpose: documentation itself and the version error. */
const UNDOCUMENTED = [/^\/docs(\/|$)/, /^\/openapi\.(json|yaml)$/];

function apiPath(url: string): string | null {
  // Runs of slashes reach the same route (docs/api-conventions.md#version-prefixes-and-routing rule 5).
  const pathname = new URL(url).pathname.replace(/\/{2,}/g, '/');
  const match = /^\/(latest|v0)(\/.*)?$/.exec(pathname);
  if (!match) return null;
  return match[2] ?? '/';
}

export class ContractViolation extends Error {}

/** Throws ContractViolation when `body` with `status` is not what the document promises for the request. */
export function assertResponseMatchesSpec(method: string, url: string, status: number, body: unknown): void {
  const path = apiPath(url);
  if (path === null || UNDOCUMENTED.some((re) => re.test(path))) return;
  if (status === 307) return; // trailing-slash redirect: the target is checked when followed
  const template = matchTemplate(path, method);
  if (!template) {
    if (status === 404 && (body as { detail?: unknown } | undefined)?.detail === 'Not Found') return; // unknown route
    throw new ContractViolation(`${method} ${path}: no such path in openapi.json (answered ${status})`);
  }
  const operation = document.paths[template][method.toLowerCase()];
  if (!operation) {
    if (status === 405) return;
    throw new ContractViolation(`${method} ${template}: no such operation in openapi.json (answered ${status})`);
  }
  if (!operation.responses[String(status)]) {
    throw new ContractViolation(`${method} ${template}: status ${status} is not documented (body: ${JSON.stringify(body).slice(0, 300)})`);
  }
  const validator = new OpenAPIResponseValidator({ responses: operation.responses as never, components: document.components as never });
  const errors = validator.validateResponse(status, body);
  if (errors) {
    throw new ContractViolation(`${method} ${template} ${status}: response does not match openapi.json: ${JSON.stringify(errors.errors).slice(0, 800)}`);
  }
}

/**
 * The template the router would pick: an exact path first, then a parametric one. A static path
 * without the method (`GET /user/me`, where only PATCH is static) falls through to the parametric
 * route that answers it (`GET /user/{user_id}`).
 */
function matchTemplate(path: string, method: string): string | undefined {
  const candidates = [...templates.filter((t) => t.template === path), ...templates.filter((t) => t.template !== path && t.pattern.test(path))];
  const withMethod = candidates.find((t) => document.paths[t.template][method.toLowerCase()]);
  return (withMethod ?? candidates[0])?.template;
}

/** A fetch that validates every JSON response before handing it back. */
export function contractCheckedFetch(inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const response = await inner(request.clone());
    const type = response.headers.get('content-type') ?? '';
    const text = await response.clone().text();
    let body: unknown = text;
    if (type.includes('application/json') || text === '') body = text === '' ? undefined : JSON.parse(text);
    assertResponseMatchesSpec(request.method, request.url, response.status, body);
    return response;
  };
}
