import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';

import { I18nProvider } from '@/i18n';
import { LiveStoreProvider } from '@/live/live-context';
import { LiveStore } from '@/live/live-store';

import { printing } from '../dashboard/test-fleet';
import { JobsTable, type PrintJob } from './jobs-table';

afterEach(cleanup);

const RUNNING: PrintJob = {
  id: 9,
  printer_id: 1,
  printer_name: 'Voron 2.4',
  job_id: null,
  filename: 'benchy.gcode',
  job_name: 'benchy',
  started_at: '2026-12-03T10:00:00Z',
  ended_at: null,
  status: 'running',
  progress_percent: 30,
  duration_seconds: null,
  remaining_minutes: 60,
  current_layer: 30,
  total_layers: 100,
  error_code: null,
  error_message: null,
} as PrintJob;

function renderTable(store: LiveStore | null) {
  const table = <JobsTable jobs={[RUNNING]} caption="Prints" />;
  return render(
    <I18nProvider initial="en">
      <MemoryRouter>{store ? <LiveStoreProvider store={store}>{table}</LiveStoreProvider> : table}</MemoryRouter>
    </I18nProvider>,
  );
}

describe('a running print in the history', () => {
  it("shows the printer's live progress, not the record's value from up to a minute ago", () => {
    const store = new LiveStore({ getToken: () => null, schedule: (flush) => flush() });
    store.applyRows([printing(1, 42, 3600, { file_name: 'benchy.gcode', current_layer: 42, total_layers: 100 })], true);
    renderTable(store);
    expect(screen.getAllByText(/42 % done · layer 42 of 100/).length).toBeGreaterThan(0);
  });

  it("keeps the record's progress when the printer has moved on to another file, or nothing is live", () => {
    const store = new LiveStore({ getToken: () => null, schedule: (flush) => flush() });
    store.applyRows([printing(1, 80, 600, { file_name: 'other.gcode' })], true);
    renderTable(store);
    expect(screen.getAllByText(/30 % done · layer 30 of 100/).length).toBeGreaterThan(0);
    cleanup();
    renderTable(null);
    expect(screen.getAllByText(/30 % done/).length).toBeGreaterThan(0);
  });
});
