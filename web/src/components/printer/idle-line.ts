import type { Translate } from '@/i18n';

/** What a printer without a running print says: how its last print ended, or that it is ready. */
export function idleLine(status: string, fileName: string | null, t: Translate): string {
  if (fileName && status === 'finished') return t('dashboard.printer.finished', { file: fileName });
  if (fileName && status === 'cancelled') return t('dashboard.printer.cancelled', { file: fileName });
  return t('dashboard.printer.ready');
}
