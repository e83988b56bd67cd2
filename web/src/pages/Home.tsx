import { Link } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { client } from '../api';

export function Home() {
  const counts = useQuery({
    queryKey: ['nodes', 'home-counts'],
    queryFn: async () => {
      const [checkouts, running] = await Promise.all([client.nodes.count({ kind: 'checkout' }), client.nodes.count({ state: { ne: 'done' } })]);
      return { checkouts, running };
    },
  });
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">KernelCI API Server</h1>
      <p>Maestro, a KernelCI-compatible results API. {counts.data && <span data-testid="home-counts">{counts.data.checkouts} checkouts, {counts.data.running} nodes not done.</span>}</p>
      <ul className="cards">
        <li><Link to="/viewer">Viewer</Link><span>Search nodes with the query language and browse result trees.</span></li>
        <li><Link to="/dashboard">Dashboard</Link><span>Recent checkouts per tree and branch, with regressions.</span></li>
        <li><Link to="/manage">Manage</Link><span>Log in, create and edit nodes, API tokens, users and groups.</span></li>
        <li><Link to="/analytics">Analytics</Link><span>Pipeline telemetry: results per lab and device, anomalies.</span></li>
        <li><Link to="/stats">Stats</Link><span>Event subscriptions and API statistics.</span></li>
        <li><a href="/latest/docs">API documentation</a><span>The OpenAPI document in Swagger UI.</span></li>
      </ul>
      <p className="muted small">Keyboard: <kbd>/</kbd> search, <kbd>g</kbd> then <kbd>v</kbd> viewer, <kbd>d</kbd> dashboard, <kbd>m</kbd> manage, <kbd>a</kbd> analytics, <kbd>s</kbd> stats.</p>
    </section>
  );
}
