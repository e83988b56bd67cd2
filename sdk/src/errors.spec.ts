import * as errors from './errors';
import {
  BadRequestError,
  ConflictError,
  errorFromResponse,
  EventGapError,
  FilterError,
  ForbiddenError,
  HttpError,
  IdempotencyConflictError,
  IncompatibleServerError,
  InvalidTransitionError,
  isConflictError,
  isHttpError,
  isMaestroError,
  isNotFoundError,
  isPreconditionFailedError,
  MAESTRO_ERROR_BRAND,
  MaestroError,
  NetworkError,
  NotFoundError,
  OversizedBodyError,
  PreconditionFailedError,
  ProtocolError,
  RateLimitError,
  ResultsAlreadySubmittedError,
  ServerError,
  SubscriptionGoneError,
  SubscriptionReplacedError,
  TimeoutError,
  UnauthorizedError,
  UnsupportedFeatureError,
  ValidationError,
  WaitConditionUnreachableError,
  WaitTimeoutError,
} from './errors';
import { parseRetryAfter } from './backoff';

// Test-only: util.inspect is one of the renderings sdk/README.md#errors covers.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { inspect } = require('node:util') as typeof import('node:util');

const URL_ = 'http://127.0.0.1:8001/latest/node/65a3982ee98651d0fe82b010';

function fromStatus(status: number, body: unknown, extra: Partial<errors.ErrorResponseInit> = {}): HttpError {
  return errorFromResponse({ method: 'patch', url: URL_, status, body, ...extra });
}

