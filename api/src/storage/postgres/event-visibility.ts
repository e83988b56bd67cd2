import { SharedRun } from '../../common/async/shared-run';
import type { SqlClient } from './sql-client';

/** One probe: every sequence id up to `last` was allocated by a transaction whose id is below `marker`. */
interface Sample {
  last: number;
  marker: bigint;
}

/** How long a read waits for transactions in flight at its start before answering with what is safe. */
export const VISIBILITY_WAIT_MS = 250;
const MAX_SAMPLES = 256;

/**
 * The visibility bound of the event log on PostgreSQL (docs/adr/0005-events.md): the highest
 * sequence id below which every event is committed (and visible to any later snapshot) or rolled
 * back for good. Readers deliver only events at or below it, so an event whose transaction commits
 * after a higher sequence id was already visible is never skipped, and writers never wait for each
 * other.
 *
 * Why it holds: the append takes the transaction id (`pg_current_xact_id()`) before `nextval`, so a
 * sequence id n is allocated by a transaction that already has an id. A probe reads the sequence's
 * last value L, then, in a short transaction of its own, takes a transaction id M (the marker) and
 * commits: every allocator of an id ≤ L got its transaction id before M, i.e. below M. A snapshot
 * taken after the marker committed lists every running transaction below M, so once such a
 * snapshot's `xmin` (the oldest transaction still running) is above M, all of them have ended and
 * every id ≤ L is final (committed and visible to later snapshots, or rolled back for good).
 * The snapshot's `xmax` cannot stand in for the marker: it is one above the latest *completed*
 * transaction, so a running transaction with a newer id is not listed in it. Each probe costs one
 * transaction id (no WAL flush). One state per storage (process), shared by all its readers.
 *
 * PGlite runs one statement at a time and a transaction holds its only connection, so no
 * transaction is ever in flight while a read runs: the bound is simply the sequence's last value.
 */
export class EventVisibility {
  private bound = 0;
  private samples: Sample[] = [];
  /** Concurrent readers share probes: a process makes at most one per round trip however many subscriptions read. */
  private readonly probes = new SharedRun(() => this.probe());

  constructor(private readonly sql: SqlClient) {}

  /** The bound as last established, without asking the database (safe, possibly behind). */
  known(): number {
    return this.bound;
  }

  /**
   * The bound, covering at least every event committed before the call — unless a transaction that
   * was in flight at the call is still running after `waitMs`; then the safe part of it.
   */
  async current(waitMs = VISIBILITY_WAIT_MS): Promise<number> {
    const target = await this.probes.run();
    if (this.bound >= target) return this.bound;
    const deadline = Date.now() + waitMs;
    for (let pause = 1; Date.now() < deadline; pause = Math.min(pause * 2, 20)) {
      await new Promise((resolve) => setTimeout(resolve, pause));
      await this.probes.run();
      if (this.bound >= target) break;
    }
    return this.bound;
  }

  /** Takes one sample and raises the bound; returns the sequence's last value at the probe. */
  private async probe(): Promise<number> {
    if (this.sql.engine === 'pglite') {
      const { rows } = await this.sql.query<{ last: number | string }>(`SELECT coalesce(pg_sequence_last_value('maestro_event_sequence'), 0) AS last`);
      this.bound = Math.max(this.bound, Number(rows[0].last));
      return this.bound;
    }
    // One round trip; the statements run in order, the last one with a snapshot taken after the
    // marker's commit.
    const results = await this.sql.script<Record<string, string | number | null>>(
      `BEGIN;
       SELECT coalesce(pg_sequence_last_value('maestro_event_sequence'), 0) AS last;
       SELECT pg_current_xact_id()::text AS marker;
       COMMIT;
       SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`,
    );
    const last = Number(results[1].rows[0].last);
    this.samples.push({ last, marker: BigInt(results[2].rows[0].marker as string) });
    this.advance(BigInt(results[4].rows[0].xmin as string));
    if (this.samples.length > MAX_SAMPLES) this.samples = this.samples.slice(-MAX_SAMPLES);
    return last;
  }

  /** A sample whose marker is below the oldest running transaction of a later snapshot is final. */
  private advance(xmin: bigint): void {
    const pending: Sample[] = [];
    for (const sample of this.samples) {
      if (sample.marker < xmin) this.bound = Math.max(this.bound, sample.last);
      else if (sample.last > this.bound) pending.push(sample);
    }
    this.samples = pending;
  }
}
