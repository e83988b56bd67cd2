/**
 * Hostile HTTP requests derived from openapi/openapi.json, for the schema-driven fuzz suite
 * (test/src/fuzz.e2e.ts). Every operation of the document gets requests built from its own
 * parameters and body schema, each part replaced now and then by something hostile: wrong types,
 * NUL and invalid UTF-8, huge and negative numbers, deep nesting, prototype keys, long strings,
 * duplicate and unknown parameters, wrong content types and empty bodies.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}
export interface Operation {
  method: string;
  template: string;
  parameters: Parameter[];
  bodyTypes: string[];
  bodySchema: Schema | null;
}

export interface FuzzRequest {
  operation: string;
  method: string;
  /** Path and query, already encoded, without the /latest prefix. */
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  identity: 'anonymous' | 'user' | 'admin' | 'garbage';
}

const document = JSON.parse(readFileSync(resolve(__dirname, '../../../openapi/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
};

export function operations(): Operation[] {
  const list: Operation[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const content = operation.requestBody?.content ?? {};
      const types = Object.keys(content);
      list.push({
        method: method.toUpperCase(),
        template,
        parameters: operation.parameters ?? [],
        bodyTypes: types,
        bodySchema: types.length > 0 ? content[types[0]].schema : null,
      });
    }
  }
  return list;
}

function resolveRef(schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  return document.components.schemas[ref.replace('#/components/schemas/', '')] ?? {};
}

/** Longest text put in a URL: longer ones only meet the HTTP parser's limit (414/431), never a route. */
const URL_TEXT = 600;

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];
const HUGE = ['99999999999999999999999', '-99999999999999999999999', '9007199254740993', '1e400', '-1', '0', '1_000', 'NaN', '0x10'];
const REGEX_BOMBS = ['((a{50}){50}){50}', '(((a{100}){100}){100})', '(a+)+$', '(a|aa)*b', '[', '(?<x>a)\\k<y>', 'a{1000}{1000}', '\\'];

/** Fixed ids the requests may name, so that some reach past "not found". */
export interface KnownIds {
  node: string;
  user: string;
  group: string;
}

function longText(length: number): fc.Arbitrary<string> {
  return fc.constantFrom('x', 'é', '\u4e00', '😀').map((unit) => unit.repeat(length));
}

function hostileString(ids: KnownIds, longest = 100_000): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '\udfff', '', ' ', '%00', '%ff', '..', '../..', '*', 'null', 'true', 'True'),
    fc.constantFrom(...PROTOTYPE_KEYS, ...HUGE, ...REGEX_BOMBS),
    fc.constantFrom(ids.node, ids.user, ids.group, 'me', '000000000000000000000000', 'ffffffffffffffffffffffff', ids.node.toUpperCase()),
    fc.constantFrom(250, 600, 3_000, 20_000, 100_000).filter((n) => n <= longest).chain((n) => longText(n)),
  );
}

/** Arbitrary JSON made to hurt: deep nesting, huge numbers, prototype keys, NUL. */
function hostileJson(ids: KnownIds): fc.Arbitrary<unknown> {
  const deep = fc.constantFrom(300, 3_000).chain((depth) =>
    fc.constantFrom('array', 'object').map((kind) => {
      let value: unknown = 1;
      for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
      return value;
    }),
  );
  const numbers = fc.oneof(fc.constantFrom(2 ** 60, -(2 ** 60), 1e308, -1e308, 2 ** 53, -1, 0, 0.5), fc.double(), fc.integer());
  const protoObject = fc.constantFrom(...PROTOTYPE_KEYS).chain((key) => fc.tuple(fc.constant(key), hostileString(ids)).map(([k, v]) => JSON.parse(`{${JSON.stringify(k)}: ${JSON.stringify(v)}}`) as unknown));
  return fc.oneof(hostileString(ids), numbers, fc.boolean(), fc.constant(null), deep, protoObject, fc.jsonValue({ maxDepth: 4 }));
}

/** A value for `schema`, each part sometimes replaced by hostile JSON. */
function schemaValue(schema: Schema, ids: KnownIds, depth = 0): fc.Arbitrary<unknown> {
  const hostile = hostileJson(ids);
  const resolved = resolveRef(schema);
  if (depth > 4) return hostile;
  const alternatives = (resolved.oneOf ?? resolved.anyOf ?? resolved.allOf) as Schema[] | undefined;
  let normal: fc.Arbitrary<unknown>;
  if (alternatives && alternatives.length > 0) {
    normal = fc.oneof(...alternatives.map((item) => schemaValue(item, ids, depth + 1)));
  } else if (resolved.enum) {
    normal = fc.constantFrom(...(resolved.enum as unknown[]));
  } else if (resolved.type === 'object' || resolved.properties) {
    const properties = (resolved.properties ?? {}) as Record<string, Schema>;
    const entries = Object.entries(properties).map(([key, value]) => [key, schemaValue(value, ids, depth + 1)] as const);
    normal = fc
      .tuple(fc.record(Object.fromEntries(entries), { requiredKeys: [] }), fc.dictionary(fc.constantFrom(...PROTOTYPE_KEYS, 'unknown', 'data'), hostile, { maxKeys: 2 }))
      .map(([known, extra]) => ({ ...extra, ...known }));
  } else if (resolved.type === 'array') {
    normal = fc.array(schemaValue((resolved.items ?? {}) as Schema, ids, depth + 1), { maxLength: 3 });
  } else if (resolved.type === 'integer' || resolved.type === 'number') {
    normal = fc.integer({ min: -5, max: 100 });
  } else if (resolved.type === 'boolean') {
    normal = fc.boolean();
  } else if (resolved.type === 'string') {
    normal = fc.oneof(fc.constantFrom(...(resolved.example !== undefined ? [resolved.example] : ['x'])), fc.string({ maxLength: 12 }));
  } else {
    normal = fc.jsonValue({ maxDepth: 2 });
  }
  return fc.oneof({ arbitrary: normal, weight: 4 }, { arbitrary: hostile, weight: 1 });
}

