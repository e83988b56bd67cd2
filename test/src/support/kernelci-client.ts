/**
 * The calls of kernelci-core's Python client (`kernelci.api.latest.LatestAPI`), made the way it
 * makes them: `requests` with `Content-Type: application/json` and a Bearer token on every call,
 * POST bodies serialised by `json.dumps` (", " and ": " separators), paths under `/latest/`, and
 * `_get_paginated` adding `offset`/`limit` parameters.
 */

/** Python's `json.dumps` with its default separators and ASCII escaping. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  return `{${Object.entries(value).map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
}

export class HTTPError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}: ${body}`);
  }
}

export class KernelCiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  private headers(): Record<string, string> {
    return { 'Content-Type': 'application/json', Authorization: `Bearer ${this.token}` };
  }

  private url(path: string, params?: Record<string, string | number>): string {
    const query = params ? `?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}` : '';
    return `${this.baseUrl}/latest/${path}${query}`;
  }

  /** `_get`: raise_for_status, then the response. */
  async get(path: string, params?: Record<string, string | number>, signal?: AbortSignal): Promise<Response> {
    const response = await this.fetchImpl(this.url(path, params), { headers: this.headers(), signal });
    if (!response.ok) throw new HTTPError(response.status, await response.text());
    return response;
  }

  /** `_post(path, data)`: `json.dumps(data)` as the body, even for a string or None. */
  async post(path: string, data?: unknown): Promise<Response> {
    const response = await this.fetchImpl(this.url(path), { method: 'POST', headers: this.headers(), body: pythonJsonDumps(data) });
    if (!response.ok) throw new HTTPError(response.status, await response.text());
    return response;
  }

  readonly telemetry = {
    add: async (events: unknown[]) => (await this.post('telemetry', events)).json(),
    find: async (attributes: Record<string, string>, offset = 0, limit = 50) =>
      ((await (await this.get('telemetry', { ...attributes, offset, limit })).json()) as { items: Record<string, unknown>[] }).items,
    stats: async (attributes: Record<string, string>) => (await this.get('telemetry/stats', attributes)).json(),
  };

  async set_kv(namespace: string, key: string, value: string): Promise<unknown> {
    return (await this.post(`kv/${namespace}/${key}`, value)).json();
  }

  async get_kv(namespace: string, key: string): Promise<unknown> {
    return (await this.get(`kv/${namespace}/${key}`)).json();
  }

  async push_event(listName: string, data: unknown): Promise<void> {
    await this.post(`push/${listName}`, data);
  }

  /** `pop_event`: `from_json(json.dumps(resp.json()))` — the answer must be a CloudEvent object. */
  async pop_event(listName: string, signal?: AbortSignal): Promise<Record<string, unknown> | null> {
    return (await (await this.get(`pop/${listName}`, undefined, signal)).json()) as Record<string, unknown> | null;
  }
}
