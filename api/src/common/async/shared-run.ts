/**
 * Runs `task` so that concurrent callers share runs: a call while no run is in flight starts one;
 * calls while one runs share the next run, which starts after it. Each caller thus gets the result
 * of a run that started after its call, and at most one run is in flight (plus one queued).
 */
export class SharedRun<T> {
  private running: Promise<T> | null = null;
  private queued: Promise<T> | null = null;

  constructor(private readonly task: () => Promise<T>) {}

  /** The run in flight, if any. */
  get inFlight(): Promise<T> | null {
    return this.running;
  }

  run(): Promise<T> {
    if (!this.running) {
      this.running = this.task().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.run();
      });
    return this.queued;
  }
}
