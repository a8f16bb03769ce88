import type { ReactNode } from 'react';

/** An inline error under a form, for problems that block saving (a toast would vanish too soon). */
export function FormError({ children }: { children: ReactNode }) {
  return (
    <p
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200"
    >
      {children}
    </p>
  );
}
