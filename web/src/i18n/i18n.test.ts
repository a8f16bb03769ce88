import { describe, expect, it } from 'vitest';

import { DICTIONARIES, LANGUAGES, translate } from './index';

function leaves(node: unknown, prefix = ''): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (typeof node === 'string') {
    out.set(prefix, placeholders(node));
    return out;
  }
  const record = node as Record<string, unknown>;
  if ('other' in record && typeof record['other'] === 'string') {
    out.set(prefix, placeholders(Object.values(record).join(' ')));
    return out;
  }
  for (const [key, value] of Object.entries(record)) {
    for (const [path, names] of leaves(value, prefix ? `${prefix}.${key}` : key)) out.set(path, names);
  }
  return out;
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ''))].sort();
}

describe('translations', () => {
  const english = leaves(DICTIONARIES.en);

  for (const language of Object.keys(LANGUAGES) as Array<keyof typeof LANGUAGES>) {
    it(`${language} has exactly the English keys, each with the same placeholders and no empty text`, () => {
      const other = leaves(DICTIONARIES[language]);
      expect(
        [...other.keys()].filter((key) => !english.has(key)),
        'keys English does not have',
      ).toEqual([]);
      expect(
        [...english.keys()].filter((key) => !other.has(key)),
        'keys missing',
      ).toEqual([]);
      for (const [key, names] of english) expect(other.get(key), `placeholders of ${key}`).toEqual(names);
      const flat = JSON.stringify(DICTIONARIES[language]);
      expect(flat).not.toMatch(/:""/);
    });
  }

  it('fills placeholders and picks plural forms by count', () => {
    expect(translate('en', 'common.user.signedInAs', { name: 'ada' })).toBe('Signed in as ada');
    expect(translate('de', 'common.user.signedInAs', { name: 'ada' })).toBe('Angemeldet als ada');
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
  });
});
