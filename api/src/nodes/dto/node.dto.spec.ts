import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { ValidationIssue } from '../../common/errors/domain-errors';
import { toValidationIssues } from '../../common/validation/validation-issues';
import { HierarchyNodeDto, NodeInputDto, NodePatchDto } from './node.dto';

/** What RequestValidationPipe does with a JSON body: the instance and its 422 issues. */
function check<T extends object>(dto: new () => T, body: object): { instance: T; issues: ValidationIssue[] } {
  const instance = plainToInstance(dto, body);
  const issues = toValidationIssues(validateSync(instance, { whitelist: true, forbidUnknownValues: false }), 'body');
  return { instance, issues };
}

const ID = '65a3982ee98651d0fe82b010';
const MINIMAL = { name: 'checkout', path: ['checkout'] };

const FULL = {
  id: ID,
  kind: 'checkout',
  name: 'checkout',
  path: ['checkout'],
  group: 'g',
  parent: ID,
  state: 'done',
  result: 'pass',
  artifacts: { tarball: 'https://storage.example.org/linux.tar.gz', root: 'http://example.com' },
  data: { kernel_revision: { tree: 'mainline' }, custom: [1, { x: null }] },
  debug: {},
  jobfilter: ['baseline'],
  platform_filter: [],
  created: '2024-01-14T08:15:42.454000',
  updated: '2024-01-14T09:16:47.689000',
  timeout: '2024-01-14T14:15:42.344000+00:00',
  holdoff: '2026-08-21 10:10:00.123456+00:00',
  owner: 'production',
  submitter: 'service:pipeline',
  treeid: 'b1c2',
  user_groups: ['a', 'b'],
  processed_by_kcidb_bridge: true,
  retry_counter: 2,
};

describe('NodeInputDto (step 1)', () => {
  it('accepts a minimal node and the full 23-field node', () => {
    expect(check(NodeInputDto, MINIMAL).issues).toEqual([]);
    expect(check(NodeInputDto, FULL).issues).toEqual([]);
  });

  it('accepts null for every nullable field', () => {
    const nulls = { id: null, group: null, parent: null, result: null, artifacts: null, data: null, debug: null, jobfilter: null, platform_filter: null, holdoff: null, owner: null, submitter: null, treeid: null };
    expect(check(NodeInputDto, { ...MINIMAL, ...nulls }).issues).toEqual([]);
  });

  it('keeps data exactly as sent and drops unknown top-level keys', () => {
    const body = JSON.parse(JSON.stringify({ ...FULL, unknown_top: 1 }));
    const { instance } = check(NodeInputDto, body);
    expect(instance.data).toBe(body.data);
    expect(instance).not.toHaveProperty('unknown_top');
  });

  it.each<[string, object, (string | number)[], string]>([
    ['state "bogus"', { state: 'bogus' }, ['body', 'state'], 'enum'],
    ['state null', { state: null }, ['body', 'state'], 'enum'],
    ['result "maybe"', { result: 'maybe' }, ['body', 'result'], 'enum'],
    ['an ftp artifact', { artifacts: { log: 'ftp://x.org/log' } }, ['body', 'artifacts'], 'url_map'],
    ['a non-URL artifact', { artifacts: { log: 'not a url' } }, ['body', 'artifacts'], 'url_map'],
    ['duplicate user_groups', { user_groups: ['a', 'a'] }, ['body', 'user_groups'], 'unique_items'],
    ['retry_counter "1"', { retry_counter: '1' }, ['body', 'retry_counter'], 'int_type'],
    ['retry_counter 1.5', { retry_counter: 1.5 }, ['body', 'retry_counter'], 'int_type'],
    ['retry_counter true', { retry_counter: true }, ['body', 'retry_counter'], 'int_type'],
    ['name 5', { name: 5 }, ['body', 'name'], 'string_type'],
    ['path "x"', { path: 'x' }, ['body', 'path'], 'list_type'],
    ['path [1]', { path: [1] }, ['body', 'path'], 'string_type'],
    ['kind null', { kind: null }, ['body', 'kind'], 'string_type'],
    ['data []', { data: [] }, ['body', 'data'], 'dict_type'],
    ['debug "x"', { debug: 'x' }, ['body', 'debug'], 'dict_type'],
    ['created "yesterday"', { created: 'yesterday' }, ['body', 'created'], 'datetime_from_date_parsing'],
    ['timeout null', { timeout: null }, ['body', 'timeout'], 'datetime_from_date_parsing'],
    ['holdoff 5', { holdoff: 5 }, ['body', 'holdoff'], 'datetime_from_date_parsing'],
    ['processed_by_kcidb_bridge "true"', { processed_by_kcidb_bridge: 'true' }, ['body', 'processed_by_kcidb_bridge'], 'bool_type'],
    ['user_groups null', { user_groups: null }, ['body', 'user_groups'], 'list_type'],
    ['a malformed id', { id: 'abc' }, ['body', 'id'], 'object_id'],
  ])('422 for %s', (_what, change, loc, type) => {
    const { issues } = check(NodeInputDto, { ...MINIMAL, ...change });
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(issue.loc).toEqual(loc);
    expect(issues.map((i) => i.type)).toContain(type);
  });

  it('422 for parent "x" with KernelCI message', () => {
    expect(check(NodeInputDto, { ...MINIMAL, parent: 'x' }).issues).toEqual([
      { type: 'object_id', loc: ['body', 'parent'], msg: 'Invalid ObjectId: x', input: 'x' },
    ]);
  });

  it.each(['name', 'path'])('422 missing for an absent %s', (field) => {
    const body: Record<string, unknown> = { ...MINIMAL };
    delete body[field];
    expect(check(NodeInputDto, body).issues).toEqual([{ type: 'missing', loc: ['body', field], msg: 'Field required' }]);
  });
});

