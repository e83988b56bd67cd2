import type { EventRecord } from '../storage/ports';
import { buildCloudEvent, derivedEventId, InvalidCloudEventError, keepAliveCloudEvent, orderedPayload, pythonJsonDumps, toCloudEvent } from './cloud-event';
import { nodeEventPayload } from './event-log.service';
import type { NodeChange } from './node-events.port';

const SOURCE = 'https://api.kernelci.org/';
const now = new Date('2024-01-04T10:48:39.974Z');

describe('CloudEvents envelope', () => {
  it('fills defaults, keeps extension order with owner first and ends with _sequence_id', () => {
    const ce = buildCloudEvent({ data: { a: 1 }, source: SOURCE, owner: 'bob', attributes: { lab: 'x', owner: 'mallory', type: 't', source: 's' }, now });
    expect(ce).toMatchObject({ type: 'api.kernelci.org', source: SOURCE, specversion: '1.0', time: '2024-01-04T10:48:39.974000+00:00', extensions: { owner: 'bob', lab: 'x' } });
    expect(ce.id).toMatch(/^[0-9a-f-]{36}$/);
    const event: EventRecord = { id: '65a1355ee98651d0fe81e500', timestamp: now, sequenceId: 7, channel: 'node', owner: 'bob', data: { a: 1 }, ce };
    expect(Object.keys(toCloudEvent(event, SOURCE))).toEqual(['specversion', 'id', 'source', 'type', 'time', 'data', 'owner', 'lab', '_sequence_id']);
  });

  it('lets /publish attributes set id, time and specversion, and refuses invalid attribute names', () => {
    const ce = buildCloudEvent({ data: 1, source: SOURCE, attributes: { id: 'fixed', time: '2020-01-01T00:00:00+00:00' }, now });
    expect([ce.id, ce.time]).toEqual(['fixed', '2020-01-01T00:00:00+00:00']);
    expect(() => buildCloudEvent({ data: 1, source: SOURCE, attributes: { 'not-valid': 1 }, now })).toThrow(InvalidCloudEventError);
    expect(() => buildCloudEvent({ data: 1, source: SOURCE, attributes: { time: 'yesterday' }, now })).toThrow(InvalidCloudEventError);
  });

  it('derives a stable UUID for events KernelCI stored without attributes', () => {
    const legacy: EventRecord = { id: '65a1355ee98651d0fe81e500', timestamp: now, sequenceId: 3, channel: 'node', owner: null, data: {}, ce: null };
    const first = toCloudEvent(legacy, SOURCE);
    expect(first.id).toBe(derivedEventId(legacy.id));
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(toCloudEvent(legacy, SOURCE)).toEqual(first);
    expect(first).not.toHaveProperty('owner');
    expect(derivedEventId('65a1355ee98651d0fe81e501')).not.toBe(first.id);
  });

  it('builds keep-alives without owner or sequence id', () => {
    const beep = keepAliveCloudEvent(SOURCE, now);
    expect(Object.keys(beep)).toEqual(['specversion', 'id', 'source', 'type', 'time', 'data']);
    expect(beep.data).toBe('BEEP');
  });

  it("serialises like Python's json.dumps", () => {
    expect(pythonJsonDumps({ a: [1, 'é', null, true], b: { c: '"q"' }, d: '😀' })).toBe('{"a": [1, "\\u00e9", null, true], "b": {"c": "\\"q\\""}, "d": "\\ud83d\\ude00"}');
    expect(JSON.parse(pythonJsonDumps({ text: 'ü\n' }))).toEqual({ text: 'ü\n' });
  });
});

describe('node event payloads', () => {
  const node = {
    id: '65a3982ee98651d0fe82b010', kind: 'kbuild', name: 'kbuild-gcc', path: ['checkout', 'kbuild-gcc'], group: null, parent: null,
    state: 'done', result: 'pass', artifacts: {}, data: { arch: 'x86_64' }, debug: {}, jobfilter: null, platform_filter: [],
    created: now, updated: now, timeout: now, holdoff: null, owner: 'bob', submitter: null, treeid: null, user_groups: [],
    processed_by_kcidb_bridge: false, retry_counter: 0,
  } as NodeChange['node'];

  it('has exactly the created keys', () => {
    expect(Object.keys(nodeEventPayload({ op: 'created', node }))).toEqual(['op', 'id', 'kind', 'name', 'path', 'group', 'state', 'result', 'owner', 'data', 'is_hierarchy']);
  });

  it('adds previous_state and previous_result to updates', () => {
    const payload = nodeEventPayload({ op: 'updated', node, previous: { state: 'running', result: null }, isHierarchy: true });
    expect(Object.keys(payload)).toEqual(['op', 'id', 'kind', 'name', 'path', 'group', 'state', 'result', 'owner', 'data', 'is_hierarchy', 'previous_state', 'previous_result']);
    expect(payload).toMatchObject({ op: 'updated', is_hierarchy: true, previous_state: 'running', previous_result: null, state: 'done', result: 'pass' });
  });
});

describe('orderedPayload', () => {
  it('restores the contract key order of a node payload read back from jsonb, keeping extra keys', () => {
    const fromJsonb = { id: 'n', op: 'updated', data: {}, kind: 'test', name: 'x', path: [], group: null, owner: 'o', state: 'done', result: null, extra: 1, is_hierarchy: false, previous_state: 'running', previous_result: null };
    expect(Object.keys(orderedPayload(fromJsonb) as object)).toEqual([
      'op', 'id', 'kind', 'name', 'path', 'group', 'state', 'result', 'owner', 'data', 'is_hierarchy', 'previous_state', 'previous_result', 'extra',
    ]);
  });

  it('leaves other payloads alone', () => {
    expect(orderedPayload({ message: 'x' })).toEqual({ message: 'x' });
    expect(orderedPayload('BEEP')).toBe('BEEP');
    expect(orderedPayload(null)).toBeNull();
  });
});

