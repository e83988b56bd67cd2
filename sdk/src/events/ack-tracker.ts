/**
 * Acknowledgement bookkeeping of a subscription: events are tracked in arrival order, and the
 * low-water mark is the highest sequence below which every tracked event has finished. Only the
 * mark is acknowledged, so an event whose handler is still running is never acknowledged early.
 * Sequence numbers seen but not yet below the mark are remembered to drop redeliveries.
 */

/** One event's place in the acknowledgement order; `resolve` is called when it finishes. */
export interface Track {
  seq: number | null;
  done: boolean;
  resolve?: () => void;
}

/** Tracks events in arrival order and computes the low-water mark. */
export class AckTracker {
  readonly #tracks: Track[] = [];
  readonly #seen = new Set<number>();
  #mark: number | null = null;
  #highestSeen: number | null = null;

  /** The low-water mark: every event up to it has finished; null before the first. */
  get mark(): number | null {
    return this.#mark;
  }

  /** The highest sequence ever tracked. */
  get highestSeen(): number | null {
    return this.#highestSeen;
  }

  /** Whether `seq` was already delivered (at or below the mark, or tracked and not yet finished). */
  isDuplicate(seq: number): boolean {
    return (this.#mark !== null && seq <= this.#mark) || this.#seen.has(seq);
  }

  /** Starts tracking one event (`seq` null for events without a sequence). */
  open(seq: number | null): Track {
    const track: Track = { seq, done: false };
    this.#tracks.push(track);
    if (seq !== null) {
      this.#seen.add(seq);
      if (this.#highestSeen === null || seq > this.#highestSeen) this.#highestSeen = seq;
    }
    return track;
  }

  /** Marks `track` finished; returns how many events left the queue and whether the mark advanced. */
  finish(track: Track): { released: number; advanced: boolean } {
    track.done = true;
    track.resolve?.();
    let advanced = false;
    let released = 0;
    while (this.#tracks.length > 0 && this.#tracks[0]!.done) {
      const t = this.#tracks.shift()!;
      if (t.seq !== null) {
        this.#seen.delete(t.seq);
        if (this.#mark === null || t.seq > this.#mark) this.#mark = t.seq;
        advanced = true;
      }
      released++;
    }
    return { released, advanced };
  }
}
