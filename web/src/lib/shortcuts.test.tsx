import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';

import { useShortcuts } from './shortcuts';

function Page({ bindings }: { bindings: Record<string, () => void> }) {
  useShortcuts(bindings);
  return <input aria-label="Search" />;
}

describe('keyboard shortcuts', () => {
  afterEach(cleanup);

  it('runs single keys and two-key sequences with the bindings of the latest render, not while typing', async () => {
    const user = userEvent.setup();
    const ran: string[] = [];
    const { rerender } = render(<Page bindings={{ '?': () => ran.push('help v1') }} />);
    rerender(<Page bindings={{ '?': () => ran.push('help v2'), 'g d': () => ran.push('dashboard') }} />);

    await user.keyboard('?');
    await user.keyboard('gd');
    await user.keyboard('d');
    expect(ran).toEqual(['help v2', 'dashboard']);

    await user.click(screen.getByRole('textbox', { name: 'Search' }));
    await user.keyboard('?gd');
    expect(ran).toEqual(['help v2', 'dashboard']);
  });

  it('runs Ctrl+K and ⌘K chords even while typing, but not inside an open dialog', async () => {
    const user = userEvent.setup();
    const ran: string[] = [];
    render(<Page bindings={{ 'mod+k': () => ran.push('search'), k: () => ran.push('plain k') }} />);
    await user.keyboard('{Control>}k{/Control}');
    await user.keyboard('{Meta>}K{/Meta}');
    expect(ran).toEqual(['search', 'search']);
    await user.click(screen.getByRole('textbox', { name: 'Search' }));
    await user.keyboard('{Control>}k{/Control}');
    expect(ran).toEqual(['search', 'search', 'search']);
    // Alt or Shift make it another chord.
    await user.keyboard('{Control>}{Shift>}k{/Shift}{/Control}');
    expect(ran).toHaveLength(3);

    const dialog = document.createElement('dialog');
    dialog.setAttribute('open', '');
    document.body.append(dialog);
    await user.keyboard('{Control>}k{/Control}');
    dialog.remove();
    expect(ran).toHaveLength(3);
  });
});
