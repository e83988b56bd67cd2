import type { JobContext } from './job-runner';

export interface BatchedDelete {
  /** Deletes at most `batch` rows; returns how many it deleted. */
  deleteBatch: (batch: number) => Promise<number>;
  batch: number;
  /** Pause between two full batches, so a large backlog never monopolises the database. */
  pauseMs: number;
  /** Called after each batch with the rows it deleted (metrics). */
  onDeleted?: (count: number) => void;
}

/**
 * Deletes batch after batch until one comes back short, pausing between batches and renewing the
 * job's lease before the next one; stops early on shutdown or when the lease was lost. Returns the
 * total deleted. Used by the retention jobs (retention-job.ts).
 */
export async function deleteInBatches(context: JobContext, options: BatchedDelete): Promise<number> {
  let deleted = 0;
  for (;;) {
    const count = await options.deleteBatch(options.batch);
    deleted += count;
    options.onDeleted?.(count);
    if (count < options.batch) break;
    await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    if (context.signal.aborted || !(await context.renewLease())) break;
  }
  return deleted;
}
