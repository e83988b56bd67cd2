/**
 * Named FIFO lists of CloudEvents (docs/queues-kv.md). Several API replicas share one list: each
 * item is claimed by exactly one `pop` (a row lock skipped by the others, or `findOneAndDelete`).
 */
export interface QueueItem {
  /** Position in the list: items pop in ascending order. */
  position: string;
  event: Record<string, unknown>;
}

export interface QueueRepository {
  push(list: string, event: Record<string, unknown>): Promise<void>;
  /** Removes and returns the oldest item of `list`, or null when it is empty. */
  pop(list: string): Promise<QueueItem | null>;
  /** Puts a popped item back at its original position (its consumer went away before receiving it). */
  restore(list: string, item: QueueItem): Promise<void>;
  /** Items waiting per list (lists without items are absent). */
  depths(): Promise<Record<string, number>>;
}
