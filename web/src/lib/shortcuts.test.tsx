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
});
