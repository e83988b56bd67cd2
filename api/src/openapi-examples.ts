/**
 * Examples and tag descriptions for the OpenAPI document, so that Swagger UI's "Try it out" sends
 * requests that work:
 *  - every write gets a valid, realistic request body (Swagger would otherwise generate
 *    `{"id": "string", …}`, which the API refuses);
 *  - every error response gets an example with its own `detail` (the message named in its
 *    description, else the status's standard text), not one shared `Unauthorized`;
 *  - each tag says what its group of routes is for.
 * Optional parameters carry no `example` where a pre-filled value would break the call
 * (`Idempotency-Key`, `If-Match`, `cursor`, `offset`): see the parameter declarations.
 */
import type { OpenAPIObject } from '@nestjs/swagger';

const NODE_ID = '65a3982ee98651d0fe82b010';
const REVISION = {
  tree: 'mainline',
  url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git',
  branch: 'master',
  commit: '052d534373b7ed33712a63d5e17b2b6cdbce84fd',
  describe: 'v6.13-rc3',
};

export const TAG_DESCRIPTIONS: Record<string, string> = {
  nodes: 'CI results as a tree of nodes (checkout → kbuild → job → test): create, read with the query language, update, submit result trees. See docs/nodes.md.',
  events: 'The event history of node changes, read with filters and sequence numbers. See docs/events.md.',
  pubsub: 'KernelCI-compatible publish/subscribe over HTTP long-polling, and subscription statistics. See docs/realtime.md for socket.io.',
  auth: 'Logging in (form-encoded username and password) for an access token, and logging out.',
  'api-tokens': 'Long-lived `mst_` API tokens of the caller (or, for administrators, of any user).',
  users: 'Accounts: the caller (`whoami`, `/user/me`), invitations, password reset and, for administrators, every user.',
  'user-groups': 'Groups of users, used by the node-edit rules (administrators only).',
  system: 'The greeting at `/` and Prometheus metrics.',
  telemetry: 'Pipeline telemetry events (job submissions, results, runtime errors), their statistics and anomalies, as the console\'s analytics page shows them.',
  kv: 'A namespaced key/value store of strings, kept in the database.',
  queues: 'First-in first-out lists of CloudEvents: push, and pop with each item handed to one consumer.',
};

/** `method path` → a request body that the route accepts as it stands (a parent id must be replaced). */
const REQUEST_EXAMPLES: Record<string, unknown> = {
  'post /node': {
    kind: 'checkout',
    name: 'checkout',
    path: ['checkout'],
    group: null,
    state: 'running',
    data: { kernel_revision: REVISION },
    artifacts: { tarball: 'https://storage.example.org/mainline/v6.13-rc3/linux.tar.gz' },
  },
  'put /node/{node_id}': {
    kind: 'checkout',
    name: 'checkout',
    path: ['checkout'],
    state: 'done',
    result: 'pass',
    data: { kernel_revision: REVISION },
    artifacts: { tarball: 'https://storage.example.org/mainline/v6.13-rc3/linux.tar.gz' },
  },
  'patch /node/{node_id}': { state: 'done', result: 'pass', data: { error_code: null } },
  'put /nodes/{node_id}': {
    node: { kind: 'job', name: 'baseline-x86', path: ['checkout', 'kbuild-gcc-12-x86', 'baseline-x86'], state: 'done', result: 'fail' },
    child_nodes: [
      { node: { kind: 'test', name: 'login', path: ['checkout', 'kbuild-gcc-12-x86', 'baseline-x86', 'login'], state: 'done', result: 'pass' }, child_nodes: [] },
      { node: { kind: 'test', name: 'dmesg', path: ['checkout', 'kbuild-gcc-12-x86', 'baseline-x86', 'dmesg'], state: 'done', result: 'fail' }, child_nodes: [] },
    ],
  },
  'post /publish/{channel}': { data: { message: 'lab-42 maintenance starts at 18:00 UTC' }, type: 'api.kernelci.org', source: 'https://lab-42.example.org' },
  'patch /user/me': { email: 'alice@example.org' },
  'patch /user/{user_id}': { is_verified: true, groups: ['kernelci'] },
  'post /user/accept-invite': { token: 'eyJhbGciOiJIUzI1NiJ9.invite-token-from-the-mail', password: 'a long passphrase' },
  'post /user/reset-password': { token: 'eyJhbGciOiJIUzI1NiJ9.reset-token-from-the-mail', password: 'a new long passphrase' },
  'post /user/invite': { username: 'bob', email: 'bob@example.org', groups: [], is_superuser: false, send_email: false, return_token: true, resend_if_exists: false },
  'post /user/me/tokens': { name: 'lab-42-submitter', expires_at: null },
};

const STATUS_TEXT: Record<string, string> = {
  '400': 'Bad Request',
  '401': 'Unauthorized',
  '403': 'Forbidden',
  '404': 'Not Found',
  '405': 'Method Not Allowed',
  '409': 'Conflict',
  '412': 'Precondition Failed',
  '413': 'Request body too large',
  '429': 'Too many login attempts, try again later',
  '503': 'Service Unavailable',
};

const VALIDATION_EXAMPLE = { detail: [{ type: 'missing', loc: ['body', 'name'], msg: 'Field required', input: {} }] };

/** The first back-quoted message of a response description, with `<placeholders>` filled in. */
function messageOf(description: string | undefined): string | undefined {
  for (const match of (description ?? '').matchAll(/`([^`]+)`/g)) {
    const text = match[1];
    // A message reads like a sentence; a field name (`id`, `Idempotency-Key`) does not.
    if (/^[A-Z'][^`]*\s/.test(text)) return text.replace(/<id>|<node_id>|<[a-z_]+>/g, (p) => (p.includes('id') ? NODE_ID : 'x'));
  }
  return undefined;
}

type Media = { schema?: { $ref?: string; oneOf?: { $ref?: string }[] }; example?: unknown; examples?: unknown };
type Response = { description?: string; content?: Record<string, Media> };
type Operation = { responses?: Record<string, Response>; requestBody?: { content?: Record<string, Media> } };

export function addExamples(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(item as Record<string, Operation>)) {
      if (!value || typeof value !== 'object' || !('responses' in value)) continue;
      const body = REQUEST_EXAMPLES[`${method} ${path}`];
      const json = value.requestBody?.content?.['application/json'];
      if (body !== undefined && json && json.example === undefined) json.example = body;
      for (const [status, response] of Object.entries(value.responses ?? {})) {
        const media = response.content?.['application/json'];
        if (!media || media.example !== undefined || media.examples !== undefined) continue;
        const refs = [media.schema?.$ref, ...(media.schema?.oneOf ?? []).map((s) => s.$ref)];
        if (status === '422' && refs.some((r) => r?.endsWith('/ValidationErrorDto'))) media.example = VALIDATION_EXAMPLE;
        else if (refs.some((r) => r?.endsWith('/ErrorDto')) && /^[45]\d\d$/.test(status)) {
          media.example = { detail: messageOf(response.description) ?? STATUS_TEXT[status] ?? 'Error' };
        }
      }
    }
  }
  const used = new Set<string>();
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item as Record<string, { tags?: string[] }>)) for (const t of op?.tags ?? []) used.add(t);
  }
  const tags = [...used].sort().map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? `Routes of ${name}` }));
  return { ...document, tags };
}
