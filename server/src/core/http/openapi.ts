import fs from 'node:fs';
import { createRequire } from 'node:module';

import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

import type { Access } from '../auth/roles.js';
import { VERSION } from '../version.js';
import { errorReply, ErrorReplySchema } from './error-reply.js';
import type { OdinApp } from './types.js';

const require = createRequire(import.meta.url);

/** Routes the docs plugins add; the guard treats them as public. */
export const DOCS_PREFIXES = ['/api/docs'] as const;

function securityFor(access: Access | undefined) {
  if (access === 'public' || access === undefined) return [];
  if (access === 'setup') return [{}, { bearer: [] }];
  return [{ bearer: [] }];
}

/**
 * The error replies every route of its kind can give, whether or not it lists them: the guard's
 * 401/403, the body parser's and validator's 400/413/415/422, and 500. Routes list only their own
 * (`errorResponses(404, 409)`); what they list wins.
 */
function commonErrors(access: Access | undefined, schema: Record<string, unknown>): number[] {
  const statuses = [500];
  if (access === 'setup') statuses.push(403);
  else if (access !== 'public' && access !== undefined) statuses.push(401, 403);
  if (schema['body'] !== undefined) statuses.push(400, 413, 415, 422);
  else if (schema['querystring'] !== undefined || schema['params'] !== undefined) statuses.push(422);
  return statuses;
}

function withCommonErrors<T extends { response?: unknown }>(schema: T, access: Access | undefined): T {
  const declared = (schema.response ?? {}) as Record<string, unknown>;
  const response: Record<string, unknown> = {};
  for (const status of commonErrors(access, schema)) response[status] = errorReply(status);
  return { ...schema, response: { ...response, ...declared } };
}

/** Components published by publishSchema, per app (read each time the document is built). */
const published = new WeakMap<OdinApp, Record<string, object>>();

/**
 * Names a schema in the document's components although no HTTP operation uses it (the `/ws`
 * messages), so the web app's generated types can name it too. Not app.addSchema: a shared schema
 * is handed to every route's serializer, which made each start measurably slower.
 */
export function publishSchema(app: OdinApp, name: string, schema: object): void {
  const schemas = published.get(app);
  if (!schemas) throw new Error('publishSchema() needs registerOpenApi() first');
  schemas[name] = schema;
}

/** OpenAPI at /api/openapi.json, Swagger UI at /api/docs, ReDoc at /api/redoc — all served from local packages. */
export async function registerOpenApi(app: OdinApp): Promise<void> {
  // Shared schemas first: route schemas refer to them by $id.
  app.addSchema(ErrorReplySchema);

  const schemas: Record<string, object> = {};
  published.set(app, schemas);
  await app.register(swagger, {
    // Shared schemas keep their $id as their name under components.schemas (not def-0, def-1, …).
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) => (typeof json['$id'] === 'string' ? json['$id'] : `def-${index}`),
    },
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'ODIN API',
        version: VERSION,
        description:
          'Orchestrated Dispatch & Inventory Network. Authenticate with `POST /api/auth/login` (form) and send ' +
          '`Authorization: Bearer <token>`. Each operation lists the minimum role in `x-access`.',
      },
      components: {
        schemas,
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
    },
    transform: ({ schema, url, route }) => {
      const access = route.config?.access;
      const documented = { ...withCommonErrors(schema, access), security: securityFor(access), 'x-access': access ?? 'public' };
      return { schema: documented as typeof schema, url };
    },
  });

  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { validatorUrl: null, persistAuthorization: true },
    staticCSP: true,
  });

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, () => app.swagger());

  const redocBundle = require.resolve('redoc/bundles/redoc.standalone.js');
  app.get('/api/redoc/redoc.standalone.js', { config: { access: 'public' }, schema: { hide: true } }, (_request, reply) =>
    reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(fs.createReadStream(redocBundle)),
  );
  app.get('/api/redoc', { config: { access: 'public' }, schema: { hide: true } }, (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(REDOC_PAGE),
  );
}

const REDOC_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>ODIN API reference</title>
  <style>body { margin: 0; }</style>
</head>
<body>
  <redoc spec-url="/api/openapi.json" hide-download-button="false"></redoc>
  <script src="/api/redoc/redoc.standalone.js"></script>
</body>
</html>
`;
