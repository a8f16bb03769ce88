import { describe, expect, it } from 'vitest';

import { createSecretBox, generateFernetKey, InvalidTokenError } from './fernet.js';

// Produced by the Python cryptography library's Fernet (what the original ODIN uses) with this key.
const PYTHON_KEY = '_JWJjfDLQNW6awoB9YO-DjsGPiBp6qJvWFJUTbJf68s=';
const PYTHON_TOKENS = {
  '01P00A123456789|12345678':
    'gAAAAABrBoEVMuWpQima9-RU_lHfqQHbTo0WAx04jTaPoZgVI3Dh1yOA9FohrtlxtMSVM0EQ4g3d66bVym7FQrO_MU6gjbHJItheevg29QNB71DdZIx6Odc=',
  'Zugangsschlüssel ✓':
    'gAAAAABrBoEVQlEf0foZXS2mDfN23KiABVD_T5kaMZNFTaPLkbX1jDc2SN-FUVlF-t_ZhMYeRjNs3qJ1lYlYdnsW7kfbfe6nzU_dmc256DdjP53mjz9nDOQ=',
};

describe('secrets at rest (Fernet)', () => {
  it('reads secrets the original Python ODIN encrypted', () => {
    const box = createSecretBox(PYTHON_KEY);
    for (const [plaintext, token] of Object.entries(PYTHON_TOKENS)) expect(box.decrypt(token)).toBe(plaintext);
  });

  it('writes tokens in the Fernet format: version byte, padded url-safe base64, fresh IV each time', () => {
    const box = createSecretBox(PYTHON_KEY);
    const a = box.encrypt('access-code');
    const b = box.encrypt('access-code');
    expect(a.startsWith('gAAAAA')).toBe(true);
    expect(a.length % 4).toBe(0);
    expect(a).not.toBe(b);
    expect(box.decrypt(a)).toBe('access-code');
  });

  it('refuses a token that was tampered with or made with another key', () => {
    const box = createSecretBox(PYTHON_KEY);
    const token = box.encrypt('secret');
    const bytes = Buffer.from(token, 'base64url');
    bytes[30] = bytes[30]! ^ 0x01;
    expect(() => box.decrypt(bytes.toString('base64url'))).toThrow(InvalidTokenError);
    expect(() => createSecretBox(generateFernetKey()).decrypt(token)).toThrow(/signature/);
    expect(() => box.decrypt('not a token')).toThrow(InvalidTokenError);
  });

  it('refuses a key that is not 32 url-safe base64 bytes', () => {
    expect(() => createSecretBox('too-short')).toThrow(/32/);
  });
});
