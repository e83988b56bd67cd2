import { NODE_KINDS, NODE_RESULTS, NODE_STATES, type Node, type NodeInput } from '@maestro-ci/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useState, type FormEvent } from 'react';
import { client, errorText } from '../api';
import { useAuth } from '../auth';
import { ErrorBox, NodeLink, When } from '../components/bits';
import type { ManageTab } from '../router';

/** Per-kind `data` fields the form offers (the rest goes in the JSON box). */
const KIND_FIELDS: Record<string, string[]> = {
  checkout: ['kernel_revision.tree', 'kernel_revision.branch', 'kernel_revision.url', 'kernel_revision.commit'],
  kbuild: ['arch', 'defconfig', 'compiler', 'config_full'],
  job: ['platform', 'runtime', 'arch'],
  test: ['platform', 'runtime'],
  process: [],
  regression: ['platform', 'runtime'],
};

/** Fields the server's kind schema requires (a checkout's revision needs all four). */
const REQUIRED = new Set(['kernel_revision.tree', 'kernel_revision.branch', 'kernel_revision.url', 'kernel_revision.commit']);

function getPath(obj: Record<string, unknown>, path: string): string {
  let cur: unknown = obj;
  for (const k of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return typeof cur === 'string' ? cur : '';
}

function setPath(obj: Record<string, unknown>, path: string, value: string): void {
  const keys = path.split('.');
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    if (!cur[k] || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  if (value === '') delete cur[keys[keys.length - 1]];
  else cur[keys[keys.length - 1]] = value;
}

function LoginForm() {
  const { logIn, user } = useAuth();
  const [mode, setMode] = useState<'password' | 'token'>('password');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const navigate = useNavigate();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const t = mode === 'password' ? (await client.tokens.login({ username, password })).access_token : token.trim();
      await logIn(t);
      void navigate({ to: '/manage', search: { tab: 'node' } });
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="login-title">
      <h2 id="login-title">Log in</h2>
      {user && <p>Logged in as <strong>{user.username}</strong>.</p>}
      <fieldset className="seg">
        <legend className="sr-only">Method</legend>
        <label><input type="radio" name="method" checked={mode === 'password'} onChange={() => setMode('password')} /> Password</label>
        <label><input type="radio" name="method" checked={mode === 'token'} onChange={() => setMode('token')} /> API token</label>
      </fieldset>
      {mode === 'password' ? (
        <>
          <label>Username<input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required /></label>
          <label>Password<input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required /></label>
        </>
      ) : (
        <label>API token or access token<input name="token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required placeholder="mst_…" /></label>
      )}
      <button type="submit">Log in</button>
      {error && <p className="error" role="alert">{error}</p>}
    </form>
  );
}

function NodeForm({ editId, parentId }: { editId?: string; parentId?: string }) {
  const queryClient = useQueryClient();
  const existing = useQuery({ queryKey: ['node', editId], queryFn: () => client.nodes.get(editId!), enabled: !!editId });
  const parent = useQuery({ queryKey: ['node', parentId], queryFn: () => client.nodes.get(parentId!), enabled: !!parentId && !editId });
  const [kind, setKind] = useState<string>('checkout');
  const [name, setName] = useState('');
  const [state, setState] = useState<string>('running');
  const [result, setResult] = useState<string>('');
  const [group, setGroup] = useState('');
  const [timeoutHours, setTimeoutHours] = useState('6');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [artifacts, setArtifacts] = useState('');
  const [extra, setExtra] = useState('{}');
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    const n = existing.data;
    if (!n) return;
    setKind(n.kind);
    setName(n.name);
    setState(n.state);
    setResult(n.result ?? '');
    setGroup(n.group ?? '');
    const data = { ...(n.data ?? {}) } as Record<string, unknown>;
    const f: Record<string, string> = {};
    for (const p of KIND_FIELDS[n.kind] ?? []) {
      f[p] = getPath(data, p);
      setPath(data, p, '');
    }
    if (data.kernel_revision && typeof data.kernel_revision === 'object' && Object.keys(data.kernel_revision).length === 0) delete data.kernel_revision;
    setFields(f);
    setExtra(JSON.stringify(data, null, 2));
    setArtifacts(Object.entries(n.artifacts ?? {}).map(([k, v]) => `${k}=${v}`).join('\n'));
  }, [existing.data]);
  useEffect(() => {
    if (parent.data && !editId) setKind(parent.data.kind === 'checkout' ? 'kbuild' : parent.data.kind === 'kbuild' ? 'job' : 'test');
  }, [parent.data, editId]);

  const save = useMutation({
    mutationFn: async (): Promise<Node> => {
      let data: Record<string, unknown>;
      try {
        data = JSON.parse(extra || '{}') as Record<string, unknown>;
      } catch {
        throw new Error('Extra data is not valid JSON');
      }
      for (const [p, v] of Object.entries(fields)) if ((KIND_FIELDS[kind] ?? []).includes(p)) setPath(data, p, v.trim());
      const arts = Object.fromEntries(
        artifacts.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1).trim()]),
      );
      if (editId) {
        return client.nodes.patch(editId, {
          state: state as Node['state'],
          result: (result || null) as Node['result'],
          data,
          artifacts: arts,
        }, { merge: 'replace' as never });
      }
      const timeout = new Date(Date.now() + Number(timeoutHours || '6') * 3_600_000);
      const input = { kind, name, state, result: result || null, group: group || null, data, artifacts: arts, timeout } as unknown as NodeInput;
      if (parent.data) return client.nodes.createChild(parent.data, input as never);
      return client.nodes.create({ ...input, path: [name] } as NodeInput);
    },
    onSuccess: (node) => {
      setFormError(null);
      void queryClient.invalidateQueries({ queryKey: ['nodes'] });
      queryClient.setQueryData(['node', node.id], node);
    },
    onError: (err) => setFormError(errorText(err)),
  });

  if (editId && existing.isPending) return <p aria-busy="true">Loading node…</p>;
  if (existing.isError) return <ErrorBox error={existing.error} />;
  return (
    <form className="card form" onSubmit={(e) => { e.preventDefault(); save.mutate(); }} aria-labelledby="node-form-title">
      <h2 id="node-form-title">{editId ? `Edit node ${editId}` : parent.data ? `New child of ${parent.data.name}` : 'New node'}</h2>
      <div className="grid2">
        <label>Kind
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value)} disabled={!!editId}>
            {NODE_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
        </label>
        <label>Name<input name="name" value={name} onChange={(e) => setName(e.target.value)} required disabled={!!editId} /></label>
        <label>State
          <select name="state" value={state} onChange={(e) => setState(e.target.value)}>
            {NODE_STATES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>Result
          <select name="result" value={result} onChange={(e) => setResult(e.target.value)}>
            <option value="">(none)</option>
            {NODE_RESULTS.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        {!editId && <label>Group<input name="group" value={group} onChange={(e) => setGroup(e.target.value)} /></label>}
        {!editId && <label>Timeout (hours from now)<input name="timeout" type="number" min="0.1" step="0.1" value={timeoutHours} onChange={(e) => setTimeoutHours(e.target.value)} /></label>}
        {(KIND_FIELDS[kind] ?? []).map((p) => (
          <label key={p}>data.{p}<input name={`data.${p}`} value={fields[p] ?? ''} onChange={(e) => setFields({ ...fields, [p]: e.target.value })} required={kind === 'checkout' && REQUIRED.has(p)} /></label>
        ))}
      </div>
      <label>Artifacts (one <code>name=url</code> a line)<textarea name="artifacts" rows={3} value={artifacts} onChange={(e) => setArtifacts(e.target.value)} /></label>
      <label>Other data (JSON)<textarea name="data" rows={4} value={extra} onChange={(e) => setExtra(e.target.value)} spellCheck={false} /></label>
      <button type="submit" disabled={save.isPending}>{editId ? 'Save changes' : 'Create node'}</button>
      {formError && <p className="error" role="alert">{formError}</p>}
      {save.data && !formError && (
        <p role="status" data-testid="node-saved">Saved <NodeLink id={save.data.id}>{save.data.name}</NodeLink> ({save.data.id}).</p>
      )}
    </form>
  );
}

function Tokens() {
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => client.tokens.list() });
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => client.tokens.create({ name }),
    onSuccess: (t) => { setCreated(t.token); setName(''); void queryClient.invalidateQueries({ queryKey: ['tokens'] }); },
  });
  const revoke = useMutation({ mutationFn: (id: string) => client.tokens.revoke(id), onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['tokens'] }) });
  return (
    <section className="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <form className="inline" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
        <label>Name<input name="token-name" value={name} onChange={(e) => setName(e.target.value)} required /></label>
        <button type="submit">Create token</button>
      </form>
      {create.isError && <ErrorBox error={create.error} />}
      {created && <p role="status">New token (shown once): <code data-testid="new-token">{created}</code></p>}
      {tokens.isError && <ErrorBox error={tokens.error} />}
      {tokens.data && (
        <div className="table-wrap"><table>
          <thead><tr><th scope="col">Name</th><th scope="col">Prefix</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {tokens.data.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td><td><code>{t.prefix}</code></td><td><When value={t.created} /></td><td><When value={t.last_used} /></td><td><When value={t.expires_at} /></td>
                <td>{t.revoked ? 'revoked' : <button type="button" className="secondary" onClick={() => revoke.mutate(t.id)}>Revoke</button>}</td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}
    </section>
  );
}

async function all<T>(it: AsyncIterable<T>, max = 500): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) {
    out.push(x);
    if (out.length >= max) break;
  }
  return out;
}

