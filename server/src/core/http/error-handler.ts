import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

import { type ErrorCode, type FieldProblem, HttpError, validationSentence } from '../errors.js';

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** The body of every error reply; `errors` only on validation failures. */
export interface ErrorReplyBody {
  detail: string;
  code: ErrorCode;
  errors?: FieldProblem[];
}

/**
 * One shape for every error reply: `{detail, code}`, plus `errors` listing each bad field (422).
 * Set as the error handler and as Fastify's `frameworkErrors`, so errors raised before routing
 * (a malformed URL) get the same shape.
 */
export function errorHandler(error: FastifyError | HttpError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body, headers } = errorReply(error, request);
  // Deliberate refusals (HttpError, client mistakes) are the request log's business; the rest is a bug.
  if (body.code === 'internal_error') request.log.error({ err: error }, 'unhandled error');
  void reply.status(status).headers(headers).send(body);
}

function errorReply(
  error: FastifyError | HttpError | Error,
  request: FastifyRequest,
): {
  status: number;
  body: ErrorReplyBody;
  headers: Readonly<Record<string, string>>;
} {
  if (error instanceof HttpError) {
    const body: ErrorReplyBody = { detail: error.detail, code: error.code };
    if (error.errors) body.errors = [...error.errors];
    return { status: error.statusCode, body, headers: error.headers };
  }
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation) {
    const part = fastifyError.validationContext ?? 'body';
    const errors = fastifyError.validation.map((issue) => describe(part, issue as AjvIssue));
    return { status: 422, body: { detail: validationSentence(errors), code: 'validation_failed', errors }, headers: {} };
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const known = fastifyError.code !== undefined ? FRAMEWORK_ERRORS[fastifyError.code] : undefined;
    if (known) return { status, body: { detail: known.detail(request), code: known.code }, headers: {} };
    return { status, body: { detail: error.message || 'Bad request', code: codeForStatus(status) }, headers: {} };
  }
  return { status: 500, body: { detail: 'Internal server error', code: 'internal_error' }, headers: {} };
}

function describe(part: string, issue: AjvIssue): FieldProblem {
  const path = issue.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  if (issue.keyword === 'required' && typeof issue.params['missingProperty'] === 'string') {
    return { loc: [part, ...path, issue.params['missingProperty']], msg: 'Field required', type: 'missing' };
  }
  return { loc: [part, ...path], msg: issue.message ?? 'Invalid value', type: issue.keyword };
}

const fixed = (detail: string) => () => detail;

/** Errors Fastify and its plugins raise before or around our handlers, by their `code`. */
const FRAMEWORK_ERRORS: Record<string, { code: ErrorCode; detail: (request: FastifyRequest) => string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'body_too_large', detail: fixed('Request body is too large') },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    detail: (request) => `Unsupported content type: ${(request.headers['content-type'] ?? 'none').slice(0, 100)}`,
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'empty_json_body', detail: fixed('Request body is empty but the content type says JSON') },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'malformed_json', detail: fixed('Malformed JSON in request body') },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'content_length_mismatch',
    detail: fixed('Request body size does not match its Content-Length'),
  },
  FST_ERR_BAD_URL: { code: 'malformed_url', detail: fixed('The URL contains an invalid percent-encoding') },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'url_too_long', detail: fixed('A path parameter is too long') },
  // @fastify/multipart
  FST_REQ_FILE_TOO_LARGE: { code: 'file_too_large', detail: fixed('The uploaded file is too large') },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { code: 'multipart_required', detail: fixed('The upload must be multipart/form-data') },
  FST_PROTO_VIOLATION: { code: 'malformed_multipart', detail: fixed('A multipart field name is not allowed') },
  FST_MP_PREMATURE_CLOSE: { code: 'malformed_multipart', detail: fixed('The multipart body ended early') },
};

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 404:
      return 'not_found';
    case 413:
      return 'body_too_large';
    case 414:
      return 'url_too_long';
    case 415:
      return 'unsupported_media_type';
    default:
      return 'bad_request';
  }
}
