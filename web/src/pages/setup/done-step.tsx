import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CheckCircle2, Circle, PartyPopper } from 'lucide-react';
import { useNavigate } from 'react-router';

import { api, unwrap } from '@/api/client';
import type { ResponseOf } from '@/api/types';
import { useSession } from '@/auth/session';
import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/form-error';
import { useT } from '@/i18n';

import type { AddedPrinter } from './printer-step';
import { setupErrorText } from './setup-errors';

type SetupStatus = ResponseOf<'/api/setup/status', 'get'>;

export function DoneStep({ added, onBack }: { added: AddedPrinter[]; onBack: () => void }) {
  const t = useT();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const complete = useMutation({
    mutationFn: () => unwrap(api.POST('/api/setup/complete')),
    onSuccess: () => {
      // The app's route guard reads this query: it must know at once, or it sends us back here.
      queryClient.setQueryData<SetupStatus>(['setup', 'status'], { needs_setup: false, has_users: true, is_complete: true });
      void queryClient.invalidateQueries({ queryKey: ['setup', 'status'] });
      void navigate('/', { replace: true });
    },
  });

  return (
    <div className="space-y-5">
      <div className="flex items-center gap-3">
        <PartyPopper className="size-8 shrink-0 text-brand" aria-hidden />
        <p className="text-sm text-slate-600 dark:text-slate-400">{t('setup.done.intro')}</p>
      </div>
      <ul className="space-y-2 text-sm">
        <li className="flex items-start gap-2">
          <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-emerald-600 dark:text-emerald-400" aria-hidden />
          <span>{user ? t('setup.done.admin', { name: user.username }) : t('setup.admin.created')}</span>
        </li>
        <li className="flex items-start gap-2">
          {added.length > 0 ? (
            <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-emerald-600 dark:text-emerald-400" aria-hidden />
          ) : (
            <Circle className="mt-0.5 size-4 shrink-0 text-slate-400" aria-hidden />
          )}
          <span>
            {added.length > 0
              ? t('setup.done.printers', { count: added.length, names: added.map((printer) => printer.name).join(', ') })
              : t('setup.done.noPrinters')}
          </span>
        </li>
      </ul>
      <p className="text-sm text-slate-600 dark:text-slate-400">{t('setup.done.next')}</p>
      {complete.isError ? <FormError>{setupErrorText(complete.error, t)}</FormError> : null}
      <div className="flex flex-col-reverse gap-2 border-t border-slate-200 pt-4 sm:flex-row sm:items-center sm:justify-between dark:border-slate-800">
        <Button onClick={onBack}>{t('common.actions.back')}</Button>
        <Button variant="primary" size="lg" busy={complete.isPending} onClick={() => complete.mutate()}>
          {t('setup.done.finish')}
        </Button>
      </div>
    </div>
  );
}
