/**
 * Client-side event filtering (sdk/README.md#events-delivery-guarantees): the filter is re-applied in every mode, and the
 * transitions-only rule (which no server offers) runs here, on the payload, before any node is read.
 */
import type { EventFilter, NodeEventPayload } from './types.js';

const FILTER_KEYS = ['kind', 'state', 'result', 'op', 'name', 'group', 'owner', 'node_id', 'path'] as const;

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** Whether `payload` matches `filter`: keys ANDed, arrays any-of, a missing key never matches. */
export function matchesFilter(payload: NodeEventPayload, filter: EventFilter | undefined): boolean {
  if (!filter) return true;
  for (const key of FILTER_KEYS) {
    const wanted = filter[key];
    if (wanted === undefined) continue;
    const options = list(wanted);
    if (key === 'path') {
      if (!Array.isArray(payload.path) || !options.some((o) => payload.path!.includes(o as string))) return false;
      continue;
    }
    const actual = key === 'node_id' ? payload.id : payload[key];
    if (actual === undefined || !options.includes(actual)) return false;
  }
  return true;
}

/** The filter in the contract's socket.io form (docs/realtime.md): `node_id` is sent as `id`, values as strings or string lists. */
export function toServerFilter(filter: EventFilter | undefined): Record<string, string | string[]> | undefined {
  if (!filter) return undefined;
  const out: Record<string, string | string[]> = {};
  for (const key of FILTER_KEYS) {
    const v = filter[key];
    if (v === undefined) continue;
    out[key === 'node_id' ? 'id' : key] = Array.isArray(v) ? v.map(String) : String(v);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `transitionsOnly` option, normalised. */
export interface TransitionRule {
  onMissingPrevious: 'drop' | 'deliver';
}

/**
 * The transitions-only truth table (sdk/README.md#events-delivery-guarantees), for a payload that already matches `filter`:
 * - `created` always passes;
 * - `updated` without `previous_state` passes only with `onMissingPrevious: "deliver"`;
 * - when the filter constrains `state` or `result`, an update passes when the previous values did not match;
 * - otherwise an update passes when the state or the result changed.
 * Events with another `op` (published by clients) are not level events and pass.
 */
export function passesTransition(payload: NodeEventPayload, filter: EventFilter | undefined, rule: TransitionRule): boolean {
  if (payload.op === 'created') return true;
  if (payload.op !== 'updated') return true;
  if (!('previous_state' in payload) || payload.previous_state === undefined) return rule.onMissingPrevious === 'deliver';
  if (filter && (filter.state !== undefined || filter.result !== undefined)) {
    const before = { ...payload, state: payload.previous_state ?? undefined, result: payload.previous_result };
    return !matchesFilter(before, filter);
  }
  return payload.state !== payload.previous_state || payload.result !== payload.previous_result;
}
