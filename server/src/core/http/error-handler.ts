import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

import { HttpError } from '../errors.js';

interface FieldProblem {
  loc: (string | number)[];
  msg: string;
  type: string;
}

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** One shape for every error reply: `{"detail": ...}`; validation errors list each bad field (422). */
export function errorHandler(error: FastifyError | HttpError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof HttpError) {
    return reply.status(error.statusCode).headers(error.headers).send({ detail: error.detail });
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const part = fastifyError.validationContext ?? 'body';
    return reply.status(422).send({ detail: fastifyError.validation.map((issue) => describe(part, issue as AjvIssue)) });
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return reply.status(status).send({ detail: clientMessage(fastifyError) });
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send({ detail: 'Internal server error' });
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

function clientMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'Request body is too large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `Unsupported content type: ${error.message.replace(/^Unsupported Media Type:?\s*/i, '') || 'unknown'}`;
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'Request body is empty but the content type says JSON';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'Malformed JSON in request body';
    default:
      return error.message || 'Bad request';
  }
}
