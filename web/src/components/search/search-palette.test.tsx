import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { I18nProvider } from '@/i18n';
import { polyfillDialog } from '@/pages/settings/test-support';

import SearchPalette, { type SearchFn } from './search-palette';
import { appPath, groupResults, moveActive, type SearchResult } from './search-results';

const RESULT: SearchResult = {
  query: 'vo',
  printers: [
    { id: 1, title: 'Voron 2.4', subtitle: 'Voron', path: '/printers/1' },
    { id: 2, title: 'Voron Trident', subtitle: null, path: '/printers/2' },
  ],
  models: [{ id: 7, title: 'Voronoi lamp', subtitle: 'Lamps', path: '/models/7' }],
  print_files: [],
  spools: [{ id: 3, title: 'Prusament PLA Vocal Orange', subtitle: 'SP-3 · PLA · 800 g', path: '/spools/3' }],
  jobs: [],
};

function Where() {
  const location = useLocation();
  return <output data-testid="where">{location.pathname + location.search}</output>;
}

function renderPalette(search: SearchFn, onClose: () => void = () => {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <I18nProvider initial="en">
        <MemoryRouter initialEntries={['/']}>
          <SearchPalette onClose={onClose} search={search} />
          <Routes>
            <Route path="*" element={<Where />} />
          </Routes>
        </MemoryRouter>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

describe('the search results', () => {
  it('are grouped in a fixed order, numbered straight through, and skip empty groups', () => {
    const { groups, options } = groupResults(RESULT);
    expect(groups.map((group) => group.group)).toEqual(['printers', 'models', 'spools']);
    expect(options.map((option) => [option.title, option.position])).toEqual([
      ['Voron 2.4', 0],
      ['Voron Trident', 1],
      ['Voronoi lamp', 2],
      ['Prusament PLA Vocal Orange', 3],
    ]);
  });

  it('wrap round with ↑ and ↓, and open spools in the spools page drawer', () => {
    expect(moveActive(3, 4, 'ArrowDown')).toBe(0);
    expect(moveActive(0, 4, 'ArrowUp')).toBe(3);
    expect(moveActive(0, 0, 'ArrowDown')).toBe(0);
    expect(appPath('/spools/3')).toBe('/spools?spool=3');
    expect(appPath('/models/7')).toBe('/models/7');
    expect(appPath('//evil.example')).toBe('/');
  });
});

describe('the search palette', () => {
  beforeAll(polyfillDialog);
  afterEach(cleanup);

  it('searches once typing pauses, moves with the arrow keys across groups and opens the hit with Enter', async () => {
    const user = userEvent.setup();
    const asked: string[] = [];
    let closed = 0;
    renderPalette(
      (query) => {
        asked.push(query);
        return Promise.resolve(RESULT);
      },
      () => closed++,
    );
    const box = screen.getByRole('combobox', { name: 'Search everything' });
    expect(document.activeElement).toBe(box);
    await user.type(box, 'vo');
    await screen.findByRole('option', { name: /Voron 2\.4/ });
    // Typed quickly: one request for the whole word, not one per key.
    expect(asked).toEqual(['vo']);
    expect(screen.getByRole('group', { name: 'Printers' })).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Spools' })).toBeTruthy();

    const selected = () => screen.getByRole('option', { selected: true });
    expect(selected().textContent).toContain('Voron 2.4');
    expect(box.getAttribute('aria-activedescendant')).toBe(selected().id);
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(selected().textContent).toContain('Voronoi lamp');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(selected().textContent).toContain('Voron 2.4');
    await user.keyboard('{ArrowUp}');
    expect(selected().textContent).toContain('Vocal Orange');
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('where').textContent).toBe('/spools?spool=3');
    expect(closed).toBe(1);
  });

  it('says when nothing matches, and why a search failed', async () => {
    const user = userEvent.setup();
    const empty: SearchResult = { query: 'zz', printers: [], models: [], print_files: [], spools: [], jobs: [] };
    renderPalette(() => Promise.resolve(empty));
    await user.type(screen.getByRole('combobox'), 'zz');
    expect(await screen.findByText('Nothing matches “zz”.')).toBeTruthy();
    cleanup();

    renderPalette(() => Promise.reject(new TypeError('offline')));
    await user.type(screen.getByRole('combobox'), 'x');
    expect(await screen.findByText(/The search failed: Cannot reach the ODIN server/)).toBeTruthy();
  });
});