describe('NodePatchDto', () => {
  it('accepts any subset, explicit nulls of nullable fields included', () => {
    expect(check(NodePatchDto, {}).issues).toEqual([]);
    expect(check(NodePatchDto, { state: 'done', result: null, holdoff: null, jobfilter: null, data: {}, processed_by_kcidb_bridge: false }).issues).toEqual([]);
  });

  it('leaves artifact URLs to kind validation (400), checking only that the map is an object', () => {
    expect(check(NodePatchDto, { artifacts: { log: 'not a url' } }).issues).toEqual([]);
    expect(check(NodePatchDto, { artifacts: 'x' }).issues.map((i) => i.loc)).toEqual([['body', 'artifacts']]);
  });

  it('drops keys PATCH ignores', () => {
    const { instance, issues } = check(NodePatchDto, { name: 'x', owner: 'me', user_groups: ['a'] });
    expect(issues).toEqual([]);
    expect(instance).not.toHaveProperty('name');
    expect(instance).not.toHaveProperty('owner');
  });

  it.each<[string, object]>([
    ['state', { state: null }],
    ['state', { state: 'bogus' }],
    ['result', { result: 'bogus' }],
    ['timeout', { timeout: null }],
    ['processed_by_kcidb_bridge', { processed_by_kcidb_bridge: null }],
    ['data', { data: 'x' }],
    ['platform_filter', { platform_filter: [1] }],
  ])('422 for a bad %s', (field, body) => {
    const { issues } = check(NodePatchDto, body);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0].loc).toEqual(['body', field]);
  });
});

describe('HierarchyNodeDto', () => {
  const leaf = (name: string) => ({ node: { name, path: ['root', name] }, child_nodes: [] });

  it('accepts a nested tree', () => {
    const tree = { node: MINIMAL, child_nodes: [leaf('a'), { ...leaf('b'), child_nodes: [leaf('c')] }] };
    const { instance, issues } = check(HierarchyNodeDto, tree);
    expect(issues).toEqual([]);
    expect(instance.child_nodes[1].child_nodes[0].node).toBeInstanceOf(Object);
    expect(instance.child_nodes[1].child_nodes[0].node.name).toBe('c');
  });

  it('requires child_nodes at every level', () => {
    expect(check(HierarchyNodeDto, { node: MINIMAL }).issues).toEqual([{ type: 'missing', loc: ['body', 'child_nodes'], msg: 'Field required' }]);
    const tree = { node: MINIMAL, child_nodes: [leaf('a'), { node: { name: 'b', path: ['b'] } }] };
    expect(check(HierarchyNodeDto, tree).issues).toEqual([{ type: 'missing', loc: ['body', 'child_nodes', 1, 'child_nodes'], msg: 'Field required' }]);
  });

  it('validates nested nodes with their full location', () => {
    const tree = { node: MINIMAL, child_nodes: [leaf('a'), { node: { name: 'b', path: ['b'], state: 'bogus', parent: 'x' }, child_nodes: [] }] };
    const issues = check(HierarchyNodeDto, tree).issues;
    expect(issues.map((i) => i.loc)).toEqual([
      ['body', 'child_nodes', 1, 'node', 'parent'],
      ['body', 'child_nodes', 1, 'node', 'state'],
    ]);
    expect(issues[0].msg).toBe('Invalid ObjectId: x');
  });

  it('requires node and refuses non-object children', () => {
    expect(check(HierarchyNodeDto, { child_nodes: [] }).issues).toEqual([{ type: 'missing', loc: ['body', 'node'], msg: 'Field required' }]);
    expect(check(HierarchyNodeDto, { node: MINIMAL, child_nodes: ['x'] }).issues.map((i) => i.loc)).toEqual([['body', 'child_nodes', 0]]);
  });
});
