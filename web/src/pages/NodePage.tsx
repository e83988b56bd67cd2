import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { client } from '../api';
import { DataTree, ErrorBox, NodeLink, ResultBadge, When } from '../components/bits';
import { NodeTree } from '../components/NodeTree';

export function NodePage({ id }: { id: string }) {
  const node = useQuery({ queryKey: ['node', id], queryFn: () => client.nodes.get(id) });
  if (node.isPending) return <p aria-busy="true">Loading node…</p>;
  if (node.isError) return <ErrorBox error={node.error} />;
  const n = node.data;
  const fields: [string, React.ReactNode][] = [
    ['id', <code>{n.id}</code>],
    ['kind', n.kind],
    ['name', n.name],
    ['state', <span data-testid="node-state">{n.state}</span>],
    ['result', <ResultBadge node={n} />],
    ['path', n.path.join(' / ')],
    ['parent', n.parent ? <NodeLink id={n.parent} /> : <span className="muted">none</span>],
    ['group', n.group ?? '—'],
    ['owner', n.owner],
    ['submitter', n.submitter],
    ['treeid', n.treeid ? <Link to="/viewer" search={{ q: `treeid=${n.treeid}` }}>{n.treeid}</Link> : '—'],
    ['created', <When value={n.created} />],
    ['updated', <When value={n.updated} />],
    ['timeout', <When value={n.timeout} />],
    ['holdoff', <When value={n.holdoff} />],
    ['retry_counter', String(n.retry_counter ?? 0)],
  ];
  const artifacts = Object.entries(n.artifacts ?? {});
  return (
    <article aria-labelledby="node-title">
      <p>
        <Link to="/viewer">← All nodes</Link> · <Link to="/manage" search={{ tab: 'node', edit: n.id }}>Edit</Link> ·{' '}
        <Link to="/manage" search={{ tab: 'node', parent: n.id }}>Add child</Link>
      </p>
      <h1 id="node-title">
        <ResultBadge node={n} /> {n.kind} <span className="mono">{n.name}</span>
      </h1>
      <div className="cols">
        <section aria-labelledby="fields-title">
          <h2 id="fields-title">Fields</h2>
          <dl className="fields">
            {fields.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
          <h2>Artifacts</h2>
          {artifacts.length === 0 ? (
            <p className="muted">No artifacts.</p>
          ) : (
            <ul className="artifacts">
              {artifacts.map(([k, url]) => (
                <li key={k}>
                  <a href={url} rel="noreferrer">{k}</a> <span className="muted small">{url}</span>
                </li>
              ))}
            </ul>
          )}
          <h2>Data</h2>
          <DataTree value={n.data ?? {}} />
        </section>
        <section aria-labelledby="tree-title">
          <h2 id="tree-title">Tree</h2>
          <NodeTree root={n} />
        </section>
      </div>
    </article>
  );
}
