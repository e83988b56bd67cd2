import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { client } from '../api';
import { useAuth } from '../auth';

/** The admin form that drives `POST /user/invite`. */
export function Invite() {
  const { user } = useAuth();
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [groups, setGroups] = useState('');
  const [admin, setAdmin] = useState(false);
  const invite = useMutation({
    mutationFn: async () => {
      const { data, error } = await client.raw.POST('/user/invite', {
        body: {
          username,
          email,
          groups: groups.split(',').map((g) => g.trim()).filter(Boolean),
          is_superuser: admin,
          send_email: true,
          return_token: true,
          resend_if_exists: false,
        },
      });
      if (error) throw new Error(typeof (error as { detail?: unknown }).detail === 'string' ? (error as { detail: string }).detail : JSON.stringify(error));
      return data;
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    invite.mutate();
  };
  if (!user?.is_superuser) {
    return (
      <section>
        <h1>Invite a user</h1>
        <p>Only administrators can invite users. <Link to="/manage" search={{ tab: 'login' }}>Log in</Link> as one.</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="invite-title">
      <h1 id="invite-title">Invite a user</h1>
      <form className="card form" onSubmit={submit}>
        <label>Username<input name="username" value={username} onChange={(e) => setUsername(e.target.value)} required /></label>
        <label>Email<input name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required /></label>
        <label>Groups (comma separated)<input name="groups" value={groups} onChange={(e) => setGroups(e.target.value)} /></label>
        <label className="check"><input type="checkbox" checked={admin} onChange={(e) => setAdmin(e.target.checked)} /> Administrator</label>
        <button type="submit" disabled={invite.isPending}>Send invite</button>
        {invite.isError && <p className="error" role="alert">{invite.error.message}</p>}
        {invite.data && (
          <p role="status">
            Invited {invite.data.user.username}. {invite.data.email_sent ? 'The mail was sent.' : 'No mail was sent.'}{' '}
            {invite.data.invite_url && <>Link: <a href={invite.data.invite_url}>{invite.data.invite_url}</a></>}
          </p>
        )}
      </form>
    </section>
  );
}
