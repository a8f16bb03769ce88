import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { notFound } from '../errors.js';
import type { OdinApp } from './types.js';

/**
 * Serves the built web app at `/` with a history-API fallback to index.html for every non-API GET.
 * Unknown `/api/*` paths stay JSON 404s. Without a build, `/` explains how to get one.
 */
export async function registerWebApp(app: OdinApp, webDir: string): Promise<void> {
  const indexFile = path.join(webDir, 'index.html');
  const hasBuild = fs.existsSync(indexFile);

  if (hasBuild) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: false,
      serve: true,
      decorateReply: true,
      // Built asset names carry a content hash, so they can be cached for good.
      setHeaders: (res, file) => {
        if (file.includes(`${path.sep}assets${path.sep}`)) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      },
      allowedPath: (pathname) => !pathname.startsWith('/api/'),
    });
  }

  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    const isApi = pathname === '/api' || pathname.startsWith('/api/') || pathname === '/ws' || pathname === '/metrics';
    if (isApi || (request.method !== 'GET' && request.method !== 'HEAD')) {
      throw notFound(`No route ${request.method} ${pathname}`);
    }
    if (!hasBuild) {
      return reply.type('text/html; charset=utf-8').send(PLACEHOLDER);
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>ODIN</title>
<style>body{font-family:system-ui,sans-serif;background:#020617;color:#e2e8f0;display:grid;place-items:center;min-height:100vh;margin:0}
main{max-width:36rem;padding:2rem}a{color:#f59e0b}code{background:#1e293b;padding:.1rem .3rem;border-radius:.25rem}</style></head>
<body><main><h1>ODIN is running</h1>
<p>The API is up. The web app has not been built on this machine yet.</p>
<p>API reference: <a href="/api/docs">Swagger UI</a> · <a href="/api/redoc">ReDoc</a> · <a href="/api/openapi.json">openapi.json</a></p>
<p>First run? Create the admin with <code>POST /api/setup/admin</code>.</p></main></body></html>
`;
