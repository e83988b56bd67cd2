import { plainToInstance } from 'class-transformer';
import { IsOptional, validateSync } from 'class-validator';
import {
  HasUniqueItems,
  IsObjectIdOrNull,
  IsPresentOrAbsent,
  IsStrictInt,
  IsUrlMap,
  IsWireDatetime,
  KeepAsSent,
  isAbsoluteHttpUrl,
  wireDatetimeToDate,
} from './decorators';

class Sample {
  @IsPresentOrAbsent() @IsStrictInt() count?: number;
  @IsObjectIdOrNull() ref?: string | null;
  @IsOptional() @IsUrlMap() links?: Record<string, string> | null;
  @IsPresentOrAbsent() @IsWireDatetime() when?: string;
  @IsPresentOrAbsent() @HasUniqueItems() tags?: string[];
  @IsOptional() @KeepAsSent() free?: Record<string, unknown> | null;
}

/** Constraint name → message of the failures of `body`'s single property. */
function failures(body: object): Record<string, string> {
  const errors = validateSync(plainToInstance(Sample, body));
  return Object.assign({}, ...errors.map((e) => e.constraints));
}

describe('IsStrictInt (retry_counter)', () => {
  it.each([0, 3, -2, JSON.parse('1.0')])('accepts %p', (count) => {
    expect(failures({ count })).toEqual({});
  });
  it.each(['1', 1.5, true, null, {}])('refuses %p', (count) => {
    expect(Object.keys(failures({ count }))).toEqual(['int_type']);
  });
});

describe('IsObjectIdOrNull (parent)', () => {
  it.each([undefined, null, '65a3982ee98651d0fe82b010', '65A3982EE98651D0FE82B010'])('accepts %p', (ref) => {
    expect(failures({ ref })).toEqual({});
  });
  it('refuses anything else with KernelCI message', () => {
    expect(failures({ ref: 'x' })).toEqual({ object_id: 'Invalid ObjectId: x' });
    expect(failures({ ref: 12 })).toEqual({ object_id: 'Invalid ObjectId: 12' });
    expect(failures({ ref: '65a3982ee98651d0fe82b01' })).toHaveProperty('object_id');
  });
});

describe('IsUrlMap (artifacts)', () => {
  it('accepts absolute http and https URLs, and null or absence', () => {
    expect(failures({ links: { log: 'https://x.org/log.txt', host: 'http://example.com' } })).toEqual({});
    expect(failures({ links: {} })).toEqual({});
    expect(failures({ links: null })).toEqual({});
    expect(failures({})).toEqual({});
  });
  it.each([
    [{ log: 'ftp://x.org/log' }, "links.log: ftp://x.org/log is not an absolute http or https URL"],
    [{ ok: 'https://x.org', log: 'not a url' }, 'links.log: not a url is not an absolute http or https URL'],
    [{ log: '/relative/path' }, 'links.log: /relative/path is not an absolute http or https URL'],
    [{ log: 5 }, 'links.log: 5 is not an absolute http or https URL'],
    [['https://x.org'], 'links must be an object mapping names to URLs'],
    ['https://x.org', 'links must be an object mapping names to URLs'],
  ])('refuses %p', (links, message) => {
    expect(failures({ links })).toEqual({ url_map: message });
  });
  it('isAbsoluteHttpUrl needs a host', () => {
    expect(isAbsoluteHttpUrl('http://')).toBe(false);
    expect(isAbsoluteHttpUrl('mailto:a@b.c')).toBe(false);
    expect(isAbsoluteHttpUrl('HTTPS://Example.COM')).toBe(true);
  });
});

describe('IsWireDatetime', () => {
  it.each(['2024-01-14T08:15:42.454000', '2026-08-21 10:10:00.123456+00:00', '2024-11-01', '2024-02-26T13:21:55Z'])('accepts %p', (when) => {
    expect(failures({ when })).toEqual({});
  });
  it.each(['garbage', '2024-02-30', 1700000000, null])('refuses %p', (when) => {
    expect(Object.keys(failures({ when }))).toEqual(['datetime_from_date_parsing']);
  });
  it('converts accepted strings to UTC dates after validation', () => {
    expect(wireDatetimeToDate('2024-01-01T12:00+02:00').toISOString()).toBe('2024-01-01T10:00:00.000Z');
    expect(wireDatetimeToDate('2026-08-21 10:10:00.123456').toISOString()).toBe('2026-08-21T10:10:00.123Z');
    expect(() => wireDatetimeToDate('garbage')).toThrow(TypeError);
  });
});

describe('HasUniqueItems (user_groups)', () => {
  it('accepts distinct items and refuses duplicates', () => {
    expect(failures({ tags: ['a', 'b'] })).toEqual({});
    expect(failures({ tags: [] })).toEqual({});
    expect(failures({ tags: ['a', 'b', 'a'] })).toEqual({ unique_items: 'tags must not contain duplicate items' });
  });
});

describe('IsPresentOrAbsent', () => {
  it('skips an absent property but checks null', () => {
    expect(failures({})).toEqual({});
    expect(Object.keys(failures({ count: null }))).toEqual(['int_type']);
  });
});

describe('KeepAsSent', () => {
  it('keeps the parsed value itself, including keys class-transformer would drop', () => {
    const body = JSON.parse('{"free": {"__proto__": {"a": 1}, "n": {"deep": [1, {"x": null}]}}}');
    const instance = plainToInstance(Sample, body);
    expect(instance.free).toBe(body.free);
    expect(Object.keys(instance.free!)).toEqual(['__proto__', 'n']);
  });
});
