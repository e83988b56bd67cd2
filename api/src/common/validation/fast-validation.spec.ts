import { HierarchyNodeDto, NodeInputDto } from '../../nodes/dto/node.dto';
import { validFastOrUndefined } from './fast-validation';
import { RequestValidationPipe } from './request-validation.pipe';

/** Not opted in (the opt-in is per class), so the pipe takes the full class-transformer + class-validator path. */
class FullPathHierarchy extends HierarchyNodeDto {}

const pipe = new RequestValidationPipe();
const full = (body: unknown) => pipe.transform(body, { type: 'body', metatype: FullPathHierarchy }) as Promise<HierarchyNodeDto>;
const leaf = (node: Record<string, unknown>) => ({ node, child_nodes: [] as unknown[] });
const tree = (node: Record<string, unknown>) => ({ node: { kind: 'checkout', name: 'r', path: ['r'] }, child_nodes: [leaf(node)] });

const VALID: Record<string, unknown>[] = [
  { kind: 'test', name: 't', path: ['r', 't'] },
  {
    id: '65a3982ee98651d0fe82B010', kind: 'test', name: 't', path: ['r', 't'], group: null, parent: null, state: 'done', result: 'pass',
    artifacts: { log: 'https://x.org/log' }, data: { constructor: 1, a: [1, { b: null }] }, debug: {}, jobfilter: ['a'], platform_filter: null,
    created: '2024-01-01T00:00:00', updated: '2024-01-01T00:00:00Z', timeout: '2024-01-01T06:00:00+02:00', holdoff: null, owner: '', submitter: null,
    treeid: 'x', user_groups: ['g'], processed_by_kcidb_bridge: true, retry_counter: 2, unknown: 'dropped',
  },
  { name: 'n', path: [], result: null, artifacts: null, data: null, debug: null, jobfilter: null, group: 'g', holdoff: '2024-01-01T00:00:00.5Z' },
];

const INVALID: Record<string, unknown>[] = [
  { kind: 'test', path: ['r'] },
  { name: 'n', path: 'r' },
  { name: 'n', path: ['r', 1] },
  { name: 'n', path: [], kind: null },
  { name: 'n', path: [], id: 'nope' },
  { name: 'n', path: [], state: 'later' },
  { name: 'n', path: [], state: null },
  { name: 'n', path: [], result: 'ok' },
  { name: 'n', path: [], artifacts: { log: 'ftp://x.org/log' } },
  { name: 'n', path: [], data: [1] },
  { name: 'n', path: [], debug: 'x' },
  { name: 'n', path: [], jobfilter: [1] },
  { name: 'n', path: [], created: 'yesterday' },
  { name: 'n', path: [], holdoff: 5 },
  { name: 'n', path: [], user_groups: ['a', 'a'] },
  { name: 'n', path: [], user_groups: null },
  { name: 'n', path: [], processed_by_kcidb_bridge: 'yes' },
  { name: 'n', path: [], retry_counter: 1.5 },
];

describe('validFastOrUndefined (the validation pipe fast path of hierarchy bodies)', () => {
  it.each(VALID.map((node, i) => [i, node]))('builds what the full path builds for valid node %i', async (_i, node) => {
    const body = JSON.parse(JSON.stringify(tree(node))) as Record<string, unknown>;
    const fast = validFastOrUndefined(HierarchyNodeDto, body) as HierarchyNodeDto;
    const expected = await full(JSON.parse(JSON.stringify(body)));
    expect(fast).toBeInstanceOf(HierarchyNodeDto);
    expect(fast.node).toBeInstanceOf(NodeInputDto);
    expect(fast.child_nodes[0]).toBeInstanceOf(HierarchyNodeDto);
    expect(fast.child_nodes[0].node).toBeInstanceOf(NodeInputDto);
    expect(fast.child_nodes[0].node).toStrictEqual(expected.child_nodes[0].node);
    expect(Object.keys(fast.child_nodes[0].node)).toEqual(Object.keys(expected.child_nodes[0].node));
    expect(fast.node).toStrictEqual(expected.node);
    // Free-form values are the request's own objects, as on the full path.
    expect(fast.child_nodes[0].node.data).toBe((body.child_nodes as { node: { data: unknown } }[])[0].node.data);
  });

  it.each(INVALID.map((node, i) => [i, node]))('gives up on invalid node %i, which the full path refuses', async (_i, node) => {
    const body = tree(node);
    expect(validFastOrUndefined(HierarchyNodeDto, body)).toBeUndefined();
    await expect(full(body)).rejects.toMatchObject({ status: 422 });
  });

  it.each([
    ['no node', { child_nodes: [] }],
    ['a null node', { node: null, child_nodes: [] }],
    ['a string node', { node: 'x', child_nodes: [] }],
    ['no child_nodes', { node: { name: 'n', path: [] } }],
    ['a child that is not an object', { node: { name: 'n', path: [] }, child_nodes: [1] }],
    ['a child without node', { node: { name: 'n', path: [] }, child_nodes: [{ child_nodes: [] }] }],
  ])('gives up on a tree with %s', async (_name, body) => {
    expect(validFastOrUndefined(HierarchyNodeDto, body)).toBeUndefined();
    await expect(full(body)).rejects.toMatchObject({ status: 422 });
  });

  it('only serves classes that opted in', () => {
    expect(validFastOrUndefined(NodeInputDto, { name: 'n', path: [] })).toBeUndefined();
    expect(validFastOrUndefined(FullPathHierarchy, tree({ name: 'n', path: [] }))).toBeUndefined();
    expect(validFastOrUndefined(HierarchyNodeDto, [tree({ name: 'n', path: [] })])).toBeUndefined();
  });
});
