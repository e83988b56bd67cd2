/**
 * De-duplication of events without a sequence number (KernelCI long-poll replays): a finished
 * event's fingerprint is remembered for ten minutes, and a replayed event with a remembered
 * fingerprint is dropped. Events with sequences are de-duplicated by the {@link AckTracker}.
 */
import { canonicalJson } from '../keys.js';
import type { NodeEventPayload } from './types.js';

const FINGERPRINT_TTL_MS = 10 * 60_000;
const FINGERPRINT_MAX = 10_000;

/** A short, stable fingerprint of an event's content. */
export function fingerprintOf(payload: NodeEventPayload): string {
  const { id, op, state, result, previous_state, previous_result, data } = payload;
  const text = canonicalJson([id, op, state, result, previous_state, previous_result, data ?? null]);
  // FNV-1a keeps the LRU small; collisions only risk dropping a KernelCI replay that looks identical.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return `${String(id)}:${h.toString(36)}:${text.length}`;
}

/** A bounded LRU of the fingerprints of finished events. */
export class Deduplicator {
  readonly #fingerprints = new Map<string, number>();

  /** Whether a replayed event with this fingerprint was finished recently. */
  seenRecently(fingerprint: string, now = Date.now()): boolean {
    const seenAt = this.#fingerprints.get(fingerprint);
    return seenAt !== undefined && now - seenAt < FINGERPRINT_TTL_MS;
  }

  /** Remembers a finished event's fingerprint. */
  remember(fingerprint: string, now = Date.now()): void {
    this.#fingerprints.delete(fingerprint);
    this.#fingerprints.set(fingerprint, now);
    if (this.#fingerprints.size > FINGERPRINT_MAX) this.#fingerprints.delete(this.#fingerprints.keys().next().value!);
  }
}
