/** Formatting in the user's locale and time zone (the browser's). Nulls become an em dash. */
const DASH = '—';

// Intl formatters are costly to build and 200 live cards format several times a second: one per locale and options.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  let formatter = formatters.get(key);
  if (!formatter) formatters.set(key, (formatter = make()));
  return formatter as T;
}
const dateTime = (locale: string, options: Intl.DateTimeFormatOptions) =>
  cached(`d|${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options));

export function formatTemp(current: number | null | undefined, target?: number | null): string {
  if (current === null || current === undefined) return DASH;
  const now = `${Math.round(current)}°`;
  return target ? `${now} / ${Math.round(target)}°` : now;
}

/** 1 h 05 m, 12 m, 40 s — compact, for cards and tables. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return DASH;
  const total = Math.round(seconds);
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} m`;
  if (minutes > 0) return `${minutes} m`;
  return `${total % 60} s`;
}

export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return DASH;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return DASH;
  return dateTime(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** Clock time a print ends ("14:35", or "Tue 09:10" when it is not today). */
export function formatEta(remainingSeconds: number | null | undefined, locale: string, now = Date.now()): string | null {
  if (remainingSeconds === null || remainingSeconds === undefined || !Number.isFinite(remainingSeconds) || remainingSeconds <= 0)
    return null;
  const end = new Date(now + remainingSeconds * 1000);
  const sameDay = new Date(now).toDateString() === end.toDateString();
  const options: Intl.DateTimeFormatOptions = sameDay
    ? { hour: '2-digit', minute: '2-digit' }
    : { weekday: 'short', hour: '2-digit', minute: '2-digit' };
  return dateTime(locale, options).format(end);
}

export function formatRelative(iso: string | null | undefined, locale: string, now = Date.now()): string {
  if (!iso) return DASH;
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return DASH;
  const seconds = Math.round((then - now) / 1000);
  const rtf = cached(`r|${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}

export function formatNumber(value: number | null | undefined, locale: string, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return cached(
    `n|${locale}|${digits}`,
    () => new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }),
  ).format(value);
}

/** A tray colour as CSS: Bambu "RRGGBBAA" keeps its alpha, "#RRGGBB" passes through. */
export function cssColor(color: string | null | undefined): string | null {
  if (!color) return null;
  const hex = color.startsWith('#') ? color.slice(1) : color;
  if (!/^[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/.test(hex)) return null;
  return `#${hex}`;
}
