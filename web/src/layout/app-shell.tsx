import {
  Boxes,
  Calculator,
  Disc3,
  FileBox,
  History,
  LayoutDashboard,
  LogOut,
  Menu,
  Monitor,
  Moon,
  Printer,
  Search,
  Settings,
  Sun,
  SwatchBook,
  X,
} from 'lucide-react';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';

import { usePermissions } from '@/auth/permissions';
import { useSession } from '@/auth/session';
import { isApple } from '@/components/search/search-results';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { Spinner } from '@/components/ui/states';
import { type Language, LANGUAGES, type MessageKey, useI18n } from '@/i18n';
import { useBranding } from '@/lib/branding';
import { useShortcuts } from '@/lib/shortcuts';
import { useTheme } from '@/lib/theme';
import { useLiveStatus } from '@/live/live-context';

import { ShortcutsDialog } from './shortcuts-dialog';

// Loaded on first Ctrl/⌘+K: the dashboard does not carry the palette.
const SearchPalette = lazy(() => import('@/components/search/search-palette'));

interface NavItem {
  to: string;
  page: string;
  label: MessageKey;
  icon: typeof LayoutDashboard;
  end?: boolean;
}

const NAV: NavItem[] = [
  { to: '/', page: 'dashboard', label: 'common.nav.dashboard', icon: LayoutDashboard, end: true },
  { to: '/printers', page: 'printers', label: 'common.nav.printers', icon: Printer },
  { to: '/spools', page: 'spools', label: 'common.nav.spools', icon: Disc3 },
  { to: '/filaments', page: 'spools', label: 'common.nav.filaments', icon: SwatchBook },
  { to: '/models', page: 'models', label: 'catalogue.nav.models', icon: Boxes },
  { to: '/files', page: 'models', label: 'catalogue.nav.files', icon: FileBox },
  { to: '/calculator', page: 'calculator', label: 'catalogue.nav.calculator', icon: Calculator },
  { to: '/history', page: 'print_history', label: 'common.nav.history', icon: History },
  { to: '/tv', page: 'tv', label: 'common.nav.tv', icon: Monitor },
  { to: '/settings', page: 'settings', label: 'common.nav.settings', icon: Settings },
];

/** Opens the search palette; on wide screens it shows its shortcut. Its name is its visible word, "Search". */
function SearchButton({ onOpen }: { onOpen: () => void }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      onClick={onOpen}
      title={t('catalogue.search.openLong')}
      aria-keyshortcuts="Control+K Meta+K"
      className="flex h-8 items-center gap-2 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-600 hover:border-slate-400 hover:text-slate-900 md:w-56 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300 dark:hover:border-slate-600 dark:hover:text-white"
    >
      <Search className="size-4 shrink-0" aria-hidden />
      <span className="sr-only flex-1 text-left md:not-sr-only">{t('catalogue.search.open')}</span>
      <kbd className="hidden rounded border border-slate-300 px-1 font-mono text-[0.7rem] md:inline dark:border-slate-600" aria-hidden>
        {isApple() ? '⌘' : t('catalogue.search.ctrl')} K
      </kbd>
    </button>
  );
}

function LiveIndicator() {
  const { status } = useLiveStatus();
  const { t } = useI18n();
  const label =
    status === 'live' ? t('common.live.connected') : status === 'polling' ? t('common.live.polling') : t('common.live.connecting');
  return (
    <span className="flex items-center gap-1.5 text-xs text-slate-500 dark:text-slate-400" title={label} data-live-status={status}>
      <span
        className={cn('size-2 rounded-full', status === 'live' ? 'bg-emerald-500' : status === 'polling' ? 'bg-amber-500' : 'bg-slate-400')}
        aria-hidden
      />
      <span className={cn(status === 'polling' ? 'max-w-56 truncate sm:max-w-none' : 'sr-only sm:not-sr-only')}>{label}</span>
    </span>
  );
}

function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useI18n();
  const can = usePermissions();
  return (
    <nav aria-label={t('common.nav.mainMenu')} className="flex flex-col gap-1">
      {NAV.filter((item) => can.page(item.page, item.page === 'settings' ? 'admin' : 'viewer')).map((item) => (
        <NavLink
          key={item.to}
          to={item.to}
          end={item.end}
          onClick={onNavigate}
          className={({ isActive }) =>
            cn(
              'flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition',
              isActive
                ? 'bg-brand/15 text-slate-900 dark:text-white'
                : 'text-slate-600 hover:bg-slate-200/60 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white',
            )
          }
        >
          <item.icon className="size-4" aria-hidden />
          {t(item.label)}
        </NavLink>
      ))}
    </nav>
  );
}

function Brand() {
  const branding = useBranding().data;
  return (
    <div className="flex min-w-0 items-center gap-2 px-1">
      <img src={branding?.logo_url ?? '/icon.svg'} alt="" className="size-8 shrink-0 rounded-md object-contain" />
      <div className="min-w-0">
        <div className="truncate font-semibold leading-tight">{branding?.app_name ?? 'ODIN'}</div>
        {branding?.app_subtitle ? <div className="truncate text-xs text-slate-500 dark:text-slate-400">{branding.app_subtitle}</div> : null}
      </div>
    </div>
  );
}

