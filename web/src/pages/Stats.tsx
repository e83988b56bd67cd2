/**
 * API statistics: nodes created per hour over the last day, nodes by kind and state, and (for
 * administrators) the live event subscriptions of every replica (`GET /stats/subscriptions`).
 */
import { NODE_KINDS, NODE_STATES } from '@maestro-ci/sdk';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { client } from '../api';
import { useAuth } from '../auth';
import { ErrorBox, When } from '../components/bits';
import { Chart } from '../components/Chart';

const HOURS = 24;

interface SubscriptionStat {
  id: number | string;
  channel: string;
  user?: string;
  promiscuous?: boolean;
  created?: string;
  last_poll?: string | null;
  [key: string]: unknown;
}

export function Stats() {
  const { user } = useAuth();
  const hourly = useQuery({
    queryKey: ['nodes', 'stats-hourly'],
    queryFn: async () => {
      const end = Math.ceil(Date.now() / 3_600_000) * 3_600_000;
      const starts = Array.from({ length: HOURS }, (_, i) => end - (HOURS - i) * 3_600_000);
      const counts = await Promise.all(
        starts.map((s) => client.nodes.count({ created: { gte: new Date(s), lt: new Date(s + 3_600_000) } })),
      );
      return { x: starts.map((s) => s / 1000), counts };
    },
  });
  const byKind = useQuery({
    queryKey: ['nodes', 'stats-kinds'],
    queryFn: async () => {
      const kinds = await Promise.all(NODE_KINDS.map((k) => client.nodes.count({ kind: k })));
      const states = await Promise.all(NODE_STATES.map((s) => client.nodes.count({ state: s })));
      return { kinds, states };
    },
  });
  const subs = useQuery({
    queryKey: ['stats', 'subscriptions'],
    enabled: !!user?.is_superuser,
    queryFn: async () => {
      const { data, error, response } = await client.raw.GET('/stats/subscriptions', {});
      if (error !== undefined) throw new Error(`${response.status} ${JSON.stringify(error)}`);
      return data as unknown as SubscriptionStat[];
    },
  });
  const series = useMemo(() => (hourly.data ? [{ label: 'nodes created', color: '#1565c0', values: hourly.data.counts }] : []), [hourly.data]);
  return (
    <section aria-labelledby="stats-title">
      <h1 id="stats-title">API statistics</h1>
      {hourly.isError && <ErrorBox error={hourly.error} />}
      {hourly.data && <Chart title="Nodes created per hour (last 24 hours)" x={hourly.data.x} series={series} time />}
      {byKind.data && (
        <div className="cols">
          <table>
            <caption>Nodes by kind</caption>
            <tbody>{NODE_KINDS.map((k, i) => <tr key={k}><th scope="row">{k}</th><td className="num">{byKind.data.kinds[i]}</td></tr>)}</tbody>
          </table>
          <table>
            <caption>Nodes by state</caption>
            <tbody>{NODE_STATES.map((s, i) => <tr key={s}><th scope="row">{s}</th><td className="num">{byKind.data.states[i]}</td></tr>)}</tbody>
          </table>
        </div>
      )}
      <h2>Event subscriptions</h2>
      {!user?.is_superuser ? (
        <p className="muted">Administrators see every live subscription here.</p>
      ) : subs.isError ? (
        <ErrorBox error={subs.error} />
      ) : subs.data ? (
        <div className="table-wrap"><table data-testid="subscriptions">
          <thead><tr><th scope="col">Id</th><th scope="col">Channel</th><th scope="col">User</th><th scope="col">Promiscuous</th><th scope="col">Created</th><th scope="col">Last poll</th></tr></thead>
          <tbody>
            {subs.data.map((s) => (
              <tr key={String(s.id)}><td>{String(s.id)}</td><td>{s.channel}</td><td>{String(s.user ?? '')}</td><td>{s.promiscuous ? 'yes' : 'no'}</td><td><When value={s.created} /></td><td><When value={s.last_poll ?? null} /></td></tr>
            ))}
          </tbody>
        </table></div>
      ) : null}
    </section>
  );
}
