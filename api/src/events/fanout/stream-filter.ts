import type { EventRecord, EventStreamQuery } from '../../storage/ports';

/** A payload field as PostgreSQL's `->>` renders it; null for what a filter value can never equal. */
function fieldText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/**
 * The filter of `EventRepository.stream` evaluated in memory, for the events the fan-out already
 * holds (docs/events.md#delivery-fan-out): the owner rule of a non-promiscuous subscription, then each
 * payload key ANDed — `path` matches when the array `data.path` has one of the values, another key
 * when `data.<key>` (not an array or object) is one of them. Filter values are strings and the
 * filterable node fields are strings, on which both adapters agree (a number or boolean field is
 * compared as text, as PostgreSQL does).
 */
export function matchesStreamQuery(event: EventRecord, query: Pick<EventStreamQuery, 'visibleTo' | 'payload'>): boolean {
  if (query.visibleTo !== undefined && event.owner !== null && event.owner !== query.visibleTo) return false;
  if (!query.payload) return true;
  const data = event.data;
  for (const [key, values] of Object.entries(query.payload)) {
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return false;
    const field = (data as Record<string, unknown>)[key];
    if (key === 'path') {
      if (!Array.isArray(field) || !field.some((element) => values.includes(fieldText(element) ?? '\0'))) return false;
    } else {
      const text = fieldText(field);
      if (text === null || !values.includes(text)) return false;
    }
  }
  return true;
}
