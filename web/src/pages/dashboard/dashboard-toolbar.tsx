import { Search, X } from 'lucide-react';
import { useId } from 'react';

import { FLEET_BUCKETS, isFleetBucket } from '@/components/printer/fleet-status';
import { protocolLabel } from '@/components/printer/protocols';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/field';
import { useT } from '@/i18n';

import { type FleetFilters, hasActiveFilters, SORT_KEYS, type SortKey } from './fleet-view';

function isSortKey(value: string): value is SortKey {
  return (SORT_KEYS as readonly string[]).includes(value);
}

/** Search, status, protocol and sort; every change goes to the URL through `onChange`. */
export function DashboardToolbar({
  filters,
  protocols,
  onChange,
}: {
  filters: FleetFilters;
  protocols: string[];
  onChange: (next: FleetFilters) => void;
}) {
  const t = useT();
  const ids = { search: useId(), status: useId(), protocol: useId(), sort: useId() };
  const labelClass = 'mb-1 block text-xs font-medium text-slate-500 dark:text-slate-400';
  return (
    <div className="flex flex-col gap-3 md:flex-row md:items-end">
      <div className="min-w-0 flex-1">
        <label htmlFor={ids.search} className={labelClass}>
          {t('dashboard.filters.search')}
        </label>
        <div className="relative">
          <Search className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-slate-400" aria-hidden />
          <Input
            id={ids.search}
            type="search"
            value={filters.search}
            placeholder={t('dashboard.filters.searchPlaceholder')}
            onChange={(event) => onChange({ ...filters, search: event.target.value })}
            className="pl-8"
            autoComplete="off"
          />
          <kbd
            className="pointer-events-none absolute right-2.5 top-1/2 hidden -translate-y-1/2 rounded border border-slate-300 px-1.5 text-xs text-slate-400 sm:block dark:border-slate-700"
            aria-hidden
          >
            /
          </kbd>
        </div>
      </div>
      {/* On phones the fleet counters right above are the status filter; a third cramped select would only repeat them. */}
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-3 md:flex md:gap-3">
        <div className="hidden min-w-0 sm:block md:w-40">
          <label htmlFor={ids.status} className={labelClass}>
            {t('dashboard.filters.status')}
          </label>
          <Select
            id={ids.status}
            value={filters.status ?? ''}
            onChange={(event) => onChange({ ...filters, status: isFleetBucket(event.target.value) ? event.target.value : null })}
          >
            <option value="">{t('dashboard.filters.anyStatus')}</option>
            {FLEET_BUCKETS.map((bucket) => (
              <option key={bucket} value={bucket}>
                {t(`common.status.${bucket}`)}
              </option>
            ))}
          </Select>
        </div>
        <div className="min-w-0 md:w-40">
          <label htmlFor={ids.protocol} className={labelClass}>
            {t('dashboard.filters.protocol')}
          </label>
          <Select
            id={ids.protocol}
            value={filters.protocol ?? ''}
            onChange={(event) => onChange({ ...filters, protocol: event.target.value || null })}
          >
            <option value="">{t('dashboard.filters.anyProtocol')}</option>
            {/* A protocol in the URL that no printer uses any more still shows, so the filter can be seen and undone. */}
            {[...new Set([...protocols, ...(filters.protocol ? [filters.protocol] : [])])].map((protocol) => (
              <option key={protocol} value={protocol}>
                {protocolLabel(protocol, t)}
              </option>
            ))}
          </Select>
        </div>
        <div className="min-w-0 md:w-40">
          <label htmlFor={ids.sort} className={labelClass}>
            {t('dashboard.filters.sort')}
          </label>
          <Select
            id={ids.sort}
            value={filters.sort}
            onChange={(event) => onChange({ ...filters, sort: isSortKey(event.target.value) ? event.target.value : 'order' })}
          >
            {SORT_KEYS.map((key) => (
              <option key={key} value={key}>
                {t(`dashboard.filters.sortBy.${key}`)}
              </option>
            ))}
          </Select>
        </div>
      </div>
      {hasActiveFilters(filters) ? (
        <Button
          variant="ghost"
          onClick={() => onChange({ ...filters, status: null, protocol: null, search: '' })}
          className="self-start md:self-auto"
        >
          <X className="size-4" aria-hidden />
          {t('dashboard.filters.clear')}
        </Button>
      ) : null}
    </div>
  );
}
