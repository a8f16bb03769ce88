import type { OdinApp } from './types.js';

/**
 * One log line per request, written once the response is sent, with the user the guard
 * identified; Fastify's own request logging (two lines, no user) is switched off in app.ts.
 */
export function requestLog(app: OdinApp): void {
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        user: request.user?.username,
      },
      'request',
    );
  });
}
