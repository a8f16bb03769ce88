import type { ReactNode } from 'react';

import { Button } from '@/components/ui/button';
import { useT } from '@/i18n';

/** Cancel and the dialog's own submit button, under a form. */
export function DialogButtons({ onCancel, children }: { onCancel: () => void; children: ReactNode }) {
  const t = useT();
  return (
    <div className="flex justify-end gap-2 border-t border-slate-200 pt-4 dark:border-slate-800">
      <Button onClick={onCancel}>{t('common.actions.cancel')}</Button>
      {children}
    </div>
  );
}
