import { X } from 'lucide-react';
import { type ReactNode, useEffect, useId, useRef } from 'react';

import { useT } from '@/i18n';

import { Button } from './button';

/**
 * A panel sliding in from the right (the whole screen on a phone), built on the native <dialog>
 * like Dialog: focus stays inside, Escape closes it, screen readers announce it.
 */
export function Drawer({
  open,
  onClose,
  title,
  subtitle,
  children,
  footer,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const t = useT();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      className="m-0 ml-auto h-dvh max-h-none w-full max-w-none border-0 border-l border-slate-200 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-950/60 sm:max-w-lg dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      {open ? (
        <div className="flex h-full flex-col">
          <div className="flex items-start justify-between gap-3 border-b border-slate-200 px-5 py-3 dark:border-slate-800">
            <div className="min-w-0">
              <h2 id={titleId} className="truncate text-lg font-semibold">
                {title}
              </h2>
              {subtitle ? <div className="text-sm text-slate-500 dark:text-slate-400">{subtitle}</div> : null}
            </div>
            <Button variant="ghost" size="sm" onClick={onClose} aria-label={t('common.actions.close')}>
              <X className="size-4" aria-hidden />
            </Button>
          </div>
          <div className="flex-1 overflow-y-auto px-5 py-4">{children}</div>
          {footer ? (
            <div className="flex flex-wrap justify-end gap-2 border-t border-slate-200 px-5 py-3 dark:border-slate-800">{footer}</div>
          ) : null}
        </div>
      ) : null}
    </dialog>
  );
}
