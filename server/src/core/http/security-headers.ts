import type { OdinApp } from './types.js';

/** Headers every response carries: no MIME sniffing, no referrer leaking to other sites, no framing by other origins. */
export function securityHeaders(app: OdinApp): void {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'SAMEORIGIN');
  });
}
