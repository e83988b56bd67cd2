import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useAuth } from '../auth';
import { useLive } from '../live';

const TITLES: Record<string, string> = {
  '/': 'Maestro console',
  '/viewer': 'Maestro API Viewer',
  '/dashboard': 'KernelCI Dashboard',
  '/manage': 'Maestro API Manage',
  '/analytics': 'KernelCI Pipeline Analytics',
  '/stats': 'KernelCI API Statistics',
  '/user/invite': 'Invite a user',
};

type Theme = 'auto' | 'light' | 'dark';

function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem('maestro.console.theme') as Theme | null) ?? 'auto');
  useEffect(() => {
    if (theme === 'auto') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
    localStorage.setItem('maestro.console.theme', theme);
  }, [theme]);
  return [theme, setTheme];
}

export function LiveIndicator() {
  const live = useLive();
  const label =
    live.status === 'live' ? 'Live' : live.status === 'connecting' ? 'Connecting…' : live.status === 'reconnecting' ? 'Reconnecting…' : live.status === 'error' ? 'Live updates failed' : 'Not live (log in)';
  return (
    <span className={`live live-${live.status}`} data-testid="live-indicator" data-status={live.status} title={`${live.events} events received`} role="status">
      <span className="dot" aria-hidden="true" />
      {label}
    </span>
  );
}

export function Layout() {
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const { user, logOut } = useAuth();
  const [theme, setTheme] = useTheme();
  const navigate = useNavigate();

  useEffect(() => {
    document.title = TITLES[pathname] ?? 'Maestro console';
  }, [pathname]);

  // Keyboard: "/" focuses the page's search box; "g" then a letter goes to a page.
  useEffect(() => {
    let pendingG = false;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.ctrlKey || e.metaKey || e.altKey || target.closest('input, textarea, select, [contenteditable="true"]')) return;
      if (e.key === '/') {
        const search = document.querySelector<HTMLElement>('[data-search]');
        if (search) {
          e.preventDefault();
          search.focus();
        }
        return;
      }
      if (pendingG) {
        pendingG = false;
        const to = { v: '/viewer', d: '/dashboard', m: '/manage', a: '/analytics', s: '/stats', h: '/' }[e.key];
        if (to) void navigate({ to });
        return;
      }
      pendingG = e.key === 'g';
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Maestro
        </Link>
        <nav aria-label="Pages">
          <Link to="/viewer" activeProps={{ 'aria-current': 'page' }}>Viewer</Link>
          <Link to="/dashboard" activeProps={{ 'aria-current': 'page' }}>Dashboard</Link>
          <Link to="/manage" activeProps={{ 'aria-current': 'page' }}>Manage</Link>
          <Link to="/analytics" activeProps={{ 'aria-current': 'page' }}>Analytics</Link>
          <Link to="/stats" activeProps={{ 'aria-current': 'page' }}>Stats</Link>
          <a href="/latest/docs">API docs</a>
        </nav>
        <div className="top-right">
          <LiveIndicator />
          {user ? (
            <span className="who">
              <span data-testid="whoami">{user.username}</span>{' '}
              <button type="button" className="link" onClick={logOut}>
                Log out
              </button>
            </span>
          ) : (
            <Link to="/manage" search={{ tab: 'login' }}>
              Log in
            </Link>
          )}
          <label className="theme">
            <span className="sr-only">Colour theme</span>
            <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
              <option value="auto">Auto</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
