import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { I18nProvider } from '@/i18n';

import { PrintProgress, type ProgressReadings } from './print-progress';

const printing: ProgressReadings = { status: 'printing', progress: 40, remaining_seconds: 3600, current_layer: 12, total_layers: 30 };

/** The clock time as the card formats it, so the test does not depend on the machine's locale. */
const at = (hours: number, minutes: number) =>
  new Intl.DateTimeFormat('de', { hour: '2-digit', minute: '2-digit' }).format(new Date(2026, 0, 15, hours, minutes));

describe('print progress', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(new Date(2026, 0, 15, 10, 0, 0));
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('shows when the print ends, and moves the end on as time passes without news from the printer', () => {
    render(
      <I18nProvider initial="de">
        <PrintProgress readings={printing} />
      </I18nProvider>,
    );
    expect(screen.getByText(`fertig ${at(11, 0)}`)).toBeTruthy();
    // An hour left, read ten minutes ago and never updated: the printer is running late.
    act(() => {
      vi.advanceTimersByTime(10 * 60_000);
    });
    expect(screen.getByText(`fertig ${at(11, 10)}`)).toBeTruthy();
  });

  it('shows no end time for a paused print', () => {
    render(
      <I18nProvider initial="de">
        <PrintProgress readings={{ ...printing, status: 'paused' }} />
      </I18nProvider>,
    );
    expect(screen.queryByText(/fertig/)).toBeNull();
  });
});
