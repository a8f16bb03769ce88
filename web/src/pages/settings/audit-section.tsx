import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { ChevronLeft, ChevronRight, Download, FileClock, Filter, X } from 'lucide-react';
import { useEffect, useId, useState } from 'react';

import { api, rawFetch, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import type { ResponseOf } from '@/api/types';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { Field, Input, Select } from '@/components/ui/field';
import { EmptyState, ErrorState, Spinner } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { useI18n } from '@/i18n';
import { formatDateTime, formatNumber } from '@/lib/format';

import { type AuditFilters, fileNameFrom, NO_FILTERS, rangeIsBackwards, toAuditQuery, toSearchParams } from './audit-filters';
import { actionLabel, AUDIT_ACTIONS, AUDIT_ENTITIES, detailsSummary, entityLabel } from './audit-labels';
import { SectionHeader } from './section';

type Entry = ResponseOf<'/api/audit-logs', 'get'>['logs'][number];
const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 300;

/** Failed logins and deletions stand out in the list. */
function tone(action: string): string {
  if (action === 'login_failed') return 'bg-red-100 text-red-800 dark:bg-red-500/15 dark:text-red-300';
  if (action === 'delete' || action === 'stop') return 'bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-300';
  if (action === 'create' || action.startsWith('setup'))
    return 'bg-emerald-100 text-emerald-800 dark:bg-emerald-500/15 dark:text-emerald-300';
  return 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300';
}

function EntryRow({ entry }: { entry: Entry }) {
  const { t, locale } = useI18n();
  const details = detailsSummary(entry.details);
  const when = (
    <time dateTime={entry.timestamp} className="tabular text-xs text-slate-500 md:text-sm dark:text-slate-400">
      {formatDateTime(entry.timestamp, locale)}
    </time>
  );
  const who = (
    <span className={cn('truncate', entry.username ? 'font-medium' : 'text-slate-500 dark:text-slate-400')}>
      {entry.username ?? t('settings.audit.anonymous')}
    </span>
  );
  const action = (
    <span className={cn('inline-block rounded px-1.5 py-0.5 text-xs font-medium', tone(entry.action))}>{actionLabel(entry.action, t)}</span>
  );
  const what = (
    <span className="text-slate-700 dark:text-slate-300">
      {entityLabel(entry.entity_type, t)}
      {entry.entity_id !== null ? <span className="text-slate-500 dark:text-slate-400"> #{entry.entity_id}</span> : null}
      {entry.ip_address ? (
        <span className="ml-2 text-xs text-slate-500 dark:text-slate-400">{t('settings.audit.from', { ip: entry.ip_address })}</span>
      ) : null}
    </span>
  );
  return (
    <li className="px-4 py-3 text-sm md:grid md:grid-cols-[11rem_8rem_9rem_minmax(0,1fr)] md:gap-x-4" data-audit-id={entry.id}>
      {/* Phones: who and when on one line, what happened on the next; wide screens: one column each. */}
      <div className="flex items-baseline justify-between gap-3 md:contents">
        <span className="min-w-0 md:order-2">{who}</span>
        <span className="shrink-0 md:order-1">{when}</span>
      </div>
      <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 md:contents">
        <span className="md:order-3 md:mt-0">{action}</span>
        <div className="min-w-0 md:order-4">
          {what}
          {details ? (
            <p className="truncate font-mono text-xs text-slate-500 dark:text-slate-400" title={details}>
              {details}
            </p>
          ) : null}
        </div>
      </div>
    </li>
  );
}

export function AuditSection() {
  const { t, locale } = useI18n();
  const toast = useToast();
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const [searchText, setSearchText] = useState('');
  const [offset, setOffset] = useState(0);
  // On a phone the filters fold away behind one button, so the log itself is on the first screen.
  const [showFilters, setShowFilters] = useState(false);
  const filtersId = useId();

  // Typing in the search box asks the server once the user pauses, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => {
      setFilters((current) => (current.search === searchText ? current : { ...current, search: searchText }));
      setOffset(0);
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [searchText]);

  const backwards = rangeIsBackwards(filters);
  const query = toAuditQuery(filters);
  const logs = useQuery({
    queryKey: ['audit-logs', query, offset],
    queryFn: () => unwrap(api.GET('/api/audit-logs', { params: { query: { ...query, limit: PAGE_SIZE, offset } } })),
    placeholderData: keepPreviousData,
    enabled: !backwards,
  });
  const users = useQuery({ queryKey: ['users'], queryFn: () => unwrap(api.GET('/api/users')) });

  const exportCsv = useMutation({
    mutationFn: async () => {
      const params = toSearchParams(query).toString();
      const response = await rawFetch(`/api/export/audit-logs${params ? `?${params}` : ''}`);
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = fileNameFrom(response.headers.get('content-disposition'));
      document.body.append(link);
      link.click();
      link.remove();
      // Revoked later: some browsers start reading the blob only after click() has returned.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
    onSuccess: () => toast.success(t('settings.audit.exported')),
    onError: (error) => toast.error(t('settings.audit.exportFailed', { detail: errorText(error, t) })),
  });

  function set(patch: Partial<AuditFilters>) {
    setFilters((current) => ({ ...current, ...patch }));
    setOffset(0);
  }

  const filtered = Object.values(query).length > 0 || searchText !== '';
  const activeFilters = Object.keys(query).filter((key) => key !== 'search').length;
  const total = logs.data?.total ?? 0;
  const entries = logs.data?.logs ?? [];

  return (
    <div>
      <SectionHeader
        title={t('settings.audit.title')}
        description={t('settings.audit.description')}
        actions={
          <Button onClick={() => exportCsv.mutate()} busy={exportCsv.isPending} disabled={backwards}>
            <Download className="size-4" aria-hidden />
            {filtered ? t('settings.audit.exportFiltered') : t('settings.audit.export')}
          </Button>
        }
      />

      <Card className="mb-4 p-4">
        <div className="flex items-end gap-2">
          <div className="flex-1">
            <Field label={t('settings.audit.search')}>
              {(id) => (
                <Input
                  id={id}
                  type="search"
                  placeholder={t('settings.audit.searchPlaceholder')}
                  value={searchText}
                  onChange={(event) => setSearchText(event.target.value)}
                />
              )}
            </Field>
          </div>
          <Button
            className="sm:hidden"
            onClick={() => setShowFilters((shown) => !shown)}
            aria-expanded={showFilters}
            aria-controls={filtersId}
          >
            <Filter className="size-4" aria-hidden />
            {t('settings.audit.filters', { count: activeFilters })}
          </Button>
        </div>
        <div id={filtersId} className={cn('mt-3 grid-cols-2 gap-3 sm:grid xl:grid-cols-3', showFilters ? 'grid' : 'hidden')}>
          <div className="col-span-2 sm:col-span-1">
            <Field label={t('settings.audit.action')}>
              {(id) => (
                <Select id={id} value={filters.action} onChange={(event) => set({ action: event.target.value })}>
                  <option value="">{t('settings.audit.anyAction')}</option>
                  {Object.keys(AUDIT_ACTIONS).map((action) => (
                    <option key={action} value={action}>
                      {actionLabel(action, t)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
          <div className="col-span-2 sm:col-span-1">
            <Field label={t('settings.audit.entity')}>
              {(id) => (
                <Select id={id} value={filters.entityType} onChange={(event) => set({ entityType: event.target.value })}>
                  <option value="">{t('settings.audit.anyEntity')}</option>
                  {Object.keys(AUDIT_ENTITIES).map((entity) => (
                    <option key={entity} value={entity}>
                      {entityLabel(entity, t)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
          <div className="col-span-2 sm:col-span-1">
            <Field label={t('settings.audit.user')}>
              {(id) => (
                <Select id={id} value={filters.userId} onChange={(event) => set({ userId: event.target.value })}>
                  <option value="">{t('settings.audit.anyUser')}</option>
                  {(users.data ?? []).map((user) => (
                    <option key={user.id} value={String(user.id)}>
                      {user.username}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
          <Field label={t('settings.audit.since')}>
            {(id) => (
              <Input
                id={id}
                type="date"
                value={filters.since}
                max={filters.until || undefined}
                onChange={(event) => set({ since: event.target.value })}
              />
            )}
          </Field>
          <Field label={t('settings.audit.until')} error={backwards ? t('settings.audit.backwards') : null}>
            {(id) => (
              <Input
                id={id}
                type="date"
                value={filters.until}
                min={filters.since || undefined}
                onChange={(event) => set({ until: event.target.value })}
              />
            )}
          </Field>
          <div className="col-span-2 flex items-end sm:col-span-1">
            <Button
              variant="ghost"
              disabled={!filtered}
              onClick={() => {
                setSearchText('');
                setFilters(NO_FILTERS);
                setOffset(0);
              }}
            >
              <X className="size-4" aria-hidden />
              {t('settings.audit.clear')}
            </Button>
          </div>
        </div>
        <p className="mt-3 text-xs text-slate-500 dark:text-slate-400">
          {t('settings.audit.timesIn', { zone: Intl.DateTimeFormat().resolvedOptions().timeZone })}
        </p>
      </Card>

      {logs.isPending && !backwards ? (
        <Spinner />
      ) : logs.isError ? (
        <ErrorState error={logs.error} onRetry={() => void logs.refetch()} />
      ) : entries.length === 0 ? (
        <EmptyState
          icon={<FileClock className="size-8" aria-hidden />}
          title={filtered ? t('settings.audit.emptyFiltered') : t('settings.audit.empty')}
          hint={filtered ? t('settings.audit.emptyFilteredHint') : t('settings.audit.emptyHint')}
        />
      ) : (
        <Card className={cn('overflow-hidden transition-opacity', logs.isPlaceholderData && 'opacity-60')} aria-busy={logs.isFetching}>
          <div className="hidden gap-4 border-b border-slate-200 px-4 py-2 text-xs font-medium uppercase tracking-wide text-slate-500 md:grid md:grid-cols-[11rem_8rem_9rem_minmax(0,1fr)] dark:border-slate-800 dark:text-slate-400">
            <span>{t('settings.audit.columns.time')}</span>
            <span>{t('settings.audit.columns.user')}</span>
            <span>{t('settings.audit.columns.action')}</span>
            <span>{t('settings.audit.columns.what')}</span>
          </div>
          <ul className="divide-y divide-slate-200 dark:divide-slate-800">
            {entries.map((entry) => (
              <EntryRow key={entry.id} entry={entry} />
            ))}
          </ul>
          <div className="flex flex-wrap items-center justify-between gap-2 border-t border-slate-200 px-4 py-2 text-sm dark:border-slate-800">
            <span className="text-slate-500 dark:text-slate-400" role="status">
              {t('settings.audit.range', {
                from: formatNumber(offset + 1, locale),
                to: formatNumber(offset + entries.length, locale),
                total: formatNumber(total, locale),
              })}
            </span>
            <div className="flex gap-2">
              <Button size="sm" disabled={offset === 0 || logs.isFetching} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
                <ChevronLeft className="size-4" aria-hidden />
                {t('common.pagination.previous')}
              </Button>
              <Button
                size="sm"
                disabled={offset + entries.length >= total || logs.isFetching}
                onClick={() => setOffset(offset + PAGE_SIZE)}
              >
                {t('common.pagination.next')}
                <ChevronRight className="size-4" aria-hidden />
              </Button>
            </div>
          </div>
        </Card>
      )}
    </div>
  );
}
