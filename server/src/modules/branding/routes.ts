import fs from 'node:fs';

import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';

import { actorOf } from '../../core/actor.js';
import { badRequest, HttpError, notFound } from '../../core/errors.js';
import { errorResponses } from '../../core/http/error-reply.js';
import type { OdinApp } from '../../core/http/types.js';
import { COLOR_FIELDS, type DEFAULT_BRANDING } from './defaults.js';
import { CONTENT_TYPES, type ImageKind } from './image-check.js';
import { ASSET_RULES, ASSET_URL_PREFIX, type BrandAsset, type BrandingService } from './service.js';

const Color = Type.String({ pattern: '^#[0-9A-Fa-f]{6}$' });
const Font = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9 ,\'"-]+$' });
const NullableString = Type.Union([Type.String(), Type.Null()]);

const BrandingSchema = Type.Object({
  app_name: Type.String(),
  app_subtitle: Type.String(),
  ...Object.fromEntries(COLOR_FIELDS.map((field) => [field, Type.String()])),
  font_display: Type.String(),
  font_body: Type.String(),
  font_mono: Type.String(),
  logo_url: NullableString,
  favicon_url: NullableString,
  footer_text: Type.String(),
  support_url: Type.String(),
});

const BrandingUpdate = Type.Object({
  app_name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  app_subtitle: Type.Optional(Type.String({ maxLength: 120 })),
  ...Object.fromEntries(COLOR_FIELDS.map((field) => [field, Type.Optional(Color)])),
  font_display: Type.Optional(Font),
  font_body: Type.Optional(Font),
  font_mono: Type.Optional(Font),
  footer_text: Type.Optional(Type.String({ maxLength: 200 })),
  support_url: Type.Optional(Type.Union([Type.String({ maxLength: 2048, pattern: '^https?://[^\\s]+$' }), Type.Literal('')])),
});

export function brandingRoutes(app: OdinApp, deps: { branding: BrandingService }): void {
  const { branding } = deps;
  const tags = ['Branding'];

  app.get(
    '/api/branding',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'Branding (public, the login page needs it)', response: { 200: BrandingSchema } },
    },
    () => branding.get(),
  );

  app.put(
    '/api/branding',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Change branding (unknown keys are ignored)', body: BrandingUpdate, response: { 200: BrandingSchema } },
    },
    async (request) => {
      const patch = request.body as Partial<typeof DEFAULT_BRANDING>;
      return branding.update(patch, actorOf(request));
    },
  );

  for (const asset of ['logo', 'favicon'] as const satisfies readonly BrandAsset[]) {
    app.post(
      `/api/branding/${asset}`,
      {
        config: { access: 'admin' },
        schema: {
          tags,
          summary: `Upload the ${asset} (multipart field "file"; ${ASSET_RULES[asset].kinds.join('/')}, at most ${ASSET_RULES[asset].maxBytes / 1024} KB)`,
          consumes: ['multipart/form-data'],
          response: { 200: BrandingSchema, ...errorResponses(400, 413, 415) },
        },
      },
      async (request) => {
        if (!request.isMultipart()) throw badRequest('multipart_required', 'Send the image as multipart/form-data in a field named "file"');
        const bytes = await readUpload(request, ASSET_RULES[asset].maxBytes);
        return branding.storeAsset(asset, bytes, actorOf(request));
      },
    );

    app.delete(
      `/api/branding/${asset}`,
      { config: { access: 'admin' }, schema: { tags, summary: `Remove the ${asset}`, response: { 200: BrandingSchema } } },
      (request) => branding.deleteAsset(asset, actorOf(request)),
    );
  }

  app.get(
    `${ASSET_URL_PREFIX}:filename`,
    { config: { access: 'public' }, schema: { hide: true, params: Type.Object({ filename: Type.String({ maxLength: 64 }) }) } },
    async (request, reply) => {
      const file = branding.assetPath(request.params.filename);
      const stat = file ? await fs.promises.stat(file).catch(() => null) : null;
      if (!file || !stat?.isFile()) throw notFound('asset_not_found', 'No such branding asset');
      const kind = file.slice(file.lastIndexOf('.') + 1) as ImageKind;
      reply
        .type(CONTENT_TYPES[kind])
        .header('cache-control', 'public, max-age=86400')
        .header('x-content-type-options', 'nosniff')
        // An SVG opened directly must not be able to run anything in ODIN's origin.
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
      return reply.send(fs.createReadStream(file));
    },
  );
}

/** The bytes of the multipart field "file"; a broken multipart body is the client's fault (400), never a 500. */
async function readUpload(request: FastifyRequest, maxBytes: number): Promise<Buffer> {
  try {
    const file = await request.file({ limits: { fileSize: maxBytes, files: 1 } });
    if (!file || file.fieldname !== 'file') throw badRequest('file_missing', 'No file in the upload; send it in a field named "file"');
    return await file.toBuffer();
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) throw error;
    throw badRequest('malformed_multipart', 'Malformed multipart body');
  }
}
