import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';

import { I18nProvider } from '@/i18n';

import { NewPasswordField } from './password-field';
import { checkPassword, looksLikeEmail, usernameProblem } from './password-policy';

afterEach(cleanup);

describe('password policy', () => {
  it('accepts what the server accepts: 8+ characters with upper, lower and a digit', () => {
    expect(checkPassword('Adm1nPassword').ok).toBe(true);
    expect(checkPassword('Abcdefg1').ok).toBe(true);
  });

  it('says which rule is missing', () => {
    expect(checkPassword('').met).toEqual({ length: false, upper: false, lower: false, digit: false });
    expect(checkPassword('abcdefg1').met).toEqual({ length: true, upper: false, lower: true, digit: true });
    expect(checkPassword('ABCDEFG1').met).toEqual({ length: true, upper: true, lower: false, digit: true });
    expect(checkPassword('Abcdefgh').met).toEqual({ length: true, upper: true, lower: true, digit: false });
    expect(checkPassword('Abc1').met.length).toBe(false);
    expect(checkPassword('Abc1').ok).toBe(false);
  });

  it('refuses passwords bcrypt would cut off (more than 72 bytes, counted in UTF-8)', () => {
    expect(checkPassword(`Aa1${'x'.repeat(69)}`).ok).toBe(true);
    expect(checkPassword(`Aa1${'x'.repeat(70)}`).tooLong).toBe(true);
    // 24 umlauts are 48 bytes: fine; 36 are 72 bytes plus "Aa1": too long.
    expect(checkPassword(`Aa1${'ä'.repeat(24)}`).ok).toBe(true);
    expect(checkPassword(`Aa1${'ä'.repeat(36)}`).ok).toBe(false);
  });

  it('checks usernames and emails the way the server schema does', () => {
    expect(usernameProblem('ada')).toBeNull();
    expect(usernameProblem('ada.lovelace@farm+1')).toBeNull();
    expect(usernameProblem('')).toBe('empty');
    expect(usernameProblem('ada lovelace')).toBe('characters');
    expect(usernameProblem('.ada')).toBe('characters');
    expect(usernameProblem('a'.repeat(65))).toBe('length');
    expect(looksLikeEmail('')).toBe(true);
    expect(looksLikeEmail('ada@farm.example')).toBe(true);
    expect(looksLikeEmail('ada')).toBe(false);
  });
});

function Harness() {
  const [value, setValue] = useState('');
  return <NewPasswordField label="Password" value={value} onChange={setValue} />;
}

describe('the password field', () => {
  it('lists the rules before anything is typed and ticks them off while typing', () => {
    render(
      <I18nProvider initial="en">
        <Harness />
      </I18nProvider>,
    );
    const rule = (text: RegExp) => screen.getByText(text).closest('li');
    expect(rule(/at least 8 characters/)?.dataset['met']).toBe('false');
    expect(rule(/upper-case letter/)?.dataset['met']).toBe('false');

    const input = screen.getByLabelText('Password');
    expect(input.getAttribute('autocomplete')).toBe('new-password');
    fireEvent.change(input, { target: { value: 'abcdefgh' } });
    expect(rule(/at least 8 characters/)?.dataset['met']).toBe('true');
    expect(rule(/lower-case letter/)?.dataset['met']).toBe('true');
    expect(rule(/upper-case letter/)?.dataset['met']).toBe('false');
    expect(rule(/a digit/)?.dataset['met']).toBe('false');
    expect(input.getAttribute('aria-invalid')).toBe('true');

    fireEvent.change(input, { target: { value: 'Abcdefg1' } });
    expect(screen.getAllByRole('listitem').every((item) => item.dataset['met'] === 'true')).toBe(true);
    expect(input.getAttribute('aria-invalid')).toBe('false');
  });

  it('explains the rules in German too', () => {
    render(
      <I18nProvider initial="de">
        <Harness />
      </I18nProvider>,
    );
    expect(screen.getByText('mindestens 8 Zeichen')).toBeTruthy();
    expect(screen.getByText('einen Großbuchstaben (A–Z)')).toBeTruthy();
  });
});
