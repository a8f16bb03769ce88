import { describe, expect, it } from 'vitest';

import { apiError, detailText, retryAfterSeconds } from './client';

const reply = (status: number, headers: Record<string, string> = {}) => new Response(null, { status, headers });

describe('ApiError from a refused response', () => {
  it('carries the code, the English detail and Retry-After', () => {
    const error = apiError(reply(429, { 'retry-after': '240' }), { detail: 'Too many failed logins', code: 'rate_limited' });
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', detail: 'Too many failed logins', retryAfterSeconds: 240 });
    expect(error.is('rate_limited')).toBe(true);
    expect(error.message).toBe('Too many failed logins');
  });

  it('has no code when the reply had none (a proxy page, an empty body)', () => {
    expect(apiError(reply(502), null)).toMatchObject({ code: null, detail: 'Request failed (HTTP 502)', retryAfterSeconds: null });
    expect(apiError(reply(404), { detail: 'Not Found' }).code).toBeNull();
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterSeconds('90')).toBe(90);
    expect(retryAfterSeconds(new Date(Date.now() + 120_000).toUTCString())).toBeGreaterThanOrEqual(119);
    expect(retryAfterSeconds(new Date(Date.now() - 60_000).toUTCString())).toBe(0);
    expect(retryAfterSeconds('soon')).toBeNull();
    expect(retryAfterSeconds(null)).toBeNull();
  });

  it('describes a 422 by its sentence, or by its fields when it has no sentence', () => {
    const sentence = 'Invalid request: body.username must be string';
    expect(
      detailText({ detail: sentence, code: 'validation_failed', errors: [{ loc: ['body', 'username'], msg: 'must be string' }] }, 422),
    ).toBe(sentence);
    expect(detailText({ code: 'validation_failed', errors: [{ loc: ['body', 'username'], msg: 'must be string' }] }, 422)).toBe(
      'username: must be string',
    );
  });
});