function Groups() {
  const queryClient = useQueryClient();
  const groups = useQuery({ queryKey: ['groups'], queryFn: () => all(client.groups.list()) });
  const users = useQuery({ queryKey: ['users'], queryFn: () => all(client.users.list()) });
  const [name, setName] = useState('');
  const create = useMutation({ mutationFn: () => client.groups.create(name), onSuccess: () => { setName(''); void queryClient.invalidateQueries({ queryKey: ['groups'] }); } });
  const remove = useMutation({ mutationFn: (id: string) => client.groups.delete(id), onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['groups'] }) });
  return (
    <>
      <section className="card" aria-labelledby="groups-title">
        <h2 id="groups-title">Groups</h2>
        <form className="inline" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
          <label>New group<input name="group-name" value={name} onChange={(e) => setName(e.target.value)} required /></label>
          <button type="submit">Create group</button>
        </form>
        {create.isError && <ErrorBox error={create.error} />}
        {remove.isError && <ErrorBox error={remove.error} />}
        {groups.isError && <ErrorBox error={groups.error} />}
        <ul>
          {groups.data?.map((g) => (
            <li key={g.id}>{g.name} <button type="button" className="link" onClick={() => remove.mutate(g.id)}>Delete</button></li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="users-title">
        <h2 id="users-title">Users</h2>
        <p><Link to="/user/invite">Invite a user</Link></p>
        {users.data && (
          <div className="table-wrap"><table>
            <thead><tr><th scope="col">Username</th><th scope="col">Email</th><th scope="col">Groups</th><th scope="col">Flags</th></tr></thead>
            <tbody>
              {users.data.map((u) => (
                <tr key={u.id}><td>{u.username}</td><td>{u.email}</td><td>{u.groups.map((g) => g.name).join(', ')}</td>
                  <td>{[u.is_superuser && 'admin', u.is_verified && 'verified', !u.is_active && 'inactive'].filter(Boolean).join(', ')}</td></tr>
              ))}
            </tbody>
          </table></div>
        )}
      </section>
    </>
  );
}

export function Manage() {
  const search = useSearch({ from: '/manage' });
  const { user, loading } = useAuth();
  const tab: ManageTab = !user ? 'login' : (search.tab ?? 'node');
  const tabs: [ManageTab, string][] = [['login', 'Log in'], ['node', 'Node'], ['tokens', 'API tokens']];
  if (user?.is_superuser) tabs.push(['groups', 'Users and groups']);
  return (
    <section aria-labelledby="manage-title">
      <h1 id="manage-title">Manage</h1>
      {loading ? <p aria-busy="true">Checking your login…</p> : (
        <>
          <nav className="tabs" aria-label="Manage sections">
            {tabs.map(([t, label]) => (
              <Link key={t} to="/manage" search={{ tab: t }} aria-current={t === tab ? 'page' : undefined}>{label}</Link>
            ))}
          </nav>
          {tab === 'login' && <LoginForm />}
          {tab === 'node' && <NodeForm key={`${search.edit ?? ''}:${search.parent ?? ''}`} editId={search.edit} parentId={search.parent} />}
          {tab === 'tokens' && <Tokens />}
          {tab === 'groups' && <Groups />}
        </>
      )}
    </section>
  );
}
