/**
 * `events.history` (sdk/README.md#events-delivery-guarantees, docs/events.md#event-history-get-events). `/events` returns the whole 7-day history without
 * `limit`, so a limit is always sent. Pages are chained with `from`, which is strictly greater-than
 * while timestamps collide: each next page starts just before the last timestamp seen and events
 * already seen are dropped by `sequence_id`; a full page sharing one timestamp continues with `offset`.
 */
import type { ClientContext } from '../context.js';
import { send } from '../routes.js';
import { toDate, toWireTimestamp } from '../states.js';
import type { CallOptions } from '../transport.js';
import type { HistoryFilter, StoredEvent } from './types.js';

/** Pages of stored events matching `filter`, oldest first, each event once. */
export async function* historyPages(ctx: ClientContext, filter: HistoryFilter, opts: CallOptions = {}): AsyncGenerator<StoredEvent[]> {
  const { pageSize = 100, from: start, ...rest } = filter;
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(rest)) if (v !== undefined && v !== '') base[k] = String(v);
  let from = start === undefined ? undefined : toWireTimestamp(start);
  let offset = 0;
  const seen = new Set<number>();
  for (;;) {
    const query = { ...base, limit: String(pageSize), ...(from ? { from } : {}), ...(offset > 0 ? { offset: String(offset) } : {}) };
    const { data } = await send<StoredEvent[]>(ctx, 'GET /events', { query }, { op: 'read', ...opts });
    const fresh = data.filter((e) => !seen.has(e.sequence_id));
    fresh.forEach((e) => seen.add(e.sequence_id));
    if (fresh.length > 0) yield fresh;
    if (data.length < pageSize) return;
    const last = data[data.length - 1]!.timestamp;
    // A full page of one timestamp, or of nothing new (sub-millisecond collisions): continue by offset.
    if (fresh.length === 0 || data.every((e) => e.timestamp === last)) {
      offset += data.length;
    } else {
      // One millisecond before the last timestamp: its siblings come again and are dropped by sequence id.
      from = toWireTimestamp(new Date(toDate(last).getTime() - 1));
      offset = 0;
    }
  }
}

/** A stored event as the CloudEvent it was published as (for gap backfill). */
export function storedToEvent(stored: { id: string; timestamp: string; data: unknown; owner: string | null; sequence_id: number }): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: stored.id,
    source: 'https://api.kernelci.org/',
    type: 'api.kernelci.org',
    time: /[zZ]|[+-]\d\d:\d\d$/.test(stored.timestamp) ? stored.timestamp : `${stored.timestamp}+00:00`,
    data: stored.data,
    ...(stored.owner ? { owner: stored.owner } : {}),
  };
}

/** The stored events with sequence ids in `from`..`to`, oldest first. */
export async function* storedRange(ctx: ClientContext, filter: HistoryFilter, from: number, to: number, signal: AbortSignal): AsyncGenerator<StoredEvent> {
  for await (const page of historyPages(ctx, filter, { signal })) {
    for (const stored of page) if (stored.sequence_id >= from && stored.sequence_id <= to) yield stored;
    if (page.length > 0 && page[page.length - 1]!.sequence_id > to) return;
  }
}
