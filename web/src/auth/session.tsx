import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';

import { api, ApiError, apiError, configureAuth, unwrap } from '@/api/client';
import type { Me } from '@/api/types';

import { readToken, writeToken } from './token-store';

interface SessionValue {
  token: string | null;
  /** The logged-in user; undefined while it is being loaded for a saved token. */
  user: Me | undefined;
  /** True while a saved token is checked: show a splash, never the login page. */
  checking: boolean;
  // Properties, not methods: components destructure them from useSession().
  login: (username: string, password: string) => Promise<void>;
  /** Adopt a token obtained elsewhere (the setup wizard's admin account). */
  adopt: (token: string) => void;
  logout: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

/** Logs in with the OAuth2 password form; returns the access token or throws ApiError with the server's words. */
export async function requestToken(username: string, password: string): Promise<string> {
  const response = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }),
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw apiError(response, body);
  return (body as { access_token: string }).access_token;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [token, setToken] = useState<string | null>(() => readToken());

  const forget = useCallback(() => {
    writeToken(null);
    setToken(null);
    queryClient.clear();
  }, [queryClient]);

  useEffect(() => {
    configureAuth(readToken, forget);
  }, [forget]);
  // The client must know the token before the first query runs, not after the first effect.
  configureAuth(readToken, forget);

  const me = useQuery({
    queryKey: ['auth', 'me', token],
    queryFn: () => unwrap(api.GET('/api/auth/me')),
    enabled: token !== null,
    staleTime: 5 * 60_000,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 3,
  });

  const adopt = useCallback((next: string) => {
    writeToken(next);
    setToken(next);
  }, []);

  const login = useCallback(
    async (username: string, password: string) => {
      adopt(await requestToken(username, password));
    },
    [adopt],
  );

  const logout = useCallback(async () => {
    try {
      await api.POST('/api/auth/logout');
    } finally {
      forget();
    }
  }, [forget]);

  const value = useMemo<SessionValue>(
    () => ({ token, user: me.data, checking: token !== null && me.data === undefined && !me.isError, login, adopt, logout }),
    [token, me.data, me.isError, login, adopt, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
