import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';

import { api, ApiError, apiError, configureAuth, unwrap } from '@/api/client';
import type { Me } from '@/api/types';

import { accessClaims } from './jwt-claims';
import { SessionRefresher } from './session-refresher';
import { readRefreshToken, readToken, writeTokens } from './token-store';

/** What login and the setup wizard's admin step answer; the refresh token is absent from older servers. */
export interface IssuedTokens {
  access_token: string;
  refresh_token?: string | null;
}

interface SessionValue {
  /** The current access token (it changes when the session is refreshed). */
  token: string | null;
  /** The logged-in user; undefined while it is being loaded for a saved token. */
  user: Me | undefined;
  /** True while a saved token is checked: show a splash, never the login page. */
  checking: boolean;
  // Properties, not methods: components destructure them from useSession().
  login: (username: string, password: string) => Promise<void>;
  /** Adopt tokens obtained elsewhere (the setup wizard's admin account). */
  adopt: (tokens: IssuedTokens) => void;
  logout: () => Promise<void>;
  /** A fresh access token from the server, or null when the session could not be renewed. */
  renew: () => Promise<string | null>;
  /** Calls `listener` with every refreshed access token (the live socket re-authenticates with it). */
  onTokenRefreshed: (listener: (token: string) => void) => () => void;
}

const SessionContext = createContext<SessionValue | null>(null);

/** Logs in with the OAuth2 password form; returns the tokens or throws ApiError with the server's words. */
export async function requestToken(username: string, password: string): Promise<IssuedTokens> {
  const response = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }),
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw apiError(response, body);
  return body as IssuedTokens;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [token, setToken] = useState<string | null>(() => readToken());
  const [refresher] = useState(() => new SessionRefresher());

  const forget = useCallback(() => {
    writeTokens(null);
    setToken(null);
    queryClient.clear();
  }, [queryClient]);

  useEffect(() => refresher.onRefreshed(setToken), [refresher]);
  useEffect(() => refresher.onEnded(forget), [refresher, forget]);
  // Rescheduled for every new token (login, refresh, another tab); nothing runs while logged out.
  useEffect(() => {
    if (token === null) return;
    refresher.start();
    return () => refresher.stop();
  }, [refresher, token]);

  const renewAfter401 = useCallback((refused: string) => refresher.recover(refused), [refresher]);
  useEffect(() => {
    configureAuth(readToken, forget, renewAfter401);
  }, [forget, renewAfter401]);
  // The client must know the token before the first query runs, not after the first effect.
  configureAuth(readToken, forget, renewAfter401);

  // Keyed by the user, not the token: a refresh must not reload the user (and blank the page meanwhile).
  const subject = token === null ? null : accessClaims(token).sub;
  const me = useQuery({
    queryKey: ['auth', 'me', subject],
    queryFn: () => unwrap(api.GET('/api/auth/me')),
    enabled: token !== null,
    staleTime: 5 * 60_000,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 3,
  });

  const adopt = useCallback((tokens: IssuedTokens) => {
    writeTokens({ access: tokens.access_token, refresh: tokens.refresh_token ?? null });
    setToken(tokens.access_token);
  }, []);

  const login = useCallback(
    async (username: string, password: string) => {
      adopt(await requestToken(username, password));
    },
    [adopt],
  );

  const logout = useCallback(async () => {
    const refreshToken = readRefreshToken();
    try {
      // The refresh token goes along so the server ends this login, not only the access token.
      await api.POST('/api/auth/logout', { body: refreshToken === null ? {} : { refresh_token: refreshToken } });
    } finally {
      forget();
    }
  }, [forget]);

  const renew = useCallback(() => refresher.refresh(), [refresher]);

  const onTokenRefreshed = useCallback((listener: (fresh: string) => void) => refresher.onRefreshed(listener), [refresher]);

  const value = useMemo<SessionValue>(
    () => ({
      token,
      user: me.data,
      checking: token !== null && me.data === undefined && !me.isError,
      login,
      adopt,
      logout,
      renew,
      onTokenRefreshed,
    }),
    [token, me.data, me.isError, login, adopt, logout, renew, onTokenRefreshed],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
