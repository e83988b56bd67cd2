import type { EventNotifier, NotifierMessage } from './notifier.port';

/** The single-replica notifier: listeners in this process only. */
export class InProcessNotifier implements EventNotifier {
  private readonly listeners = new Set<(message: NotifierMessage) => void>();

  publish(message: NotifierMessage): void {
    for (const listener of [...this.listeners]) listener(message);
  }

  /** Nothing to lose: always connected. */
  isConnected(): boolean {
    return true;
  }

  subscribe(listener: (message: NotifierMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
