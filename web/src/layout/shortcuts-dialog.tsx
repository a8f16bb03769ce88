import { isApple } from '@/components/search/search-results';
import { Dialog } from '@/components/ui/dialog';
import { type MessageKey, useT } from '@/i18n';

/** `chord`: the keys are pressed together (Ctrl+K), not one after the other (g then d). */
const SHORTCUTS: Array<{ keys: string[]; label: MessageKey; chord?: boolean }> = [
  { keys: ['mod', 'K'], label: 'catalogue.search.shortcut', chord: true },
  { keys: ['g', 'd'], label: 'common.shortcuts.goDashboard' },
  { keys: ['g', 'p'], label: 'common.shortcuts.goPrinters' },
  { keys: ['g', 'h'], label: 'common.shortcuts.goHistory' },
  { keys: ['g', 's'], label: 'common.shortcuts.goSettings' },
  { keys: ['g', 't'], label: 'common.shortcuts.goTv' },
  { keys: ['/'], label: 'common.shortcuts.search' },
  { keys: ['?'], label: 'common.shortcuts.help' },
];

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  return (
    <Dialog open={open} onClose={onClose} title={t('common.shortcuts.title')}>
      <dl className="space-y-2">
        {SHORTCUTS.map((shortcut) => (
          <div key={shortcut.label} className="flex items-center justify-between gap-4 text-sm">
            <dt>{t(shortcut.label)}</dt>
            <dd className="flex items-center gap-1">
              {shortcut.keys.map((key, index) => (
                <span key={key} className="flex items-center gap-1">
                  {index > 0 ? <span className="text-xs text-slate-500">{shortcut.chord ? '+' : t('common.shortcuts.then')}</span> : null}
                  <kbd className="min-w-6 rounded border border-slate-300 bg-slate-100 px-1.5 py-0.5 text-center font-mono text-xs dark:border-slate-700 dark:bg-slate-800">
                    {key === 'mod' ? (isApple() ? '⌘' : t('catalogue.search.ctrl')) : key}
                  </kbd>
                </span>
              ))}
            </dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
