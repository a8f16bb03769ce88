import { Moon, Sun } from 'lucide-react';
import type { ReactNode } from 'react';

import { Button } from '@/components/ui/button';
import { type Language, LANGUAGES, useI18n } from '@/i18n';
import { useBranding } from '@/lib/branding';
import { useTheme } from '@/lib/theme';

/** Language and theme switches for pages shown before anyone is logged in (the shell's menu is not there yet). */
function PublicControls() {
  const { t, language, setLanguage } = useI18n();
  const { theme, toggle } = useTheme();
  return (
    <div className="flex items-center gap-1">
      <label className="sr-only" htmlFor="odin-public-language">
        {t('common.language')}
      </label>
      <select
        id="odin-public-language"
        value={language}
        onChange={(event) => setLanguage(event.target.value as Language)}
        className="h-8 rounded-md border border-slate-300 bg-white/70 px-1.5 text-xs text-slate-700 dark:border-slate-700 dark:bg-slate-900/70 dark:text-slate-200"
      >
        {Object.entries(LANGUAGES).map(([code, name]) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </select>
      <Button variant="ghost" size="sm" onClick={toggle} aria-label={t('common.theme.toggle')} title={t('common.theme.toggle')}>
        {theme === 'dark' ? <Sun className="size-4" aria-hidden /> : <Moon className="size-4" aria-hidden />}
      </Button>
    </div>
  );
}

/** The farm's logo, name and subtitle, as the branding editor set them. */
export function BrandHeading({ compact = false }: { compact?: boolean }) {
  const branding = useBranding().data;
  return (
    <div className={compact ? 'flex items-center gap-3' : 'flex flex-col items-center gap-3 text-center'}>
      <img
        src={branding?.logo_url ?? '/icon.svg'}
        alt=""
        className={compact ? 'size-10 rounded-lg object-contain' : 'size-16 rounded-xl object-contain'}
      />
      <div className="min-w-0">
        <div className={compact ? 'truncate text-lg font-semibold leading-tight' : 'text-2xl font-semibold tracking-tight'}>
          {branding?.app_name ?? 'ODIN'}
        </div>
        {branding?.app_subtitle ? <div className="truncate text-sm text-slate-500 dark:text-slate-400">{branding.app_subtitle}</div> : null}
      </div>
    </div>
  );
}

/** Full-height page for login and setup: brand-tinted backdrop, switches in the corner, content centred. */
export function AuthLayout({ children, footer }: { children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="relative flex min-h-dvh flex-col bg-slate-50 dark:bg-slate-950">
      <div
        aria-hidden
        className="pointer-events-none absolute inset-x-0 top-0 h-72 bg-gradient-to-b from-brand/20 to-transparent dark:from-brand/10"
      />
      <div className="relative flex justify-end p-3">
        <PublicControls />
      </div>
      <main id="main" className="relative flex flex-1 flex-col items-center px-4 pb-10 pt-2 sm:pt-8">
        {children}
      </main>
      {footer ? <footer className="relative px-4 pb-6 text-center text-xs text-slate-500 dark:text-slate-400">{footer}</footer> : null}
    </div>
  );
}
