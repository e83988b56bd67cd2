/**
 * Every view is a URL (deep links): KernelCI's page paths, with the view's state in the query string
 * (`/viewer?node_id=…` is the link KernelCI's tools already send to people).
 */
import { createRootRoute, createRoute, createRouter, lazyRouteComponent } from '@tanstack/react-router';
import { Layout } from './components/Layout';
import { Dashboard } from './pages/Dashboard';
import { Home } from './pages/Home';
import { Invite } from './pages/Invite';
import { Manage } from './pages/Manage';
import { Viewer } from './pages/Viewer';

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

const rootRoute = createRootRoute({ component: Layout });

const homeRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: Home });

export interface ViewerSearch {
  node_id?: string;
  q?: string;
  cursor?: string;
  sort?: string;
}
const viewerRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/viewer',
  validateSearch: (s: Record<string, unknown>): ViewerSearch => ({ node_id: str(s.node_id), q: str(s.q), cursor: str(s.cursor), sort: str(s.sort) }),
  component: Viewer,
});

export interface DashboardSearch {
  tree?: string;
}
const dashboardRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/dashboard',
  validateSearch: (s: Record<string, unknown>): DashboardSearch => ({ tree: str(s.tree) }),
  component: Dashboard,
});

export type ManageTab = 'login' | 'node' | 'tokens' | 'groups';
export interface ManageSearch {
  tab?: ManageTab;
  edit?: string;
  parent?: string;
}
const manageRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/manage',
  validateSearch: (s: Record<string, unknown>): ManageSearch => ({
    tab: (['login', 'node', 'tokens', 'groups'] as const).find((t) => t === s.tab),
    edit: str(s.edit),
    parent: str(s.parent),
  }),
  component: Manage,
});

export interface AnalyticsSearch {
  group_by?: string;
  window?: string;
}
const analyticsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/analytics',
  validateSearch: (s: Record<string, unknown>): AnalyticsSearch => ({ group_by: str(s.group_by), window: str(s.window) }),
  // Charts load with the page that draws them, not with the viewer.
  component: lazyRouteComponent(() => import('./pages/Analytics'), 'Analytics'),
});
const statsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/stats',
  component: lazyRouteComponent(() => import('./pages/Stats'), 'Stats'),
});
const inviteRoute = createRoute({ getParentRoute: () => rootRoute, path: '/user/invite', component: Invite });

const routeTree = rootRoute.addChildren([homeRoute, viewerRoute, dashboardRoute, manageRoute, analyticsRoute, statsRoute, inviteRoute]);

export const router = createRouter({ routeTree, defaultPreload: false, scrollRestoration: true });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
