import fs from 'node:fs';

import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';

import { actorOf } from '../../core/actor.js';
import { badRequest, HttpError } from '../../core/errors.js';
import type { OdinApp } from '../../core/http/types.js';
import { FileIdParams, MeshSchema, PrintFileDetailSchema, PrintFileSchema } from './schemas.js';
import { assertDeclaredSize, type PrintFilesService } from './service.js';

export function printFilesRoutes(app: OdinApp, deps: { files: PrintFilesService }): void {
  const { files } = deps;
  const tags = ['Print Files'];

  app.post(
    '/api/print-files/upload',
    {
      config: { access: 'operator', action: 'models.create' },
      schema: {
        tags,
        summary: 'Upload a .3mf, .gcode or .bgcode (multipart field "file"); it is checked by content and parsed',
        consumes: ['multipart/form-data'],
        response: { 200: PrintFileSchema },
        errors: [400, 413, 415],
      },
    },
    async (request) => {
      if (!request.isMultipart()) throw badRequest('multipart_required', 'Send the file as multipart/form-data in a field named "file"');
      assertDeclaredSize(request.headers['content-length'], files.uploadLimitBytes);
      const upload = await nextFile(request, files.uploadLimitBytes);
      return files.upload(upload.file, upload.filename, actorOf(request));
    },
  );

  app.get(
    '/api/print-files',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Uploaded print files, newest first',
        querystring: Type.Object({ model_id: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: Type.Array(PrintFileSchema) },
      },
    },
    (request) => files.list({ model_id: request.query.model_id }),
  );

  app.get(
    '/api/print-files/:file_id',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'One print file with everything parsed from it',
        params: FileIdParams,
        response: { 200: PrintFileDetailSchema },
        errors: [404],
      },
    },
    (request) => files.detail(request.params.file_id),
  );

  app.delete(
    '/api/print-files/:file_id',
    {
      config: { access: 'operator', action: 'models.delete' },
      schema: { tags, summary: 'Delete a print file and what was extracted from it (204)', params: FileIdParams, errors: [404] },
    },
    async (request, reply) => {
      await files.delete(request.params.file_id, actorOf(request));
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/print-files/:file_id/thumbnail',
    { config: { access: 'viewer' }, schema: { tags, summary: "The file's thumbnail image", params: FileIdParams, errors: [404] } },
    async (request, reply) => sendImage(reply, await files.thumbnail(request.params.file_id, null)),
  );

  app.get(
    '/api/print-files/:file_id/plates/:plate/thumbnail',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: "One plate's thumbnail",
        params: Type.Object({
          file_id: Type.Integer({ minimum: 1, maximum: 2147483647 }),
          plate: Type.Integer({ minimum: 1, maximum: 1000 }),
        }),
        errors: [404],
      },
    },
    async (request, reply) => sendImage(reply, await files.thumbnail(request.params.file_id, request.params.plate)),
  );

  app.get(
    '/api/print-files/:file_id/download',
    { config: { access: 'viewer' }, schema: { tags, summary: 'The file as it was uploaded', params: FileIdParams, errors: [404] } },
    async (request, reply) => {
      const row = await files.record(request.params.file_id);
      const safeName = row.original_filename.replace(/["\\\r\n]/g, '_');
      return reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename="${safeName}"; filename*=UTF-8''${encodeURIComponent(row.original_filename)}`)
        .send(fs.createReadStream(files.filePath(row)));
    },
  );

  app.get(
    '/api/print-files/:file_id/mesh',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['3D Viewer'],
        summary: "The file's preview mesh for the 3D viewer (decimated)",
        params: FileIdParams,
        response: { 200: MeshSchema },
        errors: [404],
      },
    },
    (request) => files.mesh(request.params.file_id),
  );
}

/** A stored thumbnail; they never change, so the browser may keep them a day. */
function sendImage(reply: FastifyReply, image: { path: string; mime: string }): FastifyReply {
  return reply.type(image.mime).header('cache-control', 'private, max-age=86400').send(fs.createReadStream(image.path));
}

/** The multipart field "file" as a stream; a broken multipart body is the client's fault (400). */
async function nextFile(request: FastifyRequest, maxBytes: number) {
  try {
    // The name as sent, not busboy's basename of it: a name that is a path is refused, not quietly cut.
    const file = await request.file({ limits: { fileSize: maxBytes, files: 1 }, preservePath: true });
    if (!file || file.fieldname !== 'file') throw badRequest('file_missing', 'No file in the upload; send it in a field named "file"');
    return file;
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) throw error;
    throw badRequest('malformed_multipart', 'Malformed multipart body');
  }
}
