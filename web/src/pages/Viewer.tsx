import { FILTER_OPERATORS, type Node, type NodePage } from '@maestro-ci/sdk';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { client } from '../api';
import { ErrorBox, NodeLink, ResultBadge, revisionOf, When } from '../components/bits';
import { NodePage as NodeView } from './NodePage';

const PAGE_SIZE = 50;

/** Fields offered by the filter builder; any other field (e.g. `data.my.key`) can be typed. */
export const KNOWN_FIELDS = [
  'kind', 'name', 'state', 'result', 'group', 'owner', 'submitter', 'treeid', 'parent', 'id', 'created', 'updated', 'timeout',
  'data.kernel_revision.tree', 'data.kernel_revision.branch', 'data.kernel_revision.commit', 'data.kernel_revision.url',
  'data.arch', 'data.defconfig', 'data.platform', 'data.runtime', 'data.error_code', 'retry_counter',
];

/** `kind=job&state__ne=done` → [["kind","job"],["state__ne","done"]]; blank and reserved keys dropped. */
export function parseQuery(q: string): [string, string][] {
  return q
    .split(/[&\n]/)
    .map((part) => part.trim())
    .filter((part) => part.includes('='))
    .map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as [string, string];
    })
    .filter(([k]) => k !== '' && !['limit', 'offset', 'cursor', 'sort'].includes(k));
}

function FilterBuilder({ onAdd }: { onAdd: (condition: string) => void }) {
  const [field, setField] = useState('kind');
  const [op, setOp] = useState<string>('eq');
  const [value, setValue] = useState('');
  const add = (e: FormEvent) => {
    e.preventDefault();
    if (!field.trim()) return;
    onAdd(`${field.trim()}${op === 'eq' ? '' : `__${op}`}=${value}`);
    setValue('');
  };
  return (
    <form className="builder" onSubmit={add} aria-label="Filter builder">
      <label>
        Field
        <input list="known-fields" value={field} onChange={(e) => setField(e.target.value)} name="field" />
      </label>
      <datalist id="known-fields">
        {KNOWN_FIELDS.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      <label>
        Operator
        <select value={op} onChange={(e) => setOp(e.target.value)} name="op">
          {FILTER_OPERATORS.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      <label>
        Value
        <input value={value} onChange={(e) => setValue(e.target.value)} name="value" placeholder={op === 'in' || op === 'nin' ? 'a,b,c' : ''} />
      </label>
      <button type="submit">Add condition</button>
    </form>
  );
}

export function Viewer() {
  const search = useSearch({ from: '/viewer' });
  if (search.node_id) return <NodeView id={search.node_id} />;
  return <NodeSearch />;
}

function NodeSearch() {
  const search = useSearch({ from: '/viewer' });
  const navigate = useNavigate({ from: '/viewer' });
  const q = search.q ?? '';
  const sort = search.sort ?? '-created';
  const [draft, setDraft] = useState(q);
  const [history, setHistory] = useState<string[]>([]);
  const conditions = Object.fromEntries(parseQuery(q));

  const page = useQuery({
    queryKey: ['nodes', q, sort, search.cursor ?? null],
    queryFn: () =>
      client.nodes.list({ ...conditions, sort, ...(search.cursor ? { cursor: search.cursor } : {}) }, { limit: PAGE_SIZE }) as Promise<NodePage>,
    placeholderData: keepPreviousData,
  });

  const run = (next: string) => {
    setHistory([]);
    void navigate({ search: { q: next || undefined, sort: search.sort } });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run(draft.trim());
  };
  const next = page.data?.next_cursor;
  return (
    <section aria-labelledby="viewer-title">
      <h1 id="viewer-title">Nodes</h1>
      <FilterBuilder
        onAdd={(c) => {
          const nextQ = draft.trim() ? `${draft.trim()}&${c}` : c;
          setDraft(nextQ);
          run(nextQ);
        }}
      />
      <form className="raw" onSubmit={submit} role="search">
        <label htmlFor="raw-query">Query (conditions such as kind=job&amp;state__ne=done)</label>
        <div className="inline">
          <input id="raw-query" data-search value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="kind=checkout&data.kernel_revision.tree=mainline" spellCheck={false} />
          <label className="sr-only" htmlFor="sort">
            Sort
          </label>
          <select id="sort" value={sort} onChange={(e) => void navigate({ search: { q: q || undefined, sort: e.target.value } })}>
            <option value="-created">Newest first</option>
            <option value="created">Oldest first</option>
            <option value="-updated">Recently updated</option>
          </select>
          <button type="submit">Search</button>
          {q && (
            <button type="button" className="secondary" onClick={() => { setDraft(''); run(''); }}>
              Clear
            </button>
          )}
        </div>
      </form>
      {page.isError && <ErrorBox error={page.error} />}
      {page.data && (
        <>
          <p className="muted" data-testid="result-count">
            {page.data.total} matching nodes
          </p>
          <div className="table-wrap">
            <table className="nodes" data-testid="node-table">
              <thead>
                <tr>
                  <th scope="col">Result</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Name</th>
                  <th scope="col">Tree / branch</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {page.data.items.map((n: Node) => (
                  <tr key={n.id} data-id={n.id}>
                    <td><ResultBadge node={n} /></td>
                    <td>{n.kind}</td>
                    <td><NodeLink id={n.id}>{n.name}</NodeLink></td>
                    <td>{[revisionOf(n).tree, revisionOf(n).branch].filter(Boolean).join(' / ')}</td>
                    <td>{n.owner}</td>
                    <td><When value={n.created} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label="Pages of results">
            <button type="button" disabled={!search.cursor} onClick={() => { setHistory([]); void navigate({ search: { q: q || undefined, sort: search.sort } }); }}>
              First
            </button>
            <button
              type="button"
              disabled={history.length === 0}
              onClick={() => {
                const prev = history[history.length - 1];
                setHistory(history.slice(0, -1));
                void navigate({ search: { q: q || undefined, sort: search.sort, cursor: prev || undefined } });
              }}
            >
              Previous
            </button>
            <button
              type="button"
              disabled={!next}
              onClick={() => {
                setHistory([...history, search.cursor ?? '']);
                void navigate({ search: { q: q || undefined, sort: search.sort, cursor: next ?? undefined } });
              }}
            >
              Next
            </button>
          </nav>
        </>
      )}
      <p className="muted small">
        Operators: {FILTER_OPERATORS.join(', ')}. See <Link to="/manage">Manage</Link> to create nodes. Press <kbd>/</kbd> to search.
      </p>
    </section>
  );
}