function LanguageSelect({ id }: { id: string }) {
  const { t, language, setLanguage } = useI18n();
  return (
    <>
      <label className="sr-only" htmlFor={id}>
        {t('common.language')}
      </label>
      <select
        id={id}
        value={language}
        onChange={(event) => setLanguage(event.target.value as Language)}
        className="h-8 rounded-md border border-slate-300 bg-transparent px-1.5 text-xs dark:border-slate-700"
      >
        {Object.entries(LANGUAGES).map(([code, name]) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </select>
    </>
  );
}

function UserMenu() {
  const { user, logout } = useSession();
  const { t } = useI18n();
  const { theme, toggle } = useTheme();
  if (!user) return null;
  return (
    <div className="flex items-center gap-1 sm:gap-2">
      {/* On a phone the language choice lives in the menu drawer, so the header fits 390 px. */}
      <div className="hidden sm:block">
        <LanguageSelect id="odin-language" />
      </div>
      <Button variant="ghost" size="sm" onClick={toggle} aria-label={t('common.theme.toggle')} title={t('common.theme.toggle')}>
        {theme === 'dark' ? <Sun className="size-4" aria-hidden /> : <Moon className="size-4" aria-hidden />}
      </Button>
      <div className="hidden text-right sm:block" data-testid="current-user">
        <div className="text-sm font-medium leading-tight">{user.username}</div>
        <div className="text-xs text-slate-500 dark:text-slate-400" data-role={user.role}>
          {t(`common.user.role.${user.role}`)}
        </div>
      </div>
      <Button variant="ghost" size="sm" onClick={() => void logout()} aria-label={t('common.user.logout')} title={t('common.user.logout')}>
        <LogOut className="size-4" aria-hidden />
      </Button>
    </div>
  );
}

/** Who is logged in, for the phone's menu drawer (the header has no room for it there). */
function DrawerUser() {
  const { user } = useSession();
  const { t } = useI18n();
  if (!user) return null;
  return (
    <div className="mt-auto space-y-3 border-t border-slate-200 pt-4 text-sm dark:border-slate-800">
      <div>
        <div className="font-medium">{user.username}</div>
        <div className="text-xs text-slate-500 dark:text-slate-400">{t(`common.user.role.${user.role}`)}</div>
      </div>
      <LanguageSelect id="odin-language-drawer" />
    </div>
  );
}

export function AppShell({ children }: { children?: ReactNode }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [searchOpen, setSearchOpen] = useState(false);
  const { t } = useI18n();
  const navigate = useNavigate();
  useShortcuts({
    '?': () => setHelpOpen(true),
    'mod+k': () => setSearchOpen(true),
    'g d': () => void navigate('/'),
    'g p': () => void navigate('/printers'),
    'g h': () => void navigate('/history'),
    'g s': () => void navigate('/settings'),
    'g t': () => void navigate('/tv'),
    '/': () => document.querySelector<HTMLInputElement>('input[type="search"]')?.focus(),
  });

  return (
    <div className="min-h-dvh lg:grid lg:grid-cols-[15rem_1fr]">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-slate-900"
      >
        Skip to content
      </a>
      <aside className="hidden border-r border-slate-200 bg-white/70 p-4 lg:flex lg:flex-col lg:gap-6 dark:border-slate-800 dark:bg-slate-900/60">
        <Brand />
        <NavLinks />
        <button
          type="button"
          onClick={() => setHelpOpen(true)}
          className="mt-auto text-left text-xs text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-200"
        >
          {t('common.shortcuts.show')} <kbd className="rounded border border-slate-300 px-1 dark:border-slate-700">?</kbd>
        </button>
      </aside>
      {menuOpen ? (
        <div className="fixed inset-0 z-40 lg:hidden" role="dialog" aria-modal="true" aria-label={t('common.nav.mainMenu')}>
          <div className="absolute inset-0 bg-slate-950/50" onClick={() => setMenuOpen(false)} aria-hidden />
          <div className="absolute inset-y-0 left-0 flex w-64 flex-col gap-6 bg-white p-4 shadow-xl dark:bg-slate-900">
            <div className="flex items-center justify-between">
              <Brand />
              <Button variant="ghost" size="sm" onClick={() => setMenuOpen(false)} aria-label={t('common.nav.closeMenu')}>
                <X className="size-4" aria-hidden />
              </Button>
            </div>
            <NavLinks onNavigate={() => setMenuOpen(false)} />
            <DrawerUser />
          </div>
        </div>
      ) : null}
      <div className="flex min-w-0 flex-col">
        <header className="sticky top-0 z-30 flex h-14 items-center gap-3 border-b border-slate-200 bg-slate-50/90 px-3 backdrop-blur sm:px-6 dark:border-slate-800 dark:bg-slate-950/90">
          <Button variant="ghost" size="sm" className="lg:hidden" onClick={() => setMenuOpen(true)} aria-label={t('common.nav.openMenu')}>
            <Menu className="size-5" aria-hidden />
          </Button>
          <div className="min-w-0 lg:hidden">
            <Brand />
          </div>
          <div className="ml-auto flex shrink-0 items-center gap-2 sm:gap-3">
            <SearchButton onOpen={() => setSearchOpen(true)} />
            <LiveIndicator />
            <UserMenu />
          </div>
        </header>
        <main id="main" className="mx-auto w-full max-w-[110rem] flex-1 p-3 sm:p-6">
          <Suspense fallback={<Spinner />}>{children ?? <Outlet />}</Suspense>
        </main>
      </div>
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
      {searchOpen ? (
        <Suspense fallback={null}>
          <SearchPalette onClose={() => setSearchOpen(false)} />
        </Suspense>
      ) : null}
    </div>
  );
}
