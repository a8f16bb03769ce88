import type { Translate } from '@/i18n';
import { formatNumber } from '@/lib/format';

/** Nulls and non-numbers: the em dash the rest of the app shows for "not known". */
const DASH = '—';

const formatters = new Map<string, Intl.NumberFormat>();
/** A number with at most `digits` decimals, none added ("2.5", not "2.50"). */
export function formatUpTo(value: number | null | undefined, locale: string, digits: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const key = `${locale}|${digits}`;
  let formatter = formatters.get(key);
  if (!formatter) formatters.set(key, (formatter = new Intl.NumberFormat(locale, { maximumFractionDigits: digits })));
  return formatter.format(value);
}

export function formatGrams(value: number | null | undefined, locale: string, t: Translate): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return t('catalogue.units.grams', { value: formatUpTo(value, locale, value < 100 ? 1 : 0) });
}

export function formatBytes(bytes: number | null | undefined, locale: string, t: Translate): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return DASH;
  if (bytes < 1024) return t('catalogue.units.bytes', { value: formatNumber(bytes, locale) });
  if (bytes < 1024 * 1024) return t('catalogue.units.kb', { value: formatUpTo(bytes / 1024, locale, bytes < 10 * 1024 ? 1 : 0) });
  return t('catalogue.units.mb', { value: formatUpTo(bytes / (1024 * 1024), locale, 1) });
}

/** An amount in the pricing configuration's currency: an ISO code ("EUR") is formatted by Intl, a symbol ("€") is put after. */
export function formatMoney(value: number | null | undefined, currency: string | null | undefined, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const code = (currency ?? '').trim();
  if (/^[A-Za-z]{3}$/.test(code)) {
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency: code.toUpperCase() }).format(value);
    } catch {
      // an unknown code: shown as written below
    }
  }
  const amount = formatNumber(value, locale, 2);
  return code ? `${amount} ${code}` : amount;
}

/** Build time in hours ("2.5 h"), as models store it. */
export function formatHours(hours: number | null | undefined, locale: string, t: Translate): string {
  if (hours === null || hours === undefined || !Number.isFinite(hours)) return DASH;
  return t('catalogue.units.hours', { value: formatUpTo(hours, locale, hours < 10 ? 2 : 1) });
}

/** The image type of base64 thumbnail data, from its first bytes (the server sends PNG or JPEG). */
export function imageMime(base64: string): string {
  if (base64.startsWith('iVBOR')) return 'image/png';
  if (base64.startsWith('/9j/')) return 'image/jpeg';
  if (base64.startsWith('UklGR')) return 'image/webp';
  if (base64.startsWith('R0lGOD')) return 'image/gif';
  return 'image/png';
}
