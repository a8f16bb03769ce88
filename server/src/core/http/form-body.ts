import type { OdinApp } from './types.js';

/** `application/x-www-form-urlencoded` bodies (the OAuth2 login form) as a plain object of strings. */
export function formBody(app: OdinApp): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))));
  });
}
