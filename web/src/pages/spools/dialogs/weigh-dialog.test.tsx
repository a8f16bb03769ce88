import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { Spool } from '@/components/inventory/inventory-queries';

import { polyfillDialog, renderApp } from '../../settings/test-support';
import { WeighDialog } from './weigh-dialog';

const SPOOL = {
  id: 3,
  qr_code: 'SPL-ABCD2345',
  spool_weight_g: 250,
  initial_weight_g: 1000,
  remaining_weight_g: 640,
  remaining_percent: 64,
} as Spool;

beforeAll(polyfillDialog);
afterEach(cleanup);

function gross(value: string) {
  fireEvent.change(screen.getByLabelText('Scale reading (g)'), { target: { value } });
}

describe('weighing a spool', () => {
  it('shows the empty-spool weight and, as the reading is typed, what is left and how it changed', () => {
    renderApp(<WeighDialog spool={SPOOL} onClose={() => {}} />);
    expect(screen.getByTestId('empty-spool-weight').textContent).toBe('250 g');
    const save = screen.getByRole<HTMLButtonElement>('button', { name: 'Save weight' });
    expect(save.disabled).toBe(true);
    gross('812');
    const result = screen.getByTestId('weigh-result');
    expect(result.textContent).toContain('562 g · 56 %');
    expect(result.textContent).toContain('78 g less than recorded');
    expect(save.disabled).toBe(false);
    gross('1 000,5');
    expect(result.textContent).toContain('751 g · 75 %');
    expect(result.textContent).toContain('111 g more than recorded');
  });

  it('refuses a reading below the empty spool or above a new spool, saying why', () => {
    renderApp(<WeighDialog spool={SPOOL} onClose={() => {}} />);
    const save = screen.getByRole<HTMLButtonElement>('button', { name: 'Save weight' });
    gross('180');
    expect(screen.getByTestId('weigh-result').textContent).toContain('less than the empty spool weighs');
    expect(save.disabled).toBe(true);
    gross('1600');
    expect(screen.getByTestId('weigh-result').textContent).toContain('more than the spool held when new');
    expect(save.disabled).toBe(true);
    gross('abc');
    expect(screen.getByText('Enter a number.')).toBeTruthy();
  });

  it('speaks German too', () => {
    renderApp(<WeighDialog spool={SPOOL} onClose={() => {}} />, { language: 'de' });
    fireEvent.change(screen.getByLabelText('Anzeige der Waage (g)'), { target: { value: '812' } });
    expect(screen.getByTestId('weigh-result').textContent).toContain('78 g weniger als erfasst');
  });
});
