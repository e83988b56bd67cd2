import { BadRequestError } from '../common/errors/domain-errors';
import { parseEventQuery } from './event-history.service';

const id = '65a1355ee98651d0fe81e500';

describe('GET /events query parsing', () => {
  it('maps parameters to conditions, last repeated value winning', () => {
    const parsed = parseEventQuery({ kind: ['x', 'kbuild'], state: '', channel: 'node', path: '^base', node_id: id, ids: `${id}, ${id.toUpperCase()}`, from: '2025-01-12T08:30:00Z', limit: '10', offset: '5', 'data.flag': 'True', sequence_id: '4' });
    expect(parsed).toMatchObject({ limit: 10, offset: 5, recursive: false });
    expect(parsed.conditions).toEqual([
      { field: 'data', path: ['kind'], value: 'kbuild' },
      { field: 'channel', value: 'node' },
      { field: 'pathRegex', pattern: '^base' },
      { field: 'data', path: ['id'], value: id },
      { field: 'ids', ids: [id, id] },
      { field: 'after', timestamp: new Date('2025-01-12T08:30:00Z') },
      { field: 'data', path: ['flag'], value: true },
      { field: 'document', key: 'sequence_id', value: '4' },
    ]);
  });

  it.each([
    [{ node_id: id, 'data.id': id }, 'Provide either node_id or data.id, not both'],
    [{ id, ids: id }, 'Provide either id or ids, not both'],
    [{ id: 'x' }, 'Invalid id format'],
    [{ ids: `${id},x` }, 'Invalid ids format'],
    [{ ids: ' , ' }, 'ids must contain at least one id'],
    [{ from: '1700000000' }, "Invalid 'from' parameter, must be an ISO 8601 datetime"],
    [{ recursive: 'false' }, 'Recursive limit is too large, max is 1000'],
    [{ recursive: '1', limit: '1001' }, 'Recursive limit is too large, max is 1000'],
    [{ limit: '1.5' }, "invalid literal for int() with base 10: '1.5'"],
  ])('refuses %j with %s', (query, detail) => {
    expect(() => parseEventQuery(query)).toThrow(new BadRequestError(detail));
  });

  it('turns recursive on for any non-empty value', () => {
    expect(parseEventQuery({ recursive: 'false', limit: '1000' }).recursive).toBe(true);
    expect(parseEventQuery({ recursive: '' }).recursive).toBe(false);
  });
});
