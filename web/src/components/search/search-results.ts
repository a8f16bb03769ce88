import type { ResponseOf } from '@/api/types';

export type SearchResult = ResponseOf<'/api/search', 'get'>;
export type SearchHit = SearchResult['printers'][number];
export type SearchGroup = 'printers' | 'models' | 'print_files' | 'spools' | 'jobs';

/** The order groups are shown in: what people look for most first. */
export const GROUP_ORDER: readonly SearchGroup[] = ['printers', 'models', 'print_files', 'spools', 'jobs'];

export interface ResultOption extends SearchHit {
  group: SearchGroup;
  /** Position in the whole list, for ↑/↓ across groups. */
  position: number;
  key: string;
}

export interface ResultGroup {
  group: SearchGroup;
  options: ResultOption[];
}

/** Non-empty groups in display order, every hit numbered through all of them. */
export function groupResults(result: SearchResult | undefined): { groups: ResultGroup[]; options: ResultOption[] } {
  const groups: ResultGroup[] = [];
  const options: ResultOption[] = [];
  if (!result) return { groups, options };
  for (const group of GROUP_ORDER) {
    const hits = result[group];
    if (hits.length === 0) continue;
    const entries = hits.map((hit) => {
      const option: ResultOption = { ...hit, group, position: options.length, key: `${group}-${hit.id}` };
      options.push(option);
      return option;
    });
    groups.push({ group, options: entries });
  }
  return { groups, options };
}

/** The highlighted option after ↑ or ↓: wraps round at either end; nothing to move through stays at 0. */
export function moveActive(active: number, count: number, key: 'ArrowDown' | 'ArrowUp'): number {
  if (count <= 0) return 0;
  const step = key === 'ArrowDown' ? 1 : -1;
  return (((active + step) % count) + count) % count;
}

/**
 * Where a hit opens in this app. The server names a spool `/spools/{id}`; the spools page opens one
 * as its drawer, `/spools?spool={id}`.
 */
export function appPath(path: string): string {
  const spool = /^\/spools\/(\d+)$/.exec(path);
  if (spool) return `/spools?spool=${spool[1]}`;
  return path.startsWith('/') && !path.startsWith('//') ? path : '/';
}

/** Whether the keyboard has ⌘ (Apple) rather than Ctrl as the shortcut modifier. */
export function isApple(platform: string = typeof navigator === 'undefined' ? '' : navigator.platform || navigator.userAgent): boolean {
  return /Mac|iPhone|iPad|iPod/i.test(platform);
}
