import { WifiOff } from 'lucide-react';
import { Navigate, useSearchParams } from 'react-router';

import { useSession } from '@/auth/session';
import { Card } from '@/components/ui/card';
import { Spinner } from '@/components/ui/states';
import { useT } from '@/i18n';
import { useBranding } from '@/lib/branding';

import { useSetupStatus } from '../setup/setup-status';
import { AuthLayout, BrandHeading } from './auth-layout';
import { LoginForm } from './login-form';
import { safeNext } from './safe-next';

function BrandFooter() {
  const t = useT();
  const branding = useBranding().data;
  if (!branding?.footer_text && !branding?.support_url) return null;
  return (
    <div className="flex flex-wrap items-center justify-center gap-x-3 gap-y-1">
      {branding.footer_text ? <span>{branding.footer_text}</span> : null}
      {branding.support_url ? (
        <a
          className="underline hover:text-slate-800 dark:hover:text-slate-200"
          href={branding.support_url}
          target="_blank"
          rel="noreferrer"
        >
          {t('auth.login.support')}
        </a>
      ) : null}
    </div>
  );
}

export default function LoginPage() {
  const t = useT();
  const { token, user, checking } = useSession();
  const setup = useSetupStatus();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));

  // A farm without a finished setup has nobody to log in as yet (or the wizard is half done): go there.
  if (setup.data?.needs_setup) return <Navigate to="/setup" replace />;
  if (token && user) return <Navigate to={next} replace />;

  const waiting = setup.isPending || (token !== null && checking);
  return (
    <AuthLayout footer={<BrandFooter />}>
      <div className="w-full max-w-sm">
        <div className="mb-6">
          <BrandHeading />
        </div>
        <Card className="p-5 sm:p-6">
          {waiting ? (
            <Spinner />
          ) : (
            <>
              <h1 className="mb-1 text-lg font-semibold">{t('auth.login.title')}</h1>
              <p className="mb-5 text-sm text-slate-500 dark:text-slate-400">{t('auth.login.subtitle')}</p>
              {setup.isError ? (
                <p
                  role="status"
                  className="mb-4 flex gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
                >
                  <WifiOff className="mt-0.5 size-4 shrink-0" aria-hidden />
                  {t('auth.login.serverUnreachable')}
                </p>
              ) : null}
              <LoginForm />
            </>
          )}
        </Card>
        <p className="mt-4 text-center text-xs text-slate-500 dark:text-slate-400">{t('auth.login.forgot')}</p>
      </div>
    </AuthLayout>
  );
}
