/**
 * The event outbox's MongoDB documents (docs/events.md), offline: what a pending event becomes on
 * its way through BSON and back, and the drain order. The contract suite runs the repository on a
 * real server (`npm run test:mongo`).
 */
import { deserialize, ObjectId, serialize } from 'bson';
import { newObjectId } from '../../common/object-id';
import type { NewEvent } from '../ports';
import { PENDING_EVENT_ORDER, pendingEventDocument, pendingEventFromDocument } from './mongo-pending-event.repository';

const event = (overrides: Partial<NewEvent> = {}): NewEvent => ({
  id: newObjectId(),
  timestamp: new Date('2026-12-03T10:00:00.123Z'),
  channel: 'node',
  owner: 'alice',
  data: { op: 'updated', id: newObjectId(), state: 'done', data: { z: 1, a: [1, 2], big: 2 ** 60 }, previous_state: 'running' },
  ce: { id: 'c1', time: '2026-12-03T10:00:00.123000+00:00', type: 'api.kernelci.org', source: 'https://maestro.example/', specversion: '1.0', extensions: { owner: 'alice', zeta: 1, alpha: 2 } },
  ...overrides,
});

describe('maestro_pending_event documents', () => {
  it('keep the event id as the ObjectId _id and give back every field, key order included, after a BSON round trip', () => {
    const input = event();
    const stored = deserialize(serialize(pendingEventDocument(input)));
    expect(stored._id).toBeInstanceOf(ObjectId);
    expect((stored._id as ObjectId).toHexString()).toBe(input.id);
    const output = pendingEventFromDocument(stored);
    expect(output).toEqual(input);
    expect(Object.keys(output.data as object)).toEqual(Object.keys(input.data as object));
    expect(Object.keys(output.ce!.extensions)).toEqual(['owner', 'zeta', 'alpha']);
  });

  it('keep an ownerless event and a null payload', () => {
    const input = event({ owner: null, data: null });
    expect(pendingEventFromDocument(deserialize(serialize(pendingEventDocument(input))))).toEqual(input);
  });

  it('are drained by time, then by _id (ids made by one process increase)', () => {
    expect(Object.entries(PENDING_EVENT_ORDER)).toEqual([['timestamp', 1], ['_id', 1]]);
    const ids = [newObjectId(), newObjectId(), newObjectId()];
    expect([...ids].sort()).toEqual(ids);
  });
});
