import { makeNode } from '../storage/contract/fixtures';
import { decodeCursor, encodeCursor, parseFastPaging, parseSort } from './node-paging';

describe('sort and cursor', () => {
  it('parses sort fields and refuses others with the contract text', () => {
    expect(parseSort({ sort: '-created' })).toEqual({ field: 'created', descending: true });
    expect(parseSort({ sort: ['id', 'updated'] })).toEqual({ field: 'updated', descending: false });
    expect(parseSort({})).toBeUndefined();
    for (const bad of ['foo', '--id', 'name', '']) expect(() => parseSort({ sort: bad })).toThrow(`Invalid sort field: ${bad}`);
  });

  it('round-trips a cursor bound to the filter and sort', () => {
    const node = makeNode();
    const query = { kind: 'test', 'data.x__in': '1,2', limit: '5' };
    const cursor = encodeCursor(query, { field: 'created', descending: true }, node);
    const decoded = decodeCursor({ ...query, limit: '9', cursor }, cursor, undefined);
    expect(decoded).toEqual({ sort: { field: 'created', descending: true }, after: { value: node.created, id: node.id } });
    expect(decodeCursor(query, cursor, { field: 'created', descending: true }).after.id).toBe(node.id);
  });

  it('refuses a cursor with another filter, another sort, or a broken body', () => {
    const node = makeNode();
    const cursor = encodeCursor({ kind: 'test' }, { field: 'id', descending: false }, node);
    expect(() => decodeCursor({ kind: 'job' }, cursor, undefined)).toThrow('Invalid cursor');
    expect(() => decodeCursor({ kind: 'test', state: 'done' }, cursor, undefined)).toThrow('Invalid cursor');
    expect(() => decodeCursor({ kind: 'test' }, cursor, { field: 'id', descending: true })).toThrow('Invalid cursor');
    for (const broken of ['', 'x', Buffer.from('{"s":"id"}').toString('base64url'), Buffer.from('[1]').toString('base64url')]) {
      expect(() => decodeCursor({ kind: 'test' }, broken, undefined)).toThrow('Invalid cursor');
    }
  });
});

describe('/nodes/fast paging', () => {
  it('reads optional integers, 0 as no limit, and refuses others with Python’s text', () => {
    expect(parseFastPaging({})).toEqual({ limit: undefined, offset: 0 });
    expect(parseFastPaging({ limit: '0', offset: '20' })).toEqual({ limit: undefined, offset: 20 });
    expect(parseFastPaging({ limit: ' 50 ' })).toEqual({ limit: 50, offset: 0 });
    expect(() => parseFastPaging({ limit: 'x' })).toThrow("invalid literal for int() with base 10: 'x'");
    expect(() => parseFastPaging({ offset: '1.5' })).toThrow("invalid literal for int() with base 10: '1.5'");
  });
});
