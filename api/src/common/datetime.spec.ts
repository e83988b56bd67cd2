import { formatCloudEventTime, formatWireDatetime, parseIsoDatetime } from './datetime';

describe('parseIsoDatetime', () => {
  it.each([
    ['2024-11-01', '2024-11-01T00:00:00.000Z'],
    ['2024-02-26T13:21:55.301000', '2024-02-26T13:21:55.301Z'],
    ['2024-02-26T13:21:55Z', '2024-02-26T13:21:55.000Z'],
    ['2026-07-20T10:00:00.123456+00:00', '2026-07-20T10:00:00.123Z'],
    ['2026-08-21 10:10:00.123456+00:00', '2026-08-21T10:10:00.123Z'],
    ['2026-08-21 10:10:00.123456', '2026-08-21T10:10:00.123Z'],
    ['2024-01-01T12:00+02:00', '2024-01-01T10:00:00.000Z'],
    ['2024-01-01T00:30:00-01:30', '2024-01-01T02:00:00.000Z'],
    ['2024-01-01T00:00:00.999999999', '2024-01-01T00:00:00.999Z'],
  ])('%s is %s', (text, iso) => {
    expect(parseIsoDatetime(text)?.toISOString()).toBe(iso);
  });

  it.each(['garbage', '', '2024-13-01', '2024-02-30', '2024-01-01T25:00', '1700000000', '2024-01-01T10'])(
    'rejects %p',
    (text) => {
      expect(parseIsoDatetime(text)).toBeNull();
    },
  );
});

describe('formatWireDatetime', () => {
  it('emits six fractional digits only for a non-zero fraction, with no offset', () => {
    expect(formatWireDatetime(new Date('2024-02-01T09:58:28.479Z'))).toBe('2024-02-01T09:58:28.479000');
    expect(formatWireDatetime(new Date('2024-02-01T09:58:28.000Z'))).toBe('2024-02-01T09:58:28');
  });

  it('formats CloudEvent time with +00:00 and six digits', () => {
    expect(formatCloudEventTime(new Date('2024-01-04T10:48:39.974Z'))).toBe('2024-01-04T10:48:39.974000+00:00');
    expect(formatCloudEventTime(new Date('2024-01-04T10:48:39Z'))).toBe('2024-01-04T10:48:39.000000+00:00');
  });
});
