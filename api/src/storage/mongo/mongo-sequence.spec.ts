/**
 * Sequence ids on a replica set (docs/adr/0007-mongo.md): reserved outside the unit's transaction
 * with a deadline, released when the attempt ends; readers deliver up to the visible horizon. The
 * counter update is evaluated by mingo as the server evaluates it, and a model of interleaved
 * writers and a polling reader checks the reader guarantee: every committed event delivered, once,
 * in order, none skipped, none uncommitted. What a server adds (commit and visibility order) is
 * checked by the kit's contention test (server/contention.server.ts).
 */
import { aggregate } from 'mingo';
import { RESERVATION_MS, reserveSequencePipeline, visibleHorizon } from './mongo-event.repository';

type Counter = { _id: string; value?: number; pending?: { seq: number; until: Date; holder: string }[] };
const reserve = (counter: Counter, holder: string) => aggregate([counter], reserveSequencePipeline(holder, RESERVATION_MS))[0] as Counter;
const release = (counter: Counter, seq: number): Counter => ({ ...counter, pending: (counter.pending ?? []).filter((r) => Number(r.seq) !== seq) });
const snapshot = (counter: Counter, now = new Date()) => ({ value: counter.value, pending: counter.pending ?? [], now });

describe('reserving a sequence id (one atomic update of the counter)', () => {
  it('increments the value and records the reservation with a deadline past 60 s', () => {
    const before = Date.now();
    const counter = reserve({ _id: 'event_sequence', value: 41 }, 'a');
    expect(Number(counter.value)).toBe(42);
    expect(counter.pending).toHaveLength(1);
    expect([Number(counter.pending![0].seq), counter.pending![0].holder]).toEqual([42, 'a']);
    expect(counter.pending![0].until.getTime()).toBeGreaterThanOrEqual(before + 60_000);
  });

  it('starts a missing counter at 1 and drops expired reservations while adding one', () => {
    const first = reserve({ _id: 'event_sequence' }, 'a');
    expect(Number(first.value)).toBe(1);
    const stale = { ...first, pending: [{ seq: 1, until: new Date(Date.now() - 1), holder: 'dead' }] };
    expect(reserve(stale, 'b').pending!.map((r) => [Number(r.seq), r.holder])).toEqual([[2, 'b']]);
  });
});

describe('the visible horizon', () => {
  const now = new Date();
  const live = (seq: number) => ({ seq, until: new Date(now.getTime() + 1000) });
  it.each<[string, Parameters<typeof visibleHorizon>[0], number]>([
    ['no counter yet', null, 0],
    ['no reservation: the counter', { value: 10, pending: [], now }, 10],
    ['below the lowest live reservation', { value: 10, pending: [live(9), live(7)], now }, 6],
    ['an expired reservation holds nothing back', { value: 10, pending: [{ seq: 3, until: new Date(now.getTime() - 1) }], now }, 10],
    ['int64 values as numbers', { value: 2 ** 40, pending: [], now }, 2 ** 40],
  ])('%s', (_title, counter, expected) => {
    expect(visibleHorizon(counter)).toBe(expected);
  });
});

describe('interleaved writers and a polling reader (model of the protocol)', () => {
  /**
   * Each writer reserves, then commits or aborts later, in an order that differs from the
   * reservation order; the reader polls after every step and delivers committed events above its
   * cursor up to the horizon, as `stream` does.
   */
  it.each([
    ['commits in reverse order', ['r:a', 'r:b', 'r:c', 'c:c', 'c:b', 'c:a']],
    ['an abort in the middle (its id becomes a gap)', ['r:a', 'r:b', 'r:c', 'c:c', 'x:b', 'c:a']],
    ['a long unit overtaken by many short ones', ['r:long', 'r:s1', 'c:s1', 'r:s2', 'c:s2', 'r:s3', 'c:s3', 'c:long']],
    ['a re-run after an abort reserves again', ['r:a', 'r:b', 'x:a', 'r:a2', 'c:b', 'c:a2']],
    ['units of several events (one entry each, later ids by increment)', ['r:h', 'n:h', 'r:w', 'n:h', 'c:w', 'n:h', 'r:v', 'c:v', 'c:h']],
  ])('%s', (_title, steps) => {
    let counter: Counter = { _id: 'event_sequence', value: 0 };
    const reserved = new Map<string, number>();
    const more = new Map<string, number[]>();
    const committed = new Map<number, string>();
    const delivered: number[] = [];
    let cursor = 0;
    const poll = () => {
      const horizon = visibleHorizon(snapshot(counter));
      const visible = [...committed.keys()].filter((seq) => seq > cursor && seq <= horizon).sort((a, b) => a - b);
      for (const seq of visible) delivered.push(seq);
      if (visible.length > 0) cursor = visible[visible.length - 1];
    };
    for (const step of steps) {
      const [action, writer] = step.split(':');
      if (action === 'r') {
        counter = reserve(counter, writer);
        reserved.set(writer, Number(counter.value));
      } else if (action === 'n') {
        // A later event of the same unit: the next id, no entry.
        counter = { ...counter, value: Number(counter.value) + 1 };
        more.set(writer, [...(more.get(writer) ?? []), Number(counter.value)]);
      } else {
        const seq = reserved.get(writer)!;
        if (action === 'c') for (const id of [seq, ...(more.get(writer) ?? [])]) committed.set(id, writer); // commit first, release after
        poll();
        counter = release(counter, seq);
      }
      poll();
    }
    expect(delivered).toEqual([...committed.keys()].sort((a, b) => a - b));
    expect(new Set(delivered).size).toBe(delivered.length);
  });
});
