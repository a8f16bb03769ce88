/**
 * Where to go after logging in. Only a path inside this app is followed: `?next=https://evil.example`
 * or `//evil.example` would otherwise turn the login page into an open redirect.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next === '/login' || next.startsWith('/login?') || next.startsWith('/setup')) return '/';
  return next;
}
