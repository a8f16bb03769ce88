import type { LucideIcon } from 'lucide-react';

import { cn } from './cn';

export interface ViewOption<V extends string> {
  value: V;
  icon: LucideIcon;
  label: string;
}

/** A segmented switch between ways of showing one list (table, grid…); labels hide on phones, icons stay. */
export function ViewToggle<V extends string>({
  view,
  onChange,
  label,
  options,
}: {
  view: V;
  onChange: (view: V) => void;
  label: string;
  options: readonly ViewOption<V>[];
}) {
  return (
    <div role="group" aria-label={label} className="inline-flex h-10 items-center gap-0.5 rounded-md bg-slate-200/70 p-1 dark:bg-slate-800">
      {options.map(({ value, icon: Icon, label: optionLabel }) => (
        <button
          key={value}
          type="button"
          aria-pressed={view === value}
          onClick={() => onChange(value)}
          title={optionLabel}
          className={cn(
            'inline-flex h-8 items-center gap-1.5 rounded px-2.5 text-sm font-medium transition',
            view === value
              ? 'bg-white text-slate-900 shadow-sm dark:bg-slate-700 dark:text-white'
              : 'text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-white',
          )}
        >
          <Icon className="size-4" aria-hidden />
          <span className="hidden sm:inline">{optionLabel}</span>
          <span className="sr-only sm:hidden">{optionLabel}</span>
        </button>
      ))}
    </div>
  );
}
