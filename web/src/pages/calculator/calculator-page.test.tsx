import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { writeToken } from '@/auth/token-store';

import { type RealServer, renderApp, startRealServer } from '../settings/test-support';
import { calculatorInput, checkConfig, configForm, filamentLine } from './calculator-form';
import CalculatorPage from './calculator-page';

describe('the calculator form', () => {
  it('sends grams per material, hours, items per bed and markup, with commas read as decimal points', () => {
    const { invalid, input } = calculatorInput({
      lines: [filamentLine('pla', '40,5'), filamentLine('', '')],
      hours: '1,5',
      units: '4',
      markup: '',
    });
    expect(invalid).toEqual([]);
    expect(input).toEqual({
      filament: [
        { material: 'PLA', grams: 40.5 },
        { material: null, grams: 0 },
      ],
      print_hours: 1.5,
      units_per_bed: 4,
      markup_percent: null,
    });
  });

  it('names every field it cannot send, and sends nothing then', () => {
    const { invalid, input } = calculatorInput({ lines: [filamentLine('PLA', '-3')], hours: '', units: '2.5', markup: 'lots' });
    expect(input).toBeNull();
    expect(invalid).toEqual(['grams.0', 'hours', 'units', 'markup']);
  });

  it('round-trips the pricing settings and refuses a material named twice', () => {
    const config = {
      currency: 'EUR',
      default_cost_per_gram: 0.025,
      material_cost_per_gram: { PETG: 0.03 },
      electricity_rate_kwh: 0.3,
      printer_power_watts: 150,
      machine_cost_per_hour: 0.3,
      labor_rate_per_hour: 20,
      labor_minutes_per_item: 2,
      packaging_cost_per_item: 0,
      failure_rate_percent: 5,
      overhead_percent: 0,
      default_markup_percent: 300,
    };
    const form = configForm(config);
    expect(checkConfig(form).config).toEqual(config);
    const doubled = { ...form, materials: [...form.materials, { key: 99, material: 'petg', cost: '0.04' }] };
    expect(checkConfig(doubled).invalid).toEqual(['material.1']);
  });
});

describe('the calculator page (real server)', () => {
  let server: RealServer;
  let admin: string;
  let viewer: string;
  beforeAll(async () => {
    server = await startRealServer();
    admin = await server.setupAdmin();
    viewer = (await server.createUser(admin, 'watcher', 'viewer')).token;
  });
  afterAll(() => server.close());
  afterEach(() => {
    cleanup();
    writeToken(null);
  });

  describe('as an admin', () => {
    beforeEach(() => writeToken(admin));

    it('shows the breakdown as the inputs change, and recalculates after the rates are saved', async () => {
      renderApp(<CalculatorPage />);
      // The starting values: 50 g PLA, 2 h, 1 per bed, default markup 300 % over the default rates.
      const price = await screen.findByTestId('suggested-price');
      await waitFor(() => expect(price.textContent).toMatch(/€/));
      const first = price.textContent;

      fireEvent.change(screen.getByLabelText('Grams of line 1'), { target: { value: '200' } });
      await waitFor(() => expect(screen.getByTestId('cost-breakdown').textContent).toContain('Filament (200 g)'));
      expect(screen.getByTestId('suggested-price').textContent).not.toBe(first);

      fireEvent.change(screen.getByLabelText('Items per bed'), { target: { value: '0' } });
      expect(await screen.findByText('Enter a whole number of at least 1.')).toBeTruthy();
      expect(screen.getByText('Fix the marked fields to see the cost.')).toBeTruthy();
      fireEvent.change(screen.getByLabelText('Items per bed'), { target: { value: '4' } });
      await waitFor(() => expect(screen.getByTestId('cost-breakdown').textContent).toContain('Filament (50 g)'));

      fireEvent.click(screen.getByRole('button', { name: 'Edit pricing' }));
      const form = await screen.findByTestId('pricing-form');
      fireEvent.change(within(form).getByLabelText('Filament cost per gram'), { target: { value: '0,1' } });
      fireEvent.click(within(form).getByRole('button', { name: 'Save pricing' }));
      await screen.findByText('The pricing settings were saved.');
      expect(
        (await server.call<{ default_cost_per_gram: number }>('GET', '/api/pricing-config', { token: admin })).body.default_cost_per_gram,
      ).toBe(0.1);
      // 50 g per item at 0.10 €/g.
      await waitFor(() => expect(screen.getByTestId('cost-breakdown').textContent).toMatch(/Filament \(50 g\)\s*€5\.00/));
    });
  });

  describe('as a viewer', () => {
    beforeEach(() => writeToken(viewer));

    it('calculates too, but shows the rates without a way to change them', async () => {
      renderApp(<CalculatorPage />);
      await screen.findByTestId('suggested-price');
      expect(await screen.findByText('Only admins can change the pricing settings.')).toBeTruthy();
      expect(screen.queryByRole('button', { name: 'Edit pricing' })).toBeNull();
    });
  });
});
