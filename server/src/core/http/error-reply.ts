import { type TUnsafe, Type } from 'typebox';

import { ERROR_CODE_LIST, ERROR_CODES } from '../errors.js';
import type { ErrorReplyBody } from './error-handler.js';

export const ERROR_REPLY_ID = 'ErrorReply';

const CODE_TABLE = ERROR_CODE_LIST.map((code) => `- \`${code}\`: ${ERROR_CODES[code]}`).join('\n');

/** The shape of every error reply, added once as a shared schema; routes point at it with `errorResponses`. */
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
  { $id: ERROR_REPLY_ID, description: 'An error reply. 429 and 423 replies also carry a Retry-After header (seconds).' },
);

const STATUS_TEXT: Record<number, string> = {
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
};

const RETRY_AFTER = { 'retry-after': { type: 'integer', description: 'Seconds until trying again can succeed' } };

/**
 * A response that is an `ErrorReply`, by reference (the document holds the shape once), always as
 * JSON even on routes that otherwise produce CSV or text.
 */
export function errorReply(status: number): TUnsafe<ErrorReplyBody> {
  return Type.Unsafe<ErrorReplyBody>({
    description: STATUS_TEXT[status] ?? 'Error',
    content: { 'application/json': { schema: { $ref: `${ERROR_REPLY_ID}#` } } },
    ...(status === 423 || status === 429 ? { headers: RETRY_AFTER } : {}),
  });
}

/**
 * The error responses a route adds to its `response` schema, beyond those every route of its kind
 * has (the OpenAPI document adds 401/403 from `access`, 400/413/415/422 from a body, 500 always):
 * `response: { 200: PrinterSchema, ...errorResponses(404, 409) }`.
 */
export function errorResponses<S extends number>(...statuses: S[]): Record<S, TUnsafe<ErrorReplyBody>> {
  return Object.fromEntries(statuses.map((status) => [status, errorReply(status)])) as Record<S, TUnsafe<ErrorReplyBody>>;
}
