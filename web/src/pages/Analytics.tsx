/**
 * Pipeline telemetry (`GET /telemetry/stats`, `GET /telemetry/anomalies`): results per lab, device
 * type or job as charts and tables, and the anomalies of a time window. A server without telemetry
 * data (or without the routes) gets a plain "no telemetry data yet".
 */
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useMemo } from 'react';
import { client } from '../api';
import { Chart } from '../components/Chart';

const GROUP_BY = ['runtime', 'device_type', 'job_name', 'tree', 'branch', 'arch', 'kind', 'error_type'];
const WINDOWS = ['1h', '3h', '6h', '12h', '24h', '48h'];

type Row = Record<string, unknown> & { total: number; pass: number; fail: number; incomplete: number; skip: number; infra_error: number };
interface Anomalies {
  result_anomalies: Record<string, unknown>[];
  error_anomalies: { runtime: string; error_type: string; count: number }[];
}

/** Reads a telemetry route through the SDK's raw client; null when the server has no such route. */
async function telemetry<T>(path: string, query: Record<string, string>): Promise<T | null> {
  const raw = client.raw as unknown as {
    GET(path: string, init: { params: { query: Record<string, string> } }): Promise<{ data?: T; error?: unknown; response: Response }>;
  };
  const { data, error, response } = await raw.GET(path, { params: { query } });
  if (response.status === 404) return null;
  if (error !== undefined) throw new Error(`${response.status} ${JSON.stringify(error)}`);
  return data ?? null;
}

export function Analytics() {
  const search = useSearch({ from: '/analytics' });
  const navigate = useNavigate({ from: '/analytics' });
  const groupBy = search.group_by ?? 'runtime';
  const window = search.window ?? '6h';
  const stats = useQuery({ queryKey: ['telemetry', 'stats', groupBy], queryFn: () => telemetry<Row[]>('/telemetry/stats', { group_by: groupBy }) });
  const anomalies = useQuery({ queryKey: ['telemetry', 'anomalies', window], queryFn: () => telemetry<Anomalies>('/telemetry/anomalies', { window }) });
  const rows = useMemo(() => (stats.data ?? []).slice(0, 20), [stats.data]);
  const labels = useMemo(() => rows.map((r) => String(r[groupBy] ?? '—')), [rows, groupBy]);
  const x = useMemo(() => rows.map((_, i) => i), [rows]);
  const series = useMemo(
    () => [
      { label: 'pass', color: '#2e7d32', values: rows.map((r) => r.pass) },
      { label: 'fail', color: '#c62828', values: rows.map((r) => r.fail) },
      { label: 'incomplete', color: '#ef6c00', values: rows.map((r) => r.incomplete) },
      { label: 'infra error', color: '#6a1b9a', values: rows.map((r) => r.infra_error) },
    ],
    [rows],
  );
  const empty = !stats.isPending && (stats.data === null || stats.data?.length === 0 || stats.isError);
  return (
    <section aria-labelledby="analytics-title">
      <h1 id="analytics-title">Pipeline analytics</h1>
      <form className="inline" onSubmit={(e) => e.preventDefault()}>
        <label>Group by
          <select value={groupBy} onChange={(e) => void navigate({ search: { ...search, group_by: e.target.value } })}>
            {GROUP_BY.map((g) => <option key={g}>{g}</option>)}
          </select>
        </label>
        <label>Anomaly window
          <select value={window} onChange={(e) => void navigate({ search: { ...search, window: e.target.value } })}>
            {WINDOWS.map((w) => <option key={w}>{w}</option>)}
          </select>
        </label>
      </form>
      {stats.isPending && <p aria-busy="true">Loading telemetry…</p>}
      {empty && <p data-testid="no-telemetry">No telemetry data yet.{stats.isError ? ` (${stats.error.message})` : ''}</p>}
      {rows.length > 0 && (
        <>
          <Chart title={`Results by ${groupBy}`} x={x} labels={labels} series={series} bars />
          <div className="table-wrap"><table>
            <thead><tr><th scope="col">{groupBy}</th><th scope="col">Total</th><th scope="col">Pass</th><th scope="col">Fail</th><th scope="col">Incomplete</th><th scope="col">Skip</th><th scope="col">Infra errors</th></tr></thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}><th scope="row">{labels[i]}</th><td className="num">{r.total}</td><td className="num c-pass">{r.pass}</td><td className="num c-fail">{r.fail}</td><td className="num c-incomplete">{r.incomplete}</td><td className="num">{r.skip}</td><td className="num">{r.infra_error}</td></tr>
              ))}
            </tbody>
          </table></div>
        </>
      )}
      {anomalies.data && (
        <section aria-labelledby="anomalies-title">
          <h2 id="anomalies-title">Anomalies ({window})</h2>
          {anomalies.data.result_anomalies.length === 0 && anomalies.data.error_anomalies.length === 0 ? (
            <p>No anomalies in this window.</p>
          ) : (
            <>
              <ul>
                {anomalies.data.result_anomalies.map((a, i) => (
                  <li key={i}><code>{JSON.stringify(a)}</code></li>
                ))}
              </ul>
              <div className="table-wrap"><table>
                <thead><tr><th scope="col">Lab</th><th scope="col">Error type</th><th scope="col">Count</th></tr></thead>
                <tbody>{anomalies.data.error_anomalies.map((a, i) => <tr key={i}><td>{a.runtime}</td><td>{a.error_type}</td><td className="num">{a.count}</td></tr>)}</tbody>
              </table></div>
            </>
          )}
        </section>
      )}
    </section>
  );
}
