/**
 * Recent checkouts per tree/branch: the newest checkout of each, its pass/fail/incomplete counts,
 * and its regressions against the previous checkout of the same tree/branch (a job or test that
 * passed there and fails now, matched by its path below the checkout).
 */
import type { Node, NodeKind } from '@maestro-ci/sdk';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { client } from '../api';
import { ErrorBox, NodeLink, ResultBadge, revisionOf, When } from '../components/bits';
import { readTree } from '../components/NodeTree';

interface Group {
  key: string;
  tree: string;
  branch: string;
  checkouts: Node[];
}

function groupCheckouts(checkouts: Node[]): Group[] {
  const groups = new Map<string, Group>();
  for (const c of checkouts) {
    const tree = revisionOf(c).tree ?? '(no tree)';
    const branch = revisionOf(c).branch ?? '(no branch)';
    const key = `${tree}/${branch}`;
    const g = groups.get(key) ?? { key, tree, branch, checkouts: [] };
    g.checkouts.push(c);
    groups.set(key, g);
  }
  return [...groups.values()];
}

const below = (n: Node) => n.path.slice(1).join('/');

const JOBS_AND_TESTS: NodeKind[] = ['job', 'test'];

async function summary(latest: Node, previous: Node | undefined) {
  let pass: number, fail: number, incomplete: number, running: number, fails: Node[];
  if (latest.treeid) {
    const scope = { treeid: latest.treeid };
    [pass, fail, incomplete, running, fails] = await Promise.all([
      client.nodes.count({ ...scope, result: 'pass' }),
      client.nodes.count({ ...scope, result: 'fail' }),
      client.nodes.count({ ...scope, result: 'incomplete' }),
      client.nodes.count({ ...scope, state: { ne: 'done' } }),
      client.nodes.find({ ...scope, result: 'fail', kind: { in: JOBS_AND_TESTS } }, { pageSize: 1000 }).toArray({ max: 5000 }),
    ]);
  } else {
    // Without a tree id the checkout's descendants are read level by level and counted here.
    const members = (await readTree(latest)).filter((n) => n.id !== latest.id);
    const has = (r: string) => members.filter((n) => n.result === r).length;
    [pass, fail, incomplete, running] = [has('pass'), has('fail'), has('incomplete'), members.filter((n) => n.state !== 'done').length];
    fails = members.filter((n) => n.result === 'fail' && JOBS_AND_TESTS.includes(n.kind));
  }
  let regressions: Node[] = [];
  if (previous && fails.length) {
    const passed = previous.treeid
      ? await client.nodes.find({ treeid: previous.treeid, result: 'pass', kind: { in: JOBS_AND_TESTS } }, { pageSize: 2000 }).toArray({ max: 50_000 })
      : (await readTree(previous)).filter((n) => n.result === 'pass' && JOBS_AND_TESTS.includes(n.kind));
    const passedPaths = new Set(passed.map(below));
    regressions = fails.filter((f) => passedPaths.has(below(f)));
  }
  return { pass, fail, incomplete, running, regressions };
}

function GroupRow({ group }: { group: Group }) {
  const [latest, previous] = group.checkouts;
  const s = useQuery({ queryKey: ['dashboard', 'summary', latest.id, previous?.id ?? null], queryFn: () => summary(latest, previous) });
  return (
    <tr data-testid="dashboard-row">
      <th scope="row">
        <Link to="/dashboard" search={{ tree: group.key }}>{group.tree}</Link>
        <div className="muted small">{group.branch}</div>
      </th>
      <td>
        <NodeLink id={latest.id}>{revisionOf(latest).describe ?? revisionOf(latest).commit?.slice(0, 12) ?? latest.name}</NodeLink>{' '}
        <ResultBadge node={latest} />
        <div className="muted small"><When value={latest.created} /></div>
      </td>
      {s.isPending ? (
        <td colSpan={4} aria-busy="true">…</td>
      ) : s.isError ? (
        <td colSpan={4}><ErrorBox error={s.error} /></td>
      ) : (
        <>
          <td className="c-pass num">{s.data.pass}</td>
          <td className="c-fail num">{s.data.fail}</td>
          <td className="c-incomplete num">{s.data.incomplete}{s.data.running > 0 && <span className="muted small"> (+{s.data.running} running)</span>}</td>
          <td>
            {!previous ? (
              <span className="muted">no previous checkout</span>
            ) : s.data.regressions.length === 0 ? (
              <span className="c-pass">none</span>
            ) : (
              <details>
                <summary className="c-fail">{s.data.regressions.length} regressions</summary>
                <ul>
                  {s.data.regressions.slice(0, 50).map((r) => (
                    <li key={r.id}><NodeLink id={r.id}>{below(r)}</NodeLink></li>
                  ))}
                </ul>
              </details>
            )}
          </td>
        </>
      )}
    </tr>
  );
}

export function Dashboard() {
  const search = useSearch({ from: '/dashboard' });
  const navigate = useNavigate({ from: '/dashboard' });
  const checkouts = useQuery({
    queryKey: ['dashboard', 'checkouts'],
    queryFn: () => client.nodes.find({ kind: 'checkout' }, { sort: '-created', pageSize: 200 }).toArray({ max: 200 }),
  });
  const groups = checkouts.data ? groupCheckouts(checkouts.data) : [];
  const shown = search.tree ? groups.filter((g) => g.key === search.tree) : groups.slice(0, 20);
  return (
    <section aria-labelledby="dash-title">
      <h1 id="dash-title">Dashboard</h1>
      <p className="muted">The newest checkout of each tree and branch, with regressions against the checkout before it.</p>
      {search.tree && (
        <p>
          Showing {search.tree}. <button type="button" className="link" onClick={() => void navigate({ search: {} })}>Show all</button>
        </p>
      )}
      {checkouts.isPending && <p aria-busy="true">Loading checkouts…</p>}
      {checkouts.isError && <ErrorBox error={checkouts.error} />}
      {checkouts.data && groups.length === 0 && <p>No checkouts yet.</p>}
      {shown.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Tree / branch</th>
                <th scope="col">Latest checkout</th>
                <th scope="col">Pass</th>
                <th scope="col">Fail</th>
                <th scope="col">Incomplete</th>
                <th scope="col">Regressions</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((g) => (
                <GroupRow key={g.key} group={g} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
