import { useQuery } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense } from 'react';
import { createBrowserRouter, Link, Navigate, Outlet, RouterProvider, useLocation } from 'react-router';

import { api, unwrap } from '@/api/client';
import type { Role } from '@/api/types';
import { usePermissions } from '@/auth/permissions';
import { useSession } from '@/auth/session';
import { ErrorState, Spinner } from '@/components/ui/states';
import { useT } from '@/i18n';
import { AppShell } from '@/layout/app-shell';
import { useBranding } from '@/lib/branding';
import { LiveProvider } from '@/live/live-context';

// Every page is its own chunk: the dashboard loads without the charts of the printer page.
const LoginPage = lazy(() => import('@/pages/login/login-page'));
const SetupPage = lazy(() => import('@/pages/setup/setup-page'));
const DashboardPage = lazy(() => import('@/pages/dashboard/dashboard-page'));
const TvPage = lazy(() => import('@/pages/tv/tv-page'));
const PrintersPage = lazy(() => import('@/pages/printers/printers-page'));
const PrinterDetailPage = lazy(() => import('@/pages/printers/printer-detail-page'));
const PrintHistoryPage = lazy(() => import('@/pages/history/print-history-page'));
const SpoolsPage = lazy(() => import('@/pages/spools/spools-page'));
const FilamentsPage = lazy(() => import('@/pages/filaments/filaments-page'));
const FilesPage = lazy(() => import('@/pages/files/files-page'));
const FileDetailPage = lazy(() => import('@/pages/files/file-detail-page'));
const ModelsPage = lazy(() => import('@/pages/models/models-page'));
const ModelDetailPage = lazy(() => import('@/pages/models/model-detail-page'));
const CalculatorPage = lazy(() => import('@/pages/calculator/calculator-page'));
const SettingsPage = lazy(() => import('@/pages/settings/settings-page'));

export function useSetupStatus() {
  return useQuery({
    queryKey: ['setup', 'status'],
    queryFn: () => unwrap(api.GET('/api/setup/status')),
    staleTime: 60_000,
  });
}

function Splash() {
  return (
    <div className="grid min-h-dvh place-items-center">
      <Spinner />
    </div>
  );
}

/** Logged-in area: a saved token is checked first (splash, never the login page), then live data starts. */
function RequireSession() {
  const { token, user, checking } = useSession();
  const setup = useSetupStatus();
  const location = useLocation();
  if (setup.data?.needs_setup) return <Navigate to="/setup" replace />;
  if (!token) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (checking || !user) return <Splash />;
  return (
    <LiveProvider>
      <Outlet />
    </LiveProvider>
  );
}

/** Hides a page the permission matrix does not give the user's role. */
export function RequirePage({ page, floor = 'viewer', children }: { page: string; floor?: Role; children: ReactNode }) {
  const can = usePermissions();
  const t = useT();
  if (!can.page(page, floor)) {
    return (
      <div className="mx-auto max-w-lg py-16 text-center" role="alert">
        <p className="text-lg font-medium">{t('common.states.forbidden')}</p>
        <Link className="mt-4 inline-block text-sm underline" to="/">
          {t('common.states.goHome')}
        </Link>
      </div>
    );
  }
  return <>{children}</>;
}

function NotFound() {
  const t = useT();
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <p className="text-lg font-medium">{t('common.states.notFound')}</p>
      <Link className="mt-4 inline-block text-sm underline" to="/">
        {t('common.states.goHome')}
      </Link>
    </div>
  );
}

function RouteError() {
  return (
    <div className="p-6">
      <ErrorState error={new Error('This page failed to load. Reload the page to try again.')} onRetry={() => location.reload()} />
    </div>
  );
}

function Root() {
  useBranding();
  return (
    <Suspense fallback={<Splash />}>
      <Outlet />
    </Suspense>
  );
}

const router = createBrowserRouter([
  {
    element: <Root />,
    errorElement: <RouteError />,
    children: [
      { path: '/login', element: <LoginPage /> },
      { path: '/setup', element: <SetupPage /> },
      {
        element: <RequireSession />,
        children: [
          {
            path: '/tv',
            element: (
              <RequirePage page="tv">
                <TvPage />
              </RequirePage>
            ),
          },
          {
            element: <AppShell />,
            children: [
              {
                index: true,
                element: (
                  <RequirePage page="dashboard">
                    <DashboardPage />
                  </RequirePage>
                ),
              },
              {
                path: '/printers',
                element: (
                  <RequirePage page="printers">
                    <PrintersPage />
                  </RequirePage>
                ),
              },
              {
                path: '/printers/:printerId',
                element: (
                  <RequirePage page="printers">
                    <PrinterDetailPage />
                  </RequirePage>
                ),
              },
              {
                path: '/spools',
                element: (
                  <RequirePage page="spools">
                    <SpoolsPage />
                  </RequirePage>
                ),
              },
              {
                path: '/filaments',
                element: (
                  <RequirePage page="spools">
                    <FilamentsPage />
                  </RequirePage>
                ),
              },
              {
                path: '/files',
                element: (
                  <RequirePage page="models">
                    <FilesPage />
                  </RequirePage>
                ),
              },
              {
                path: '/files/:fileId',
                element: (
                  <RequirePage page="models">
                    <FileDetailPage />
                  </RequirePage>
                ),
              },
              {
                path: '/models',
                element: (
                  <RequirePage page="models">
                    <ModelsPage />
                  </RequirePage>
                ),
              },
              {
                path: '/models/:modelId',
                element: (
                  <RequirePage page="models">
                    <ModelDetailPage />
                  </RequirePage>
                ),
              },
              {
                path: '/calculator',
                element: (
                  <RequirePage page="calculator">
                    <CalculatorPage />
                  </RequirePage>
                ),
              },
              {
                path: '/history',
                element: (
                  <RequirePage page="print_history">
                    <PrintHistoryPage />
                  </RequirePage>
                ),
              },
              {
                path: '/settings/*',
                element: (
                  <RequirePage page="settings" floor="admin">
                    <SettingsPage />
                  </RequirePage>
                ),
              },
              { path: '*', element: <NotFound /> },
            ],
          },
        ],
      },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
