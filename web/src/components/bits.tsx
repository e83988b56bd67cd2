import type { Node } from '@maestro-ci/sdk';
import { Link } from '@tanstack/react-router';

export function ResultBadge({ node }: { node: Pick<Node, 'state' | 'result'> }) {
  const result = node.result ?? (node.state === 'done' ? 'none' : node.state);
  return (
    <span className={`badge r-${result}`} data-result={result}>
      {result}
    </span>
  );
}

export function NodeLink({ id, children }: { id: string; children?: React.ReactNode }) {
  return (
    <Link to="/viewer" search={{ node_id: id }}>
      {children ?? id}
    </Link>
  );
}

export function When({ value }: { value: string | null | undefined }) {
  if (!value) return <span className="muted">—</span>;
  const d = new Date(value.endsWith('Z') || /[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
  return <time dateTime={d.toISOString()} title={d.toISOString()}>{d.toLocaleString()}</time>;
}

export function ErrorBox({ error }: { error: unknown }) {
  return (
    <p className="error" role="alert">
      {error instanceof Error ? error.message : String(error)}
    </p>
  );
}

/** `data` (or any JSON value) as a readable, collapsible tree. */
export function DataTree({ value, name, depth = 0 }: { value: unknown; name?: string; depth?: number }) {
  const label = name !== undefined ? <span className="key">{name}: </span> : null;
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    if (entries.length === 0) return <div className="dt-leaf">{label}<span className="muted">{Array.isArray(value) ? '[]' : '{}'}</span></div>;
    return (
      <details className="dt" open={depth < 2}>
        <summary>
          {label}
          <span className="muted">{Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`}</span>
        </summary>
        <div className="dt-children">
          {entries.map(([k, v]) => (
            <DataTree key={k} name={k} value={v} depth={depth + 1} />
          ))}
        </div>
      </details>
    );
  }
  const text = value === null ? 'null' : typeof value === 'string' ? value : JSON.stringify(value);
  const isUrl = typeof value === 'string' && /^https?:\/\//.test(value);
  return (
    <div className="dt-leaf">
      {label}
      {isUrl ? <a href={value}>{text}</a> : <span className={`v-${value === null ? 'null' : typeof value}`}>{text}</span>}
    </div>
  );
}

export interface Revision {
  tree?: string;
  branch?: string;
  commit?: string;
  describe?: string | null;
}

/** `data.kernel_revision` of any node, read loosely (kinds type their `data` differently). */
export function revisionOf(node: Pick<Node, 'data'>): Revision {
  const data = node.data as Record<string, unknown> | null | undefined;
  const revision = data?.kernel_revision;
  return revision && typeof revision === 'object' ? (revision as Revision) : {};
}
