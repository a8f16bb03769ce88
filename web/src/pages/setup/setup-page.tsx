import { useState } from 'react';
import { Navigate } from 'react-router';

import { useSession } from '@/auth/session';
import { Card } from '@/components/ui/card';
import { ErrorState, Spinner } from '@/components/ui/states';
import { type MessageKey, useT } from '@/i18n';

import { AuthLayout, BrandHeading } from '../login/auth-layout';
import { LoginForm } from '../login/login-form';
import { AdminStep } from './admin-step';
import { DoneStep } from './done-step';
import { type AddedPrinter, PrinterStep } from './printer-step';
import { SetupProgress, type SetupStep } from './setup-progress';
import { useSetupStatus } from './setup-status';

const TITLES: Record<SetupStep, { title: MessageKey; subtitle: MessageKey }> = {
  admin: { title: 'setup.admin.title', subtitle: 'setup.admin.subtitle' },
  printer: { title: 'setup.printer.title', subtitle: 'setup.printer.subtitle' },
  done: { title: 'setup.done.title', subtitle: 'setup.done.subtitle' },
};

function Wizard({ adminExists, onAdminCreated }: { adminExists: boolean; onAdminCreated: () => void }) {
  const t = useT();
  // A reload after the admin was created lands on step 2: the token is still in the session.
  const [step, setStep] = useState<SetupStep>(adminExists ? 'printer' : 'admin');
  const [added, setAdded] = useState<AddedPrinter[]>([]);
  return (
    <div className="w-full max-w-2xl">
      <div className="mb-5 flex flex-wrap items-center justify-between gap-3">
        <BrandHeading compact />
        <span className="text-sm text-slate-500 dark:text-slate-400">{t('setup.title')}</span>
      </div>
      <Card className="p-5 sm:p-7">
        <SetupProgress step={step} />
        <h1 className="mt-6 text-xl font-semibold tracking-tight">{t(TITLES[step].title)}</h1>
        <p className="mb-5 mt-1 text-sm text-slate-500 dark:text-slate-400">{t(TITLES[step].subtitle)}</p>
        {step === 'admin' ? <AdminStep adminExists={adminExists} onCreated={onAdminCreated} onDone={() => setStep('printer')} /> : null}
        {step === 'printer' ? (
          <PrinterStep
            added={added}
            onAdded={(printer) => {
              setAdded((list) => [...list, printer]);
              setStep('done');
            }}
            onBack={() => setStep('admin')}
            onNext={() => setStep('done')}
          />
        ) : null}
        {step === 'done' ? <DoneStep added={added} onBack={() => setStep('printer')} /> : null}
      </Card>
    </div>
  );
}

/** The admin exists but this browser has no session (another device, or logged out): log in to go on. */
function ResumeWithLogin() {
  const t = useT();
  return (
    <div className="w-full max-w-sm">
      <div className="mb-6">
        <BrandHeading />
      </div>
      <Card className="p-5 sm:p-6">
        <h1 className="mb-1 text-lg font-semibold">{t('setup.resume.title')}</h1>
        <p className="mb-5 text-sm text-slate-500 dark:text-slate-400">{t('setup.resume.text')}</p>
        <LoginForm />
      </Card>
    </div>
  );
}

export default function SetupPage() {
  const t = useT();
  const status = useSetupStatus();
  const { token, user, checking } = useSession();
  // Set once this page created the admin: the new session loading must not unmount the wizard.
  const [createdHere, setCreatedHere] = useState(false);

  if (status.isPending) {
    return (
      <AuthLayout>
        <Spinner />
      </AuthLayout>
    );
  }
  if (status.isError) {
    return (
      <AuthLayout>
        <div className="w-full max-w-md">
          <ErrorState error={new Error(t('setup.errors.status'))} onRetry={() => void status.refetch()} />
        </div>
      </AuthLayout>
    );
  }
  // The wizard runs once; afterwards this address leads into the app.
  if (!status.data.needs_setup) return <Navigate to={token && user ? '/' : '/login'} replace />;

  const adminExists = status.data.has_users;
  if (adminExists && !token) {
    return (
      <AuthLayout>
        <ResumeWithLogin />
      </AuthLayout>
    );
  }
  // Creating the admin adopts its token; only a saved token found on load needs checking first.
  if (adminExists && checking && !user && !createdHere) {
    return (
      <AuthLayout>
        <Spinner />
      </AuthLayout>
    );
  }
  return (
    <AuthLayout>
      <Wizard adminExists={adminExists} onAdminCreated={() => setCreatedHere(true)} />
    </AuthLayout>
  );
}
