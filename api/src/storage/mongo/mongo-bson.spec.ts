/**
 * Integers beyond int32 in node `data` and event payloads are written as int64, as KernelCI's
 * pymongo writes them (a plain JavaScript number would become a BSON double, read by KernelCI as a
 * float), and read back as the same numbers. Checked through bson's own serializer; no server needed.
 */
import { deserialize, Double, Int32, Long, ObjectId, serialize } from 'bson';
import { makeNode } from '../contract/fixtures';
import { bsonInteger, withInt64, withNumbers } from './mongo-bson';
import { eventFromDocument, eventToDocument } from './mongo-event.repository';
import { nodeFromDocument, nodeToDocument } from './mongo-node.documents';

/** The stored BSON types, as the server keeps them (no promotion to JavaScript numbers). */
const storedTypes = (document: Record<string, unknown>) => deserialize(serialize(document), { promoteValues: false });

const DATA = {
  job_id: 1_234_567_890_123,
  negative: -5_000_000_000,
  largest: Number.MAX_SAFE_INTEGER,
  small: 42,
  edge: 2_147_483_647,
  beyond: 2_147_483_648,
  ratio: 1.5,
  list: [1, 3_000_000_000, { deep: [4_000_000_000] }],
  text: '3000000000',
};

describe('withInt64', () => {
  it('turns integers outside int32 into Longs, at any depth, and leaves the rest', () => {
    const converted = withInt64(DATA) as Record<string, unknown>;
    expect(converted.job_id).toEqual(Long.fromNumber(1_234_567_890_123));
    expect(converted.beyond).toEqual(Long.fromNumber(2_147_483_648));
    expect(converted.edge).toBe(2_147_483_647);
    expect(converted.ratio).toBe(1.5);
    expect(converted.text).toBe('3000000000');
    expect(converted.list).toEqual([1, Long.fromNumber(3_000_000_000), { deep: [Long.fromNumber(4_000_000_000)] }]);
    expect(DATA.job_id).toBe(1_234_567_890_123);
  });

  it('returns what needs no change as it is, and keeps BSON values', () => {
    const small = { a: 1, b: [2, 'x'], c: { d: null } };
    expect(withInt64(small)).toBe(small);
    const id = new ObjectId();
    const when = new Date();
    expect(withInt64({ id, when, big: 5_000_000_000 })).toEqual({ id, when, big: Long.fromNumber(5_000_000_000) });
    expect(bsonInteger(3_000_000_000.5)).toBe(3_000_000_000.5);
  });
});

describe('node data and event payloads through BSON', () => {
  it('stores a node\'s large integers as int64, small ones as int32, fractions as doubles', () => {
    const stored = storedTypes(nodeToDocument(makeNode({ data: DATA })));
    const data = stored.data as Record<string, unknown>;
    expect(data.job_id).toBeInstanceOf(Long);
    expect(data.negative).toBeInstanceOf(Long);
    expect(data.largest).toBeInstanceOf(Long);
    expect(data.beyond).toBeInstanceOf(Long);
    expect(data.small).toBeInstanceOf(Int32);
    expect(data.ratio).toBeInstanceOf(Double);
    expect((data.list as unknown[])[1]).toBeInstanceOf(Long);
  });

  it('reads a node\'s integers back as the same numbers', () => {
    const node = makeNode({ data: DATA, debug: { attempts: 7_000_000_000 } });
    const read = nodeFromDocument(deserialize(serialize(nodeToDocument(node))));
    expect(read.data).toEqual(DATA);
    expect(read.debug).toEqual({ attempts: 7_000_000_000 });
  });

  it('stores an event payload\'s large integers as int64 and reads them back', () => {
    const event = { id: new ObjectId().toHexString(), timestamp: new Date(), channel: 'node', owner: null, data: { op: 'created', job_id: 9_876_543_210 }, ce: null };
    const document = eventToDocument(event, 3_000_000_000);
    const stored = storedTypes(document);
    expect((stored.data as Record<string, unknown>).job_id).toBeInstanceOf(Long);
    expect(stored.sequence_id).toBeInstanceOf(Long);
    const read = eventFromDocument(deserialize(serialize(document)));
    expect(read.data).toEqual({ op: 'created', job_id: 9_876_543_210 });
    expect(read.sequenceId).toBe(3_000_000_000);
  });
});

describe('int64 values beyond 53 bits (written by another client)', () => {
  it('read as the nearest number, never as the Long object\'s fields', () => {
    const stored = { ...nodeToDocument(makeNode()), data: { big: Long.fromString('9223372036854775807'), nested: [{ big: Long.fromString('-9007199254740993') }], ok: 1 } };
    const read = nodeFromDocument(deserialize(serialize(stored)));
    expect(read.data).toEqual({ big: 9223372036854775807, nested: [{ big: -9007199254740992 }], ok: 1 });
    expect(JSON.stringify(read.data)).not.toContain('high');
    const event = eventFromDocument(deserialize(serialize({ _id: new ObjectId(), timestamp: new Date(), sequence_id: 1, data: { big: Long.MAX_VALUE } })));
    expect(event.data).toEqual({ big: 9223372036854775807 });
    const untouched = { a: [1, { b: 'x' }] };
    expect(withNumbers(untouched)).toBe(untouched);
  });
});
