import { useEffect, useState } from 'react';

import { useI18n } from '@/i18n';

/** The wall clock: time large, the date below it; ticks on the minute boundary, not every second. */
export function TvClock() {
  const { locale } = useI18n();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const current = new Date();
      setNow(current);
      timer = setTimeout(tick, 60_000 - (current.getSeconds() * 1000 + current.getMilliseconds()) + 50);
    };
    tick();
    return () => clearTimeout(timer);
  }, []);
  return (
    <div className="text-right leading-none">
      <time dateTime={now.toISOString()} className="tabular block text-2xl font-semibold tracking-tight sm:text-4xl xl:text-5xl">
        {new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(now)}
      </time>
      <span className="mt-1 hidden text-sm text-slate-600 sm:block xl:text-base dark:text-slate-400">
        {new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long' }).format(now)}
      </span>
    </div>
  );
}
