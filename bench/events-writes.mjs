// Event-producing writes/s (bench/events.mjs): W concurrent writers (default 8), each committing
// transactions of one small row insert plus an event append as node writes make it (appendAtCommit:
// sent with the COMMIT in one round trip, docs/adr/0020-event-append-at-commit.md), against the same
// transactions without the append, on the storage adapter of the build in the benchmark's throw-away schema. A third run
// locks a counter row from the append until commit, as the event log did before ADR 0005's
// visibility bound: then event-producing transactions committed one at a time.
import { randomBytes } from 'node:crypto';
import { root } from './events-common.mjs';

/** Transactions/s of `writers` concurrent loops over `seconds`; `work(tx, writer, n)` is one transaction's body. */
async function throughput(storage, { writers, seconds }, work) {
  const deadline = performance.now() + seconds * 1000;
  let committed = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let n = 0; performance.now() < deadline; n += 1) {
        await storage.transaction((tx) => work(tx, writer, n));
        committed += 1;
      }
    }),
  );
  return committed / seconds;
}

/** Event-producing writes/s against the same writes without an event, on the storage adapter itself. */
export async function measureWrites(url, options) {
  const { PostgresStorage } = await import(`${root}api/dist/storage/postgres/postgres.storage.js`);
  const target = url.startsWith('postgres') ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: null };
  const storage = await PostgresStorage.open(target);
  try {
    const run = randomBytes(4).toString('hex');
    const write = (tx, writer, n, tag) => tx.leases.tryAcquire(`bench-${run}-${tag}-${writer}-${n}`, 'bench', 60_000);
    const event = () => ({ id: randomBytes(12).toString('hex'), timestamp: new Date(), channel: 'bench-writes', owner: null, data: { op: 'updated' }, ce: null });
    await throughput(storage, { ...options, seconds: 1 }, (tx, w, n) => write(tx, w, n, 'warm')); // warm-up
    // The three kinds alternate in three rounds, so that a change of the machine's load during the
    // run weighs on each the same (this machine is shared).
    const rounds = 3;
    const round = { ...options, seconds: options.seconds / rounds };
    let plain = 0;
    let withEvent = 0;
    let locked = 0;
    let separate = 0;
    for (let r = 0; r < rounds; r += 1) {
      plain += (await throughput(storage, round, (tx, w, n) => write(tx, w, n, `plain${r}`))) / rounds;
      withEvent +=
        (await throughput(storage, round, async (tx, w, n) => {
          await write(tx, w, n, `event${r}`);
          await tx.events.appendAtCommit(event(), () => undefined);
        })) / rounds;
      // Before ADR 0020: the append as a statement of its own between the write and COMMIT.
      separate +=
        (await throughput(storage, round, async (tx, w, n) => {
          await write(tx, w, n, `separate${r}`);
          await tx.events.append(event());
        })) / rounds;
      // The previous design for comparison: a counter row locked from the append until commit
      // (subscriptions.nextId() updates a maestro_counter row the same way the old append did).
      locked +=
        (await throughput(storage, round, async (tx, w, n) => {
          await write(tx, w, n, `locked${r}`);
          await tx.subscriptions.nextId();
          await tx.events.append(event());
        })) / rounds;
    }
    return { plain, withEvent, separate, locked };
  } finally {
    await storage.close();
  }
}