const INVALID_UTF8 = Uint8Array.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]);

function body(operation: Operation, ids: KnownIds): fc.Arbitrary<{ body?: string | Uint8Array<ArrayBuffer>; contentType?: string }> {
  const json = (schema: Schema | null) => (schema ? schemaValue(schema, ids) : hostileJson(ids));
  const form = operation.bodyTypes.includes('application/x-www-form-urlencoded');
  const wellTyped = form
    ? fc.dictionary(fc.constantFrom('username', 'password', 'new_password', ...PROTOTYPE_KEYS), hostileString(ids), { maxKeys: 4 }).map((fields) => ({
        body: new URLSearchParams(fields).toString(),
        contentType: 'application/x-www-form-urlencoded',
      }))
    : json(operation.bodySchema).map((value) => ({ body: JSON.stringify(value) ?? 'null', contentType: 'application/json' }));
  const odd = fc.oneof(
    fc.constant({}),
    fc.constant({ body: '', contentType: 'application/json' }),
    fc.constant({ body: INVALID_UTF8, contentType: 'application/json' }),
    fc.constant({ body: INVALID_UTF8, contentType: 'application/x-www-form-urlencoded' }),
    fc.constantFrom('{', '{"a":', '[1,', 'nul', '"\\ud800"', '{"a":1,"a":2}', '{"__proto__":{"admin":true}}').map((text) => ({ body: text, contentType: 'application/json' })),
    // Nesting deeper than any recursive code can follow, as text (JSON.stringify cannot build it).
    fc.constantFrom('['.repeat(50_000) + ']'.repeat(50_000), '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000)).map((text) => ({ body: text, contentType: 'application/json' })),
    json(operation.bodySchema).map((value) => ({ body: JSON.stringify(value) ?? 'null', contentType: 'text/plain' })),
    json(operation.bodySchema).map((value) => ({ body: JSON.stringify(value) ?? 'null', contentType: 'application/x-www-form-urlencoded' })),
    fc.constantFrom('multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1').map((contentType) => ({ body: '--x\r\n', contentType })),
  );
  if (operation.bodyTypes.length === 0) return fc.oneof({ arbitrary: fc.constant({}), weight: 4 }, { arbitrary: odd, weight: 1 });
  return fc.oneof({ arbitrary: wellTyped, weight: 3 }, { arbitrary: odd, weight: 1 });
}

/**
 * Percent-encodes like a client would; a lone surrogate becomes the invalid UTF-8 bytes of its
 * code point, and with `raw` a `%` passes unencoded so sequences such as `%ff` reach the server.
 */
function encode(value: string, raw: boolean): string {
  let out = '';
  for (const char of value) {
    if (raw && char === '%') out += '%';
    else if (char.length === 1 && char >= '\ud800' && char <= '\udfff') out += '%ED%A0%80';
    else out += encodeURIComponent(char);
  }
  return out;
}

function queryString(operation: Operation, ids: KnownIds): fc.Arbitrary<string> {
  const declared = operation.parameters.filter((p) => p.in === 'query' && p.schema?.type !== 'object').map((p) => p.name);
  const keys = fc.oneof(
    fc.constantFrom(...declared, 'limit', 'offset'),
    fc.constantFrom(...PROTOTYPE_KEYS, 'name__re', 'data.x__gt', 'kind__in', 'created__lt', 'id', 'sort', 'cursor', 'path', 'recursive', 'from', 'ids', 'channel', 'a__b__c', '$where', 'data.$gt'),
    fc.string({ maxLength: 8 }),
  );
  const pair = fc.tuple(keys, hostileString(ids, URL_TEXT), fc.boolean()).map(([key, value, raw]) => `${encode(key, raw)}=${encode(value, raw)}`);
  return fc.array(pair, { maxLength: 5 }).chain((pairs) =>
    // Duplicate keys: repeat a pair now and then.
    fc.boolean().map((dup) => (dup && pairs.length > 0 ? [...pairs, pairs[0]] : pairs)).map((all) => (all.length > 0 ? `?${all.join('&')}` : '')),
  );
}

export function requestsFor(operation: Operation, ids: KnownIds): fc.Arbitrary<FuzzRequest> {
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  const path = fc
    .tuple(...pathParams.map(() => fc.tuple(hostileString(ids, URL_TEXT), fc.boolean())))
    .map((values) => pathParams.reduce((url, param, i) => url.replace(`{${param.name}}`, encode(values[i][0], values[i][1]) || '%20'), operation.template));
  const headers = fc.record(
    {
      'If-Match': fc.oneof(fc.constant('*'), fc.string({ maxLength: 10 }), fc.constant('W/"x"')),
      'Idempotency-Key': fc.oneof(fc.string({ maxLength: 10 }), longText(300)),
    },
    { requiredKeys: [] },
  );
  return fc
    .tuple(path, queryString(operation, ids), body(operation, ids), headers, fc.constantFrom('anonymous', 'user', 'admin', 'admin', 'garbage') as fc.Arbitrary<FuzzRequest['identity']>)
    .map(([url, query, { body: payload, contentType }, extra, identity]) => {
      const all: Record<string, string> = {};
      for (const [key, value] of Object.entries(extra)) if (/^[\t\x20-\x7e]*$/.test(value as string)) all[key] = value as string;
      if (contentType) all['Content-Type'] = contentType;
      return { operation: `${operation.method} ${operation.template}`, method: operation.method, url: url + query, headers: all, body: payload, identity };
    });
}
