/**
 * The node routes of the fake: `GET/POST /node`, `PUT/PATCH /node/{id}`, `PUT /nodes/{id}` (a
 * result tree), `GET /nodes` and `GET /count`. They keep the API's rules that callers observe:
 * the state machine (the generated table the SDK uses), `If-Match` on the ETag,
 * `Idempotency-Key` replays (checked before `If-Match`, as the API does), `noevent`, the PATCH
 * field list, and `{ detail }` errors with the API's messages.
 */
import { canTransition, NODE_STATES, type NodeState } from '../states.js';
import { answerNodeQuery } from './node-query.js';
import type { FakeStore } from './store.js';
import { detail, json, PATCH_FIELDS, TIMESTAMP_FIELDS, toNaive, type Answer, type Call, type Json } from './wire.js';

function withEtag(store: FakeStore, status: number, node: Json): Response {
  return json(status, node, etagHeader(store, node));
}

function etagHeader(store: FakeStore, node: Json): Record<string, string> {
  return store.mode === 'maestro' ? { ETag: store.etag(node) } : {};
}

/** 412 when `If-Match` names none of the node's ETags (Maestro mode; `*` matches any). */
function checkIfMatch(store: FakeStore, call: Call, node: Json): Response | undefined {
  const ifMatch = call.headers.get('If-Match');
  if (store.mode !== 'maestro' || !ifMatch) return undefined;
  if (ifMatch !== '*' && !ifMatch.split(',').map((s) => s.trim()).includes(store.etag(node))) {
    return detail(412, 'Precondition failed: node has been modified');
  }
  return undefined;
}

/** The API's state machine: 400 `Transition not allowed with state: …` for a forbidden move. */
function checkTransition(node: Json, body: Json): Response | undefined {
  const to = body.state;
  if (typeof to !== 'string' || !(NODE_STATES as readonly string[]).includes(to)) return undefined;
  if (canTransition(node.state as NodeState, to as NodeState)) return undefined;
  return detail(400, `Transition not allowed with state: ${to}`);
}

/**
 * Runs a write once per `Idempotency-Key` (Maestro mode): a replay answers the recorded answer.
 * `present` turns a recorded body into the answer's body (a result tree records ids and re-reads).
 */
function idempotent(store: FakeStore, call: Call, run: () => Answer | Response, present: (body: unknown) => unknown = (b) => b): Response {
  const key = call.headers.get('Idempotency-Key');
  const toResponse = (answer: Answer | Response): Response => (answer instanceof Response ? answer : json(answer[0], present(answer[1]), answer[2]));
  if (store.mode !== 'maestro' || !key) return toResponse(run());
  const scope = `${store.user} ${call.method} ${call.path} ${key}`;
  const fingerprint = JSON.stringify(call.body ?? null);
  const record = store.idempotency.get(scope);
  if (record) {
    if (record.fingerprint !== fingerprint) return detail(422, 'Idempotency-Key has already been used with a different request');
    return json(record.status, present(record.body), { 'Idempotent-Replayed': 'true', ...(record.etag ? { ETag: record.etag } : {}) });
  }
  const answer = run();
  if (!(answer instanceof Response) && answer[0] < 300) store.idempotency.set(scope, { fingerprint, status: answer[0], body: answer[1], etag: answer[2].ETag });
  return toResponse(answer);
}

function create(store: FakeStore, call: Call): Response {
  return idempotent(store, call, () => {
    const body = call.body as Json;
    if (body.parent && !store.nodes.has(body.parent as string)) return [404, { detail: `Parent not found with id: ${body.parent}` }, {}];
    const { id: _ignored, ...rest } = body;
    const node = store.insert({ ...rest, owner: store.user }, { event: true });
    return [200, node, etagHeader(store, node)];
  });
}

function write(store: FakeStore, call: Call, id: string): Response {
  const node = store.nodes.get(id);
  if (!node) return detail(404, `Node not found with id: ${id}`);
  const body = call.body as Json;
  const refused = checkIfMatch(store, call, node) ?? checkTransition(node, body);
  if (refused) return refused;
  if (call.method === 'PATCH' && !PATCH_FIELDS.some((k) => k in body)) return detail(400, 'No fields to update');
  const next: Json = call.method === 'PATCH' ? { ...node } : { ...node, ...body, id: node.id, owner: node.owner, submitter: node.submitter, user_groups: node.user_groups };
  if (call.method === 'PATCH') for (const k of PATCH_FIELDS) if (k in body) next[k] = body[k];
  for (const k of TIMESTAMP_FIELDS) next[k] = toNaive(next[k]);
  next.updated = store.now();
  store.nodes.set(id, next);
  if (call.query.get('noevent') !== 'true') store.nodeEvent('updated', next, node);
  return withEtag(store, 200, next);
}

interface Level {
  node: Json;
  child_nodes: Level[];
}

function submitTree(store: FakeStore, call: Call, id: string): Response {
  // The record keeps the ids; an answer (and a replay) reads the nodes, as the API does.
  const read = (ids: unknown): unknown => (ids as string[]).map((n) => store.nodes.get(n));
  return idempotent(
    store,
    call,
    () => {
      const root = store.nodes.get(id);
      if (!root) return detail(404, `Node not found with id: ${id}`);
      const body = call.body as Level;
      const refused = checkIfMatch(store, call, root) ?? checkTransition(root, body.node ?? {});
      if (refused) return refused;
      const written: Json[] = [];
      const walk = (level: Level, parent: string | null, isRoot: boolean): void => {
        let node: Json;
        if (isRoot) {
          node = { ...root, ...level.node, id: root.id, owner: root.owner };
          for (const k of TIMESTAMP_FIELDS) node[k] = toNaive(node[k]);
          node.updated = store.now();
          store.nodes.set(root.id as string, node);
        } else {
          node = store.insert({ ...level.node, parent, treeid: root.treeid, submitter: root.submitter, owner: store.user });
        }
        written.push(node);
        for (const c of level.child_nodes ?? []) walk(c, node.id as string, false);
      };
      walk(body, null, true);
      store.nodeEvent('updated', written[0]!, root, true);
      return [200, written.map((n) => n.id), etagHeader(store, written[0]!)];
    },
    read,
  );
}

/** Answers a node route, or undefined when the call is not one. */
export function nodeRoute(store: FakeStore, call: Call): Response | undefined {
  const { method, path } = call;
  let r: RegExpMatchArray | null;
  if (method === 'GET' && (r = path.match(/^\/node\/([^/]+)$/))) {
    const node = store.nodes.get(r[1]!);
    // KernelCI (and Maestro, for compatibility) answer `200 null` for an unknown id.
    return node ? withEtag(store, 200, node) : json(200, null);
  }
  if (method === 'POST' && path === '/node') return create(store, call);
  if ((method === 'PATCH' || method === 'PUT') && (r = path.match(/^\/node\/([^/]+)$/))) return write(store, call, r[1]!);
  if (method === 'PUT' && (r = path.match(/^\/nodes\/([^/]+)$/))) return submitTree(store, call, r[1]!);
  if (method === 'GET' && (path === '/nodes' || path === '/count')) return answerNodeQuery(store.nodes.values(), path, call.query, store.mode);
  return undefined;
}
