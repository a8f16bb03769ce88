import fs from 'node:fs';
import path from 'node:path';

import fastifyStatic from '@fastify/static';

import { notFound } from '../errors.js';
import type { OdinApp } from './types.js';

/**
 * Serves the built web app at `/`: files that exist are sent as they are, every other non-API GET
 * gets index.html (client-side routes). Unknown `/api/*` paths stay JSON 404s. Without a build,
 * `/` explains where the API docs are.
 */
export async function registerWebApp(app: OdinApp, webDir: string): Promise<void> {
  const root = path.resolve(webDir);
  const hasBuild = fs.existsSync(path.join(root, 'index.html'));
  // Only the sendFile decorator: files are served from the not-found handler, so no route
  // (and no access declaration) exists per file.
  // The build writes .br/.gz beside its assets: browsers that accept them get those, uncompressed otherwise.
  if (hasBuild) await app.register(fastifyStatic, { root, serve: false, preCompressed: true });

  app.setNotFoundHandler(async (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    const isApi = pathname === '/api' || pathname.startsWith('/api/') || pathname === '/ws' || pathname === '/metrics';
    if (isApi || (request.method !== 'GET' && request.method !== 'HEAD')) {
      throw notFound('route_not_found', `No route ${request.method} ${pathname}`);
    }
    if (!hasBuild) return reply.type('text/html; charset=utf-8').send(PLACEHOLDER);

    const file = await existingFile(root, pathname);
    if (file) {
      // Built asset names carry a content hash, so they can be cached for good.
      const immutable = file.startsWith(`assets${path.sep}`);
      return reply.sendFile(file, { maxAge: immutable ? 365 * 24 * 3600 * 1000 : 0, immutable });
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  });
}

/** The path relative to root when it names a file inside root, else null. */
async function existingFile(root: string, pathname: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const absolute = path.resolve(root, `.${decoded}`);
  if (!absolute.startsWith(root + path.sep)) return null;
  const stat = await fs.promises.stat(absolute).catch(() => null);
  return stat?.isFile() ? path.relative(root, absolute) : null;
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
