import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Boxes, Disc3, FileBox, History, type LucideIcon, Printer, Search } from 'lucide-react';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import { cn } from '@/components/ui/cn';
import { useI18n } from '@/i18n';

import { appPath, groupResults, moveActive, type ResultOption, type SearchGroup, type SearchResult } from './search-results';

const SEARCH_DELAY_MS = 200;
const PER_GROUP = 6;

const ICONS: Record<SearchGroup, LucideIcon> = {
  printers: Printer,
  models: Boxes,
  print_files: FileBox,
  spools: Disc3,
  jobs: History,
};

export type SearchFn = (query: string, signal: AbortSignal) => Promise<SearchResult>;

const serverSearch: SearchFn = (query, signal) =>
  unwrap(api.GET('/api/search', { params: { query: { q: query, limit: PER_GROUP } }, signal }));

/** The text once the user has paused typing. */
function useSettled(value: string, delay: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

/**
 * The command palette (Ctrl/⌘+K): one field that searches printers, models, print files and spools
 * as you type. ↑/↓ move through every group, Enter opens, Esc closes (the native <dialog> does that
 * and keeps focus inside). The field is an ARIA combobox whose list is the results.
 */
export default function SearchPalette({ onClose, search = serverSearch }: { onClose: () => void; search?: SearchFn }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const listId = useId();
  const [text, setText] = useState('');
  const query = useSettled(text.trim().slice(0, 100), SEARCH_DELAY_MS);
  // The highlighted option belongs to one query's results; new results start at the top again.
  const [active, setActive] = useState({ query: '', position: 0 });

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => {
      if (element?.open) element.close();
    };
  }, []);

  const results = useQuery({
    queryKey: ['search', query],
    queryFn: ({ signal }) => search(query, signal),
    enabled: query !== '',
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    retry: false,
  });
  const shown = query === '' ? undefined : results.data;
  const { groups, options } = groupResults(shown);
  const position = active.query === query && active.position < options.length ? active.position : 0;
  const current = options[position];
  const optionId = (option: ResultOption) => `${listId}-${option.key}`;

  useEffect(() => {
    if (current) document.getElementById(`${listId}-${current.key}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [current, listId]);

  function open(option: ResultOption) {
    onClose();
    void navigate(appPath(option.path));
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setActive({ query, position: moveActive(position, options.length, event.key) });
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (current) open(current);
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
      // The same chord that opened the palette closes it (and keeps the browser's own search bar out of it).
      event.preventDefault();
      onClose();
    }
  }

  const typing = text.trim() !== query;
  let status: string | null = null;
  if (query === '') status = t('catalogue.search.hint');
  else if (results.isError) status = t('catalogue.search.failed', { detail: errorText(results.error, t) });
  else if (!shown || (results.isFetching && options.length === 0)) status = t('catalogue.search.searching');
  else if (options.length === 0 && !typing) status = t('catalogue.search.none', { query });

  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (event.target === dialog.current) onClose();
      }}
      className="mx-auto mb-auto mt-[8vh] w-[calc(100%-1.5rem)] max-w-xl overflow-hidden rounded-xl border border-slate-200 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-950/60 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      data-testid="search-palette"
    >
      <h2 id={titleId} className="sr-only">
        {t('catalogue.search.title')}
      </h2>
      <div className="flex items-center gap-2 border-b border-slate-200 px-3 dark:border-slate-800">
        <Search className="size-5 shrink-0 text-slate-400" aria-hidden />
        <input
          type="text"
          role="combobox"
          aria-label={t('catalogue.search.label')}
          aria-expanded={options.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={current ? optionId(current) : undefined}
          autoFocus
          autoComplete="off"
          spellCheck={false}
          maxLength={100}
          placeholder={t('catalogue.search.placeholder')}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          className="h-12 min-w-0 flex-1 bg-transparent text-base outline-none placeholder:text-slate-400 focus-visible:outline-none"
        />
        <kbd className="hidden rounded border border-slate-300 px-1.5 py-0.5 font-mono text-xs text-slate-600 sm:inline dark:border-slate-700 dark:text-slate-400">
          Esc
        </kbd>
      </div>
      <div className="max-h-[60vh] overflow-y-auto p-2" aria-busy={results.isFetching || undefined}>
        <div id={listId} role="listbox" aria-label={t('catalogue.search.results')} className={cn(options.length === 0 && 'hidden')}>
          {groups.map((group) => {
            const Icon = ICONS[group.group];
            const headingId = `${listId}-${group.group}`;
            return (
              <div key={group.group} role="group" aria-labelledby={headingId} className="mb-1 last:mb-0">
                <div
                  id={headingId}
                  role="presentation"
                  className="px-2 pb-1 pt-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400"
                >
                  {t(`catalogue.search.groups.${group.group}`)}
                </div>
                {group.options.map((option) => {
                  const selected = option.position === position;
                  return (
                    <div
                      key={option.key}
                      id={optionId(option)}
                      role="option"
                      aria-selected={selected}
                      data-path={option.path}
                      onMouseMove={() => !selected && setActive({ query, position: option.position })}
                      onClick={() => open(option)}
                      className={cn(
                        'flex cursor-pointer items-center gap-3 rounded-md px-2 py-2 text-sm',
                        selected ? 'bg-brand/15 text-slate-900 dark:text-white' : 'text-slate-700 dark:text-slate-200',
                      )}
                    >
                      <Icon className="size-4 shrink-0 text-slate-400" aria-hidden />
                      <span className="min-w-0 flex-1">
                        <span className="block truncate font-medium">{option.title}</span>
                        {option.subtitle ? (
                          <span className="block truncate text-xs text-slate-600 dark:text-slate-300">{option.subtitle}</span>
                        ) : null}
                      </span>
                      {selected ? (
                        <kbd className="hidden shrink-0 rounded border border-slate-400 px-1 font-mono text-[0.65rem] text-slate-700 sm:inline dark:border-slate-500 dark:text-slate-200">
                          Enter
                        </kbd>
                      ) : null}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
        {status ? (
          <p className="px-2 py-6 text-center text-sm text-slate-500 dark:text-slate-400" role="status">
            {status}
          </p>
        ) : null}
      </div>
    </dialog>
  );
}