describe('errorFromResponse', () => {
  it.each<[number, unknown, new (...a: never[]) => MaestroError]>([
    [400, { detail: 'Field not supported' }, BadRequestError],
    [400, { detail: 'Transition not allowed with state: running' }, InvalidTransitionError],
    [400, { detail: '1 validation error for Checkout\ndata.kernel_revision.url\n  invalid url' }, ValidationError],
    [401, { detail: 'Unauthorized' }, UnauthorizedError],
    [403, { detail: 'Forbidden' }, ForbiddenError],
    [404, { detail: 'Node not found with id: x' }, NotFoundError],
    [404, { detail: "Subscription id not found: 'Subscription 801 not found'" }, SubscriptionGoneError],
    [409, { detail: 'A request with this Idempotency-Key is already in progress' }, ConflictError],
    [412, { detail: 'Precondition failed: node has been modified' }, PreconditionFailedError],
    [413, { detail: 'Request body too large' }, OversizedBodyError],
    [422, { detail: 'Idempotency-Key has already been used with a different request' }, IdempotencyConflictError],
    [422, { detail: [{ type: 'missing', loc: ['body', 'name'], msg: 'Field required', input: {} }] }, ValidationError],
    [429, { detail: 'Too many login attempts' }, RateLimitError],
    [500, { message: 'Internal server error, check container logs' }, ServerError],
    [502, '<html>Bad gateway</html>', ServerError],
    [418, { detail: "I'm a teapot" }, HttpError],
  ])('%d %j', (status, body, cls) => {
    const e = fromStatus(status, body);
    expect(e).toBeInstanceOf(cls);
    expect(e.constructor).toBe(cls);
    expect(e.name).toBe(cls.name);
    expect(e.status).toBe(status);
    expect(isMaestroError(e)).toBe(true);
    expect(isHttpError(e)).toBe(true);
  });

  it('builds the message from method, path, status and detail', () => {
    const e = errorFromResponse({ method: 'get', url: `${URL_}?kind=job`, status: 404, body: '{"detail":"Not Found"}' });
    expect(e.message).toBe('GET /latest/node/65a3982ee98651d0fe82b010: 404 Not Found');
    expect(e.url).toBe(`${URL_}?kind=job`);
    expect(e.method).toBe('GET');
    expect(e.detail).toBe('Not Found');
  });

  it('reads detail, then message, then error', () => {
    expect(fromStatus(500, { message: 'm', error: 'e' }).detail).toBe('m');
    expect(fromStatus(500, { error: 'e' }).detail).toBe('e');
    expect(fromStatus(500, { detail: 'd', message: 'm' }).detail).toBe('d');
    expect(fromStatus(400, 'Unsupported API version: v1').detail).toBe('Unsupported API version: v1');
    expect(fromStatus(503, undefined).detail).toBe('HTTP 503');
  });

  it('fills ValidationError.issues from a FastAPI list and drops echoed input', () => {
    const e = fromStatus(422, {
      detail: [
        { type: 'missing', loc: ['body', 'name'], msg: 'Field required', input: { password: 'pw' } },
        { type: 'enum', loc: ['body', 'state'], msg: "Input should be 'running'", input: 'x' },
      ],
    }) as ValidationError;
    expect(e.issues).toEqual([
      { loc: ['body', 'name'], msg: 'Field required', type: 'missing' },
      { loc: ['body', 'state'], msg: "Input should be 'running'", type: 'enum' },
    ]);
    expect(e.detail).toBe("body.name: Field required; body.state: Input should be 'running'");
  });

  it('parses pydantic reports of 400 kind validation into issues', () => {
    const e = fromStatus(400, {
      detail: '2 validation errors for Kbuild\ndata.arch\n  Input should be a valid string\ndata.kernel_revision.url\n  invalid url',
    }) as ValidationError;
    expect(e.issues.map((i) => [i.loc.join('.'), i.msg])).toEqual([
      ['data.arch', 'Input should be a valid string'],
      ['data.kernel_revision.url', 'invalid url'],
    ]);
  });

  it('records the refused state of an InvalidTransitionError', () => {
    expect((fromStatus(400, { detail: 'Transition not allowed with state: available' }) as InvalidTransitionError).to).toBe('available');
  });

  it('reads Retry-After into RateLimitError.retryAfterMs', () => {
    expect((fromStatus(429, {}, { headers: { 'Retry-After': '3' } }) as RateLimitError).retryAfterMs).toBe(3000);
    expect((fromStatus(429, {}, { headers: new Headers({ 'retry-after': '1' }) }) as RateLimitError).retryAfterMs).toBe(1000);
    expect((fromStatus(429, {}) as RateLimitError).retryAfterMs).toBeUndefined();
  });
  it('reads Retry-After with the same parser as the retry loop', () => {
    for (const value of ['-5', '1e3', 'soon', '']) {
      const error = fromStatus(429, {}, { headers: { 'Retry-After': value } }) as RateLimitError;
      expect(error.retryAfterMs).toBe(parseRetryAfter(value));
      expect(error.retryAfterMs).toBeUndefined();
    }
  });

  it('caps body at 512 characters', () => {
    const e = fromStatus(500, 'x'.repeat(5000));
    expect(e.body!.length).toBeLessThanOrEqual(512);
  });

  it('keeps a request id', () => {
    expect(fromStatus(500, {}, { headers: { 'X-Request-Id': 'req-1' } }).requestId).toBe('req-1');
  });
});

