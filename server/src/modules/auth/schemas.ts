import { type Static, Type } from 'typebox';

/** A refresh token as a client sends it back; generous bounds, since it is only ever hashed and looked up. */
const RefreshTokenString = Type.String({ minLength: 1, maxLength: 512 });

/** What login, setup and refresh answer: the spec's two fields, plus the refresh token and lifetime. */
export const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('bearer'),
  refresh_token: Type.String({ description: 'Exchange at POST /api/auth/refresh for a new pair; each is valid once' }),
  expires_in: Type.Integer({ description: 'Seconds until the access token expires' }),
});
export type TokenResponseDto = Static<typeof TokenResponse>;

export const LoginForm = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 256 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});

/** JSON `{refresh_token}`, or the OAuth2 form with `grant_type=refresh_token`. */
export const RefreshBody = Type.Object({
  refresh_token: RefreshTokenString,
  grant_type: Type.Optional(Type.Literal('refresh_token')),
});

export const LogoutBody = Type.Object({
  refresh_token: Type.Optional(RefreshTokenString),
});
