import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';

import { de } from './de';
import { en, type Messages } from './en';

/**
 * A small typed i18n layer. Every language is a nested dictionary of the same shape as English
 * (TypeScript refuses a German file that lacks a key, and i18n.test.ts checks it at run time too).
 * Values are strings with `{name}` placeholders, or plural forms `{one, other}` picked with
 * Intl.PluralRules from `params.count`.
 */
export const LANGUAGES = { en: 'English', de: 'Deutsch' } as const;
export type Language = keyof typeof LANGUAGES;

export const DICTIONARIES: Record<Language, Messages> = { en, de };

type Plural = { one: string; other: string; zero?: string };
type Leaf = string | Plural;

/** 'dashboard.title' | 'printers.form.name' | … — every leaf of the English dictionary. */
type Paths<T> = {
  [K in keyof T & string]: T[K] extends Leaf ? K : T[K] extends object ? `${K}.${Paths<T[K]>}` : never;
}[keyof T & string];
export type MessageKey = Paths<Messages>;
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

const STORAGE_KEY = 'odin.locale';

export function detectLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && saved in LANGUAGES) return saved as Language;
  } catch {
    // storage may be blocked; fall through to the browser's language
  }
  const browser = typeof navigator === 'undefined' ? 'en' : navigator.language.toLowerCase();
  return browser.startsWith('de') ? 'de' : 'en';
}

function lookup(dictionary: Messages, key: string): Leaf | undefined {
  let node: unknown = dictionary;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' || (typeof node === 'object' && node !== null && 'other' in node) ? (node as Leaf) : undefined;
}

export function translate(language: Language, key: string, params?: Params): string {
  const leaf = lookup(DICTIONARIES[language], key) ?? lookup(en, key);
  if (leaf === undefined) return key;
  let text: string;
  if (typeof leaf === 'string') text = leaf;
  else {
    const count = Number(params?.['count'] ?? 0);
    const form = count === 0 && leaf.zero !== undefined ? 'zero' : new Intl.PluralRules(language).select(count);
    text = (form === 'zero' ? leaf.zero : form === 'one' ? leaf.one : leaf.other) ?? leaf.other;
  }
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

interface I18nValue {
  language: Language;
  /** BCP 47 tag for Intl formatters. */
  locale: string;
  // A property, not a method: components destructure it from useI18n().
  setLanguage: (language: Language) => void;
  t: Translate;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Language }) {
  const [language, setLanguageState] = useState<Language>(() => initial ?? detectLanguage());
  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not persisted; still applied for this visit
    }
    document.documentElement.lang = next;
  }, []);
  const value = useMemo<I18nValue>(() => {
    // The browser's own locale keeps regional formats (en-GB dates) when it matches the language.
    const browser = typeof navigator === 'undefined' ? language : navigator.language;
    const locale = browser.toLowerCase().startsWith(language) ? browser : language;
    return { language, locale, setLanguage, t: (key, params) => translate(language, key, params) };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

export function useT(): Translate {
  return useI18n().t;
}