describe('brand and guards', () => {
  it('works without instanceof, as for a second copy of the SDK', () => {
    const e = new NotFoundError({ detail: 'x' });
    const foreign = Object.create(null) as Record<symbol, unknown>;
    foreign[Symbol.for('maestro.sdk.error')] = e[MAESTRO_ERROR_BRAND];
    expect(isNotFoundError(foreign)).toBe(true);
    expect(isHttpError(foreign)).toBe(true);
    expect(isConflictError(foreign)).toBe(false);
    expect(isMaestroError(new Error('x'))).toBe(false);
    expect(isMaestroError(null)).toBe(false);
    expect(isMaestroError('MaestroError')).toBe(false);
  });
  it('brands the whole chain', () => {
    expect(new SubscriptionGoneError({ detail: 'x' })[MAESTRO_ERROR_BRAND]).toEqual([
      'MaestroError',
      'HttpError',
      'NotFoundError',
      'SubscriptionGoneError',
    ]);
    expect(isPreconditionFailedError(new PreconditionFailedError({ detail: 'x' }))).toBe(true);
  });
  it('follows HTTP semantics: 412 and 422 are not 409 conflicts', () => {
    expect(ConflictError.is(new PreconditionFailedError({ detail: 'x' }))).toBe(false);
    expect(ConflictError.is(new IdempotencyConflictError({ detail: 'x' }))).toBe(false);
    expect(HttpError.is(new IdempotencyConflictError({ detail: 'x' }))).toBe(true);
    expect(ConflictError.is(new ResultsAlreadySubmittedError({ detail: 'x' }))).toBe(true);
  });
  it('has one is() on every class, reading the brand', () => {
    const e = new SubscriptionGoneError({ detail: 'x' });
    const foreign = { [Symbol.for('maestro.sdk.error')]: e[MAESTRO_ERROR_BRAND] };
    expect(SubscriptionGoneError.is(foreign)).toBe(true);
    expect(NotFoundError.is(foreign)).toBe(true);
    expect(HttpError.is(foreign)).toBe(true);
    expect(MaestroError.is(foreign)).toBe(true);
    expect(ConflictError.is(foreign)).toBe(false);
    expect(MaestroError.is(new Error('x'))).toBe(false);
    expect(TimeoutError.is(new WaitTimeoutError('late'))).toBe(true);
    expect(WaitTimeoutError.is(new TimeoutError('late'))).toBe(false);
  });
  it('gives local HTTP errors the status the server would answer', () => {
    expect(new PreconditionFailedError({ detail: 'expect failed' }).status).toBe(412);
    expect(new OversizedBodyError({ detail: 'too big' }).status).toBe(413);
    expect(new InvalidTransitionError({ detail: 'no' }).status).toBe(400);
    expect(new ValidationError({ detail: 'no' }).message).toBe('no');
  });
  it('has a guard for every class', () => {
    const classes = Object.entries(errors).filter(
      ([, v]) => typeof v === 'function' && (v === MaestroError || (v as { prototype?: unknown }).prototype instanceof MaestroError),
    );
    expect(classes.length).toBe(26); // the sdk/README.md#errors tree
    for (const [name] of classes) expect(typeof (errors as Record<string, unknown>)[`is${name}`]).toBe('function');
  });
});

