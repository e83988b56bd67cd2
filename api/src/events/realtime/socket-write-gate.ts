/**
 * Back-pressure for one socket.io connection. It counts the event packets handed to socket.io since
 * engine.io last passed the connection's write buffer to its transport (engine.io's `drain` event:
 * the transport had room again), and the connection's streams stop reading the log while that count
 * is at MAX_QUEUED_PACKETS. Without it, everything a slow client has not taken yet piles up in
 * socket.io's buffers in the API's memory; with it, a slow stream waits and then reads on from its
 * position (from the fan-out's memory or from the log), as a durable stream does at its window.
 */
import type { EventEmitter } from 'node:events';
import { WakeSet } from '../../common/async/wake-set';

/** Event packets a connection may have waiting in engine.io before its streams pause. */
export const MAX_QUEUED_PACKETS = 256;

export class SocketWriteGate {
  private queued = 0;
  private readonly waiters = new WakeSet();
  private readonly onDrain = (): void => {
    this.queued = 0;
    this.waiters.wakeAll();
  };

  constructor(private readonly connection: Pick<EventEmitter, 'on' | 'off'>) {
    connection.on('drain', this.onDrain);
  }

  /** How many more event packets the connection's streams may send before they pause. */
  get room(): number {
    return Math.max(0, MAX_QUEUED_PACKETS - this.queued);
  }

  /** Counts packets about to be handed to socket.io (before the emit: a flush inside it resets the count). */
  sending(packets: number): void {
    this.queued += packets;
  }

  /** Resolves at the next `drain`, when `signal` aborts, or after `timeoutMs`, whichever is first. */
  drained(signal: AbortSignal, timeoutMs: number): Promise<void> {
    return this.waiters.wait(timeoutMs, signal);
  }

  /** Detaches from the connection and releases every waiting stream. */
  close(): void {
    this.connection.off('drain', this.onDrain);
    this.waiters.wakeAll();
  }
}
