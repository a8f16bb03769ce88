import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BrandingSection } from './branding-section';
import { type RealServer, renderApp, startRealServer } from './test-support';

const primary = () => document.documentElement.style.getPropertyValue('--odin-primary');

describe('branding editor (real server)', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startRealServer();
    await server.setupAdmin();
  });
  afterAll(() => server.close());

  it('keeps a half-typed colour until the colour is set another way, previews it, and puts the saved one back on leaving', async () => {
    const user = userEvent.setup();
    const { unmount } = renderApp(<BrandingSection />);
    const text = await screen.findByRole<HTMLInputElement>('textbox', { name: 'Primary colour' });
    expect(text.value).toBe('#f59e0b');

    await user.clear(text);
    await user.type(text, '12');
    expect(text.value).toBe('#12');
    expect(screen.getByText('Use the form #RRGGBB, e.g. #F59E0B.')).toBeTruthy();

    // The picker sets the colour: the text follows it and the complaint goes.
    fireEvent.change(screen.getByLabelText('Primary colour: pick a colour'), { target: { value: '#123456' } });
    expect(text.value).toBe('#123456');
    expect(screen.queryByText('Use the form #RRGGBB, e.g. #F59E0B.')).toBeNull();
    await waitFor(() => expect(primary()).toBe('#123456'));

    await user.click(screen.getByRole('button', { name: 'Default colours' }));
    expect(text.value).toBe('#f59e0b');

    await user.clear(text);
    await user.type(text, 'abcdef');
    await waitFor(() => expect(primary()).toBe('#abcdef'));
    unmount();
    expect(primary()).toBe('#f59e0b');
    cleanup();
  });
});