describe('no credential in any rendering', () => {
  const JWT =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzZWNyZXQtdXNlciIsImV4cCI6NDEwMjQ0NDgwMH0.S2lsbFRoZUtub3duVG9rZW4';
  const API_TOKEN = 'mst_KnownTokenKnownTokenKnownTokenKnownToken123';
  const OPAQUE = 'opaque-caller-secret-42';
  const PASSWORD = 'hunter2-password';
  const secrets = [OPAQUE];
  const leakyUrl = `http://bob:${PASSWORD}@h:8001/latest/node/x?token=${JWT}&api_key=${OPAQUE}&kind=job`;
  const leakyBody = JSON.stringify({
    detail: `Bearer ${JWT} rejected; key ${API_TOKEN}; secret ${OPAQUE}`,
    password: PASSWORD,
  });
  const leakyCause = Object.assign(new TypeError(`fetch failed for ${leakyUrl}`), {
    cause: new Error(`Authorization: Bearer ${JWT}`),
  });
  const leakyText = `boom ${JWT} ${API_TOKEN} ${OPAQUE} password=${PASSWORD}`;

  const provoked: MaestroError[] = [
    ...[400, 401, 403, 404, 409, 412, 413, 422, 429, 500, 418].map((status) =>
      errorFromResponse({ method: 'post', url: leakyUrl, status, body: leakyBody, secrets, headers: { authorization: `Bearer ${JWT}` } }),
    ),
    errorFromResponse({ method: 'post', url: leakyUrl, status: 400, body: { detail: `Transition not allowed with state: ${JWT}` }, secrets }),
    errorFromResponse({ method: 'post', url: leakyUrl, status: 404, body: { detail: `Subscription id not found: ${API_TOKEN}` }, secrets }),
    errorFromResponse({ method: 'post', url: leakyUrl, status: 422, body: { detail: `Idempotency-Key has already been used with a different request ${JWT}` }, secrets }),
    errorFromResponse({
      method: 'post',
      url: leakyUrl,
      status: 422,
      body: { detail: [{ loc: ['body', 'password'], msg: `bad ${JWT}`, input: PASSWORD }] },
      secrets,
    }),
    errorFromResponse({ method: 'post', url: leakyUrl, status: 400, body: { detail: `1 validation error for Job\ndata.x\n  ${API_TOKEN}` }, secrets }),
    new ResultsAlreadySubmittedError({ detail: leakyText, url: leakyUrl, method: 'PUT', secrets, cause: leakyCause }),
    new HttpError({ status: 499, detail: leakyText, url: leakyUrl, method: 'GET', body: leakyBody, secrets, cause: leakyCause }),
    new NetworkError(leakyText, { url: leakyUrl, method: 'POST', ambiguous: true, cause: leakyCause, secrets }),
    new TimeoutError(leakyText, { url: leakyUrl, method: 'GET', cause: leakyCause, secrets }),
    new WaitTimeoutError(leakyText, { lastNode: { id: 'n', data: { note: JWT } }, secrets }),
    new WaitConditionUnreachableError(leakyText, { node: { data: { note: API_TOKEN } }, secrets }),
    new FilterError(leakyText, { field: 'data.x', secrets }),
    new UnsupportedFeatureError(leakyText, { feature: 'api-tokens', cause: leakyCause, secrets }),
    new IncompatibleServerError(leakyText, { serverVersion: '2.0.0', sdkApiVersion: '0.1.0', secrets }),
    new ProtocolError(leakyText, { cause: leakyText, secrets }),
    new SubscriptionReplacedError(leakyText, { subscriberId: 'svc:node', secrets }),
    new EventGapError(leakyText, { from: 1, to: 9, certain: false, cause: new NetworkError(leakyText, { cause: leakyCause }), secrets }),
    new MaestroError(leakyText, { cause: { token: JWT }, secrets }),
  ];

  function renderings(e: MaestroError): string[] {
    const out = [e.message, String(e), e.stack ?? '', JSON.stringify(e), inspect(e, { depth: 10, showHidden: true })];
    for (let c: unknown = (e as { cause?: unknown }).cause, i = 0; c !== undefined && i < 10; c = (c as { cause?: unknown })?.cause, i++) {
      out.push(inspect(c, { depth: 10, showHidden: true }), String(c), JSON.stringify(c) ?? '');
    }
    for (const v of Object.values(e)) out.push(typeof v === 'string' ? v : JSON.stringify(v) ?? '');
    return out;
  }

  it('covers every error class', () => {
    const names = new Set(provoked.map((e) => e.name));
    const classes = Object.values(errors).filter(
      (v): v is typeof MaestroError => typeof v === 'function' && (v === MaestroError || v.prototype instanceof MaestroError),
    );
    for (const cls of classes) expect(names).toContain(cls.name);
  });

  it.each(provoked.map((e) => [e.name, e] as const))('%s renders no credential', (_name, e) => {
    for (const text of renderings(e)) {
      for (const secret of [JWT, API_TOKEN, OPAQUE, PASSWORD, 'S2lsbFRoZUtub3duVG9rZW4', 'KnownTokenKnownToken']) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it('still renders the useful parts', () => {
    const e = provoked[3]!;
    expect(e.message).toBe('POST /latest/node/x: 404 Bearer [redacted] rejected; key [redacted]; secret [redacted]');
    expect((e as HttpError).url).toBe('http://h:8001/latest/node/x?kind=job');
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({ name: 'NotFoundError', status: 404 });
  });
});
