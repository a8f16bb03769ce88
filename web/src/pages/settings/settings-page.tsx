import { FileClock, Palette, ShieldCheck, SlidersHorizontal, Users } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router';

import { cn } from '@/components/ui/cn';
import { PageHeader } from '@/components/ui/states';
import { type MessageKey, useT } from '@/i18n';

import { AuditSection } from './audit-section';
import { BrandingSection } from './branding-section';
import { GeneralSection } from './general-section';
import { PermissionsSection } from './permissions-section';
import { UsersSection } from './users-section';

interface Section {
  path: string;
  label: MessageKey;
  icon: typeof Users;
}

const SECTIONS: Section[] = [
  { path: 'users', label: 'settings.nav.users', icon: Users },
  { path: 'permissions', label: 'settings.nav.permissions', icon: ShieldCheck },
  { path: 'branding', label: 'settings.nav.branding', icon: Palette },
  { path: 'general', label: 'settings.nav.general', icon: SlidersHorizontal },
  { path: 'audit', label: 'settings.nav.audit', icon: FileClock },
];

/**
 * Side navigation on wide screens; on a phone a row of tabs that scrolls sideways, with the current
 * one scrolled into view so it is never hidden off the edge.
 */
function SectionNav() {
  const t = useT();
  const location = useLocation();
  const navRef = useRef<HTMLElement>(null);
  useEffect(() => {
    const active = navRef.current?.querySelector<HTMLElement>('[aria-current="page"]');
    active?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }, [location.pathname]);
  return (
    <nav ref={navRef} aria-label={t('settings.nav.label')} className="-mx-3 overflow-x-auto px-3 pb-1 sm:mx-0 sm:px-0 lg:overflow-visible">
      <ul className="flex gap-1 lg:flex-col">
        {SECTIONS.map((section) => (
          <li key={section.path} className="shrink-0">
            <NavLink
              to={`/settings/${section.path}`}
              className={({ isActive }) =>
                cn(
                  'flex items-center gap-2 whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium transition',
                  isActive
                    ? 'bg-brand/15 text-slate-900 ring-1 ring-inset ring-brand/40 dark:text-white'
                    : 'text-slate-600 hover:bg-slate-200/60 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white',
                )
              }
            >
              <section.icon className="size-4" aria-hidden />
              {t(section.label)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export default function SettingsPage() {
  const t = useT();
  return (
    <div>
      <PageHeader title={t('settings.title')} description={t('settings.description')} />
      <div className="flex flex-col gap-5 lg:grid lg:grid-cols-[13rem_minmax(0,1fr)] lg:items-start lg:gap-8">
        <div className="lg:sticky lg:top-20">
          <SectionNav />
        </div>
        <div className="min-w-0">
          <Routes>
            <Route index element={<Navigate to="/settings/users" replace />} />
            <Route path="users" element={<UsersSection />} />
            <Route path="permissions" element={<PermissionsSection />} />
            <Route path="branding" element={<BrandingSection />} />
            <Route path="general" element={<GeneralSection />} />
            <Route path="audit" element={<AuditSection />} />
            <Route path="*" element={<Navigate to="/settings/users" replace />} />
          </Routes>
        </div>
      </div>
    </div>
  );
}
