import { canTransition, CHECKOUT_ERROR_CODES, ERROR_CODES, NODE_KINDS, NODE_RESULTS, NODE_STATES, toDate, toWireTimestamp } from './states';
import type { NodeState } from './states';
import { isValidationError } from './errors';

describe('enumerations', () => {
  it('lists the contract values', () => {
    expect(NODE_KINDS).toEqual(['checkout', 'kbuild', 'job', 'test', 'process', 'regression']);
    expect(NODE_STATES).toEqual(['running', 'available', 'closing', 'done']);
    expect(NODE_RESULTS).toEqual(['pass', 'fail', 'skip', 'incomplete']);
    expect(ERROR_CODES).toHaveLength(15);
    expect(ERROR_CODES).toContain('Unexisting permission codename.');
    expect(CHECKOUT_ERROR_CODES).toEqual(['node_timeout', 'git_checkout_failure']);
  });
});

describe('canTransition', () => {
  const allowed: Record<NodeState, NodeState[]> = {
    running: ['running', 'available', 'closing', 'done'],
    available: ['available', 'closing', 'done'],
    closing: ['closing', 'done'],
    done: ['done'],
  };
  for (const from of NODE_STATES) {
    for (const to of NODE_STATES) {
      const expected = allowed[from].includes(to);
      it(`${from} → ${to} is ${expected ? 'allowed' : 'refused'}`, () => {
        expect(canTransition(from, to)).toBe(expected);
      });
    }
  }
});

describe('toDate', () => {
  it('reads naive server timestamps as UTC', () => {
    expect(toDate('2024-02-01T09:58:28.479000').toISOString()).toBe('2024-02-01T09:58:28.479Z');
    expect(toDate('2024-02-01T09:58:28').toISOString()).toBe('2024-02-01T09:58:28.000Z');
  });
  it('honours offsets, a space separator and date-only values', () => {
    expect(toDate('2024-02-01T11:58:28+02:00').toISOString()).toBe('2024-02-01T09:58:28.000Z');
    expect(toDate('2024-02-01T09:58:28Z').toISOString()).toBe('2024-02-01T09:58:28.000Z');
    expect(toDate('2026-08-21 10:10:00.123456+00:00').toISOString()).toBe('2026-08-21T10:10:00.123Z');
    expect(toDate('2024-11-01').toISOString()).toBe('2024-11-01T00:00:00.000Z');
  });
  it('copies Dates and refuses garbage', () => {
    const d = new Date(0);
    expect(toDate(d)).not.toBe(d);
    expect(toDate(d).getTime()).toBe(0);
    for (const bad of ['yesterday', '2024-02-30T00:00:00', '2024-13-01', '', new Date(NaN)]) {
      expect(() => toDate(bad)).toThrow();
      try {
        toDate(bad);
      } catch (e) {
        expect(isValidationError(e)).toBe(true);
      }
    }
  });
});

describe('toWireTimestamp', () => {
  it('emits +00:00, never Z', () => {
    expect(toWireTimestamp(new Date('2024-02-01T09:58:28.479Z'))).toBe('2024-02-01T09:58:28.479+00:00');
  });
  it('keeps naive strings and their fraction digits exactly', () => {
    expect(toWireTimestamp('2024-02-01T09:58:28.479000')).toBe('2024-02-01T09:58:28.479000+00:00');
    expect(toWireTimestamp('2024-02-01T09:58:28')).toBe('2024-02-01T09:58:28+00:00');
    expect(toWireTimestamp('2024-02-01 09:58:28.123456789Z')).toBe('2024-02-01T09:58:28.123456789+00:00');
  });
  it('converts other offsets to UTC and keeps sub-millisecond digits', () => {
    expect(toWireTimestamp('2024-01-01T01:30:00.123456+02:00')).toBe('2023-12-31T23:30:00.123456+00:00');
    expect(toWireTimestamp('2024-01-01T00:00-05:30')).toBe('2024-01-01T05:30:00+00:00');
  });
  it('turns a date alone into midnight UTC', () => {
    expect(toWireTimestamp('2024-11-01')).toBe('2024-11-01T00:00:00+00:00');
  });
  it('round-trips with toDate', () => {
    const d = new Date('2030-05-06T07:08:09.010Z');
    expect(toDate(toWireTimestamp(d)).getTime()).toBe(d.getTime());
  });
  it('refuses invalid input', () => {
    expect(() => toWireTimestamp('2024-02-01T25:00:00')).toThrow(/Invalid timestamp/);
    expect(() => toWireTimestamp(new Date('nope'))).toThrow(/Invalid timestamp/);
  });
});
