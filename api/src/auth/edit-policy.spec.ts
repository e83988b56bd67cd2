import type { NodeRecord, UserRecord } from '../storage/ports';
import { canEditNode } from './edit-policy';

type User = Pick<UserRecord, 'username' | 'isSuperuser' | 'groups'>;
type Node = Pick<NodeRecord, 'owner' | 'user_groups' | 'data'>;

const user = (username: string, groupNames: string[] = [], isSuperuser = false): User => ({
  username,
  isSuperuser,
  groups: groupNames.map((name, i) => ({ id: `64${String(i).padStart(22, '0')}`, name })),
});

// Every user below except `bob` owns nothing; `carol` owns the nodes that are not bob's.
const ROLES = {
  superuser: user('root', [], true),
  owner: user('bob'),
  'owner name in other case': user('Bob'),
  'node:edit:any member': user('pipeline', ['node:edit:any']),
  'similar group node:edit:all': user('eve', ['node:edit:all']),
  'member of a listed user_group': user('dave', ['team-a']),
  'member of a different group': user('erin', ['team-c']),
  'runtime editor of lava-collabora': user('lab1', ['runtime:lava-collabora:node-editor']),
  'runtime admin of lava-collabora': user('lab2', ['runtime:lava-collabora:node-admin']),
  'runtime viewer of lava-collabora': user('lab3', ['runtime:lava-collabora:node-viewer']),
  'runtime editor of lava-baylibre': user('lab4', ['runtime:lava-baylibre:node-editor']),
  'runtime editor of the empty runtime': user('lab5', ['runtime::node-editor', 'runtime::node-admin']),
  'runtime editor of "42"': user('lab6', ['runtime:42:node-editor']),
  'plain group named like the runtime': user('lab7', ['lava-collabora']),
  'plain user': user('frank'),
} satisfies Record<string, User>;

const NODES = {
  'owned by bob': { owner: 'bob', user_groups: [], data: { arch: 'x86_64' } },
  'without owner': { owner: null, user_groups: [], data: null },
  'with user_groups team-a, team-b': { owner: 'carol', user_groups: ['team-a', 'team-b'], data: {} },
  'with data.runtime lava-collabora': { owner: 'carol', user_groups: [], data: { runtime: 'lava-collabora' } },
  'with data.runtime empty': { owner: 'carol', user_groups: [], data: { runtime: '' } },
  'with data.runtime a number': { owner: 'carol', user_groups: [], data: { runtime: 42 } },
  'with data.runtime an array': { owner: 'carol', user_groups: [], data: { runtime: ['lava-collabora'] } },
  'with data null': { owner: 'carol', user_groups: [], data: null },
} satisfies Record<string, Node>;

type Role = keyof typeof ROLES;
type NodeName = keyof typeof NODES;
const NONE: Record<NodeName, boolean> = {
  'owned by bob': false,
  'without owner': false,
  'with user_groups team-a, team-b': false,
  'with data.runtime lava-collabora': false,
  'with data.runtime empty': false,
  'with data.runtime a number': false,
  'with data.runtime an array': false,
  'with data null': false,
};
const ALL = Object.fromEntries(Object.keys(NONE).map((k) => [k, true])) as Record<NodeName, boolean>;

// The full matrix (docs/auth.md#levels-and-permissions, checklist 60). Typed as Record<Role, Record<NodeName, boolean>>, so
// a missing role or node is a compile error; the test below also checks it at run time.
const EXPECTED: Record<Role, Record<NodeName, boolean>> = {
  superuser: ALL, // rule 1
  owner: { ...NONE, 'owned by bob': true }, // rule 2
  'owner name in other case': NONE, // rule 2 is an exact match
  'node:edit:any member': ALL, // rule 3
  'similar group node:edit:all': NONE,
  'member of a listed user_group': { ...NONE, 'with user_groups team-a, team-b': true }, // rule 4
  'member of a different group': NONE,
  'runtime editor of lava-collabora': { ...NONE, 'with data.runtime lava-collabora': true }, // rule 5
  'runtime admin of lava-collabora': { ...NONE, 'with data.runtime lava-collabora': true }, // rule 5
  'runtime viewer of lava-collabora': NONE, // only node-editor / node-admin count
  'runtime editor of lava-baylibre': NONE,
  'runtime editor of the empty runtime': NONE, // rule 5 needs a non-empty runtime
  'runtime editor of "42"': NONE, // rule 5 needs a string runtime
  'plain group named like the runtime': NONE,
  'plain user': NONE,
};

describe('canEditNode', () => {
  it('has a cell for every role and node', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(ROLES).sort());
    for (const row of Object.values(EXPECTED)) expect(Object.keys(row).sort()).toEqual(Object.keys(NODES).sort());
  });

  const cells = (Object.keys(ROLES) as Role[]).flatMap((role) =>
    (Object.keys(NODES) as NodeName[]).map((node) => [role, node, EXPECTED[role][node]] as const),
  );

  it.each(cells)('%s × node %s → %s', (role, node, expected) => {
    expect(canEditNode(ROLES[role], NODES[node])).toBe(expected);
  });

  it('uses group names, not ids', () => {
    const byIdOnly = { username: 'x', isSuperuser: false, groups: [{ id: 'team-a', name: 'something-else' }] };
    expect(canEditNode(byIdOnly, NODES['with user_groups team-a, team-b'])).toBe(false);
  });

  it('lets one matching group out of several suffice', () => {
    const many = user('multi', ['team-z', 'runtime:x:node-editor', 'team-b']);
    expect(canEditNode(many, NODES['with user_groups team-a, team-b'])).toBe(true);
  });

  it('does not treat an empty username as owner of an ownerless node', () => {
    expect(canEditNode(user(''), NODES['without owner'])).toBe(false);
  });
});
