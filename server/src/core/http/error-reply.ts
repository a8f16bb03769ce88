import { Type } from 'typebox';

import { ERROR_CODE_LIST, ERROR_CODES } from '../errors.js';
import type { ErrorReplyBody } from './error-handler.js';

/** The name of the error reply under the OpenAPI document's components.schemas. */
export const ERROR_REPLY_NAME = 'ErrorReply';

const CODE_TABLE = ERROR_CODE_LIST.map((code) => `- \`${code}\`: ${ERROR_CODES[code]}`).join('\n');

/** The shape of every error reply, published once in the document; every error response refers to it. */
export const ErrorReplySchema = Type.Object(
  {
    detail: Type.String({ description: 'What went wrong, as an English sentence for people. Clients decide by `code`.' }),
    code: Type.Unsafe<ErrorReplyBody['code']>({
      type: 'string',
      enum: ERROR_CODE_LIST,
      description: `Stable machine-readable reason:\n${CODE_TABLE}`,
    }),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          loc: Type.Array(Type.Union([Type.String(), Type.Integer()]), { description: 'Where: ["body", "username"]' }),
          msg: Type.String(),
          type: Type.String({ description: 'The failed rule: missing, type, maxLength, …' }),
        }),
        { description: 'With `validation_failed`: each bad field' },
      ),
    ),
  },
  { description: 'An error reply. 429 and 423 replies also carry a Retry-After header (seconds).' },
);

const STATUS_TEXT = {
  400: 'Bad request',
  401: 'Not authenticated',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Too large',
  415: 'Unsupported media type',
  422: 'Invalid fields',
  423: 'Locked',
  429: 'Too many requests',
  500: 'Server error',
  501: 'Not implemented',
  502: 'The printer failed',
  504: 'The printer did not answer',
} as const;

/** The statuses a route may list in `schema.errors`. */
export type ErrorStatus = keyof typeof STATUS_TEXT;

declare module 'fastify' {
  interface FastifySchema {
    /**
     * The error statuses this route answers beyond those every route of its kind has (the OpenAPI
     * document adds 401/403 from `access`, 400/413/415/422 from a body, 422 from params or a query,
     * and 500): `errors: [404, 409]`. Documentation only: error replies are not serialized by schema.
     */
    errors?: readonly ErrorStatus[];
  }
}

const RETRY_AFTER = { 'retry-after': { schema: { type: 'integer' }, description: 'Seconds until trying again can succeed' } };

/** The OpenAPI response object of an error status: always JSON, even on routes that produce CSV or text. */
export function errorResponse(status: ErrorStatus): object {
  return {
    description: STATUS_TEXT[status],
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_REPLY_NAME}` } } },
    ...(status === 423 || status === 429 ? { headers: RETRY_AFTER } : {}),
  };
}
